import ArgumentParser
import Avro
import Foundation
import Kafka
import Logging
import RegistryServer

/// `avrogate registry serve`: serves Confluent's Schema Registry API, keeping state in a Kafka topic.
struct RegistryServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a Confluent-compatible Schema Registry backed by a Kafka topic.",
        discussion: """
            State lives in the topic (created compacted with one partition when missing) in Confluent's \
            record format, so Confluent's registry can read it and this server can read Confluent's. \
            Several instances may serve one topic. Stops on SIGINT or SIGTERM.
            """
    )

    @Option(name: .long, help: ArgumentHelp("Address to listen on (default: $AVROGATE_REGISTRY_LISTEN or 127.0.0.1:8081).", valueName: "host:port"))
    var listen: String?

    @Option(name: .long, help: ArgumentHelp("Kafka bootstrap servers (default: $AVROGATE_BROKERS).", valueName: "host:port[,…]"))
    var brokers: String?

    @Option(name: .long, help: ArgumentHelp("Topic holding the registry's state (default: $AVROGATE_REGISTRY_TOPIC or _schemas).", valueName: "name"))
    var topic: String?

    @Option(name: .long, help: ArgumentHelp("File of user:password lines; enables HTTP basic auth (default: $AVROGATE_REGISTRY_USERS_FILE).", valueName: "file"))
    var usersFile: String?

    @Option(name: .long, help: ArgumentHelp("error_code of incompatible-schema errors: 409 (Confluent before 7.x) or 40901 (default: $AVROGATE_REGISTRY_INCOMPATIBLE_ERROR_CODE or 409).", valueName: "code"))
    var incompatibleErrorCode: Int?

    @Option(name: .long, help: ArgumentHelp("Compatibility level when none is configured (default: $AVROGATE_REGISTRY_DEFAULT_COMPATIBILITY or BACKWARD).", valueName: "level"))
    var defaultCompatibility: String?

    @Option(name: .long, help: ArgumentHelp("librdkafka property for the registry's Kafka clients; repeatable (also $AVROGATE_KAFKA_PROPERTY, one a line).", valueName: "key=value"))
    var kafkaProperty: [String] = []

    func run() async throws {
        try await runReportingFailures {
            let server = RegistryServer(configuration: try configuration(environment: ProcessInfo.processInfo.environment))
            do {
                try await server.run()
            } catch let error as CLIFailure {
                throw error
            } catch {
                throw CLIFailure(exitCode: 1, message: "registry: \(error)")
            }
        }
    }

    /// The server configuration from the options, falling back to the environment.
    func configuration(environment: [String: String]) throws -> RegistryServerConfiguration {
        func fromEnvironment(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        guard let brokers = brokers ?? fromEnvironment("AVROGATE_BROKERS") else {
            throw CLIFailure(exitCode: 2, message: "no brokers: pass --brokers HOST:PORT or set AVROGATE_BROKERS")
        }
        let listen = listen ?? fromEnvironment("AVROGATE_REGISTRY_LISTEN") ?? "127.0.0.1:8081"
        let address = try ListenAddress(listen, option: "--listen")
        var configuration = RegistryServerConfiguration(
            brokers: brokers, host: address.host, port: address.port,
            topic: topic ?? fromEnvironment("AVROGATE_REGISTRY_TOPIC") ?? "_schemas")
        do {
            let environmentProperties = fromEnvironment("AVROGATE_KAFKA_PROPERTY").map { $0.split(whereSeparator: \.isNewline).map(String.init) } ?? []
            try configuration.kafka.apply(propertyArguments: environmentProperties + kafkaProperty)
        } catch {
            throw CLIFailure(exitCode: 2, message: "\(error)")
        }
        if let path = usersFile ?? fromEnvironment("AVROGATE_REGISTRY_USERS_FILE") {
            do {
                configuration.users = try RegistryUsers(contentsOfFile: path)
            } catch {
                throw CLIFailure(exitCode: 2, message: "cannot read users file: \(error)")
            }
        }
        let code = incompatibleErrorCode ?? fromEnvironment("AVROGATE_REGISTRY_INCOMPATIBLE_ERROR_CODE").flatMap { Int($0) } ?? 409
        guard code == 409 || code == 40901 else {
            throw CLIFailure(exitCode: 2, message: "--incompatible-error-code must be 409 or 40901, got \(code)")
        }
        configuration.incompatibleErrorCode = code
        if let level = defaultCompatibility ?? fromEnvironment("AVROGATE_REGISTRY_DEFAULT_COMPATIBILITY") {
            guard let parsed = CompatibilityLevel(rawValue: level.uppercased()) else {
                throw CLIFailure(exitCode: 2, message: "unknown compatibility level \(level)")
            }
            configuration.defaultCompatibility = parsed
        }
        return configuration
    }
}
