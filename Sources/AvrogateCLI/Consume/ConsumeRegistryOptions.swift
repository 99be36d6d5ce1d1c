import ArgumentParser
import Foundation
import Logging
import Registry

/// Where `avrogate consume` finds the registry and how it authenticates (the same environment variables
/// as the `schema` commands).
struct ConsumeRegistryOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Registry URL; repeat or separate with commas for failover (default: $AVROGATE_REGISTRY_URL).", valueName: "url"))
    var registry: [String] = []

    @Option(name: .long, help: ArgumentHelp("User name for the registry's HTTP basic auth (default: $AVROGATE_REGISTRY_USER).", valueName: "user"))
    var registryUser: String?

    @Option(name: .long, help: ArgumentHelp("Password for the registry's HTTP basic auth (default: $AVROGATE_REGISTRY_PASSWORD).", valueName: "password"))
    var registryPassword: String?

    @Option(name: .long, help: ArgumentHelp("Bearer token for the registry (default: $AVROGATE_REGISTRY_TOKEN).", valueName: "token"))
    var registryToken: String?

    @Option(name: .long, help: ArgumentHelp("PEM file of the certificate authorities to trust for https registry URLs (default: $AVROGATE_REGISTRY_CA_FILE).", valueName: "file"))
    var registryCAFile: String?

    /// A client for the registry; exits 2 when the options do not name a usable registry.
    func client(logger: Logger) throws -> SchemaRegistryClient {
        let environment = ProcessInfo.processInfo.environment
        var urls = registry.flatMap { $0.split(separator: ",").map(String.init) }
        if urls.isEmpty, let fromEnvironment = environment["AVROGATE_REGISTRY_URL"], !fromEnvironment.isEmpty {
            urls = fromEnvironment.split(separator: ",").map(String.init)
        }
        guard !urls.isEmpty else {
            throw CLIFailure(exitCode: 2, message: "no registry: pass --registry URL or set AVROGATE_REGISTRY_URL")
        }
        var authentication = SchemaRegistryClientConfiguration.Authentication.none
        if let token = registryToken ?? environment["AVROGATE_REGISTRY_TOKEN"].flatMap({ $0.isEmpty ? nil : $0 }) {
            authentication = .bearer(token: token)
        }
        if let registryUser = registryUser ?? environment["AVROGATE_REGISTRY_USER"].flatMap({ $0.isEmpty ? nil : $0 }) {
            guard case .none = authentication else {
                throw CLIFailure(exitCode: 2, message: "use either --registry-user and --registry-password or --registry-token, not both")
            }
            authentication = .basic(user: registryUser, password: registryPassword ?? environment["AVROGATE_REGISTRY_PASSWORD"] ?? "")
        }
        let caFile = registryCAFile ?? environment["AVROGATE_REGISTRY_CA_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        let configuration = SchemaRegistryClientConfiguration(urls: urls, authentication: authentication, tls: .init(caFile: caFile))
        do {
            return try SchemaRegistryClient(configuration: configuration, logger: logger)
        } catch {
            throw CLIFailure(exitCode: 2, message: error.description)
        }
    }
}
