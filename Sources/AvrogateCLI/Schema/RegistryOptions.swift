import ArgumentParser
import Avro
import Foundation
import Registry

/// The options every `avrogate schema` subcommand shares: where the registry is, how to
/// authenticate, and the output format.
struct RegistryOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Registry URL; repeat or separate with commas for failover (default: $AVROGATE_REGISTRY_URL).", valueName: "url"))
    var registry: [String] = []

    // The short names are the originals; the --registry-… ones match serve, consume and produce.
    @Option(name: [.customLong("registry-user"), .customLong("user")], help: ArgumentHelp("User name for HTTP basic auth (default: $AVROGATE_REGISTRY_USER).", valueName: "user"))
    var user: String?

    @Option(name: [.customLong("registry-password"), .customLong("password")], help: ArgumentHelp("Password for HTTP basic auth (default: $AVROGATE_REGISTRY_PASSWORD).", valueName: "password"))
    var password: String?

    @Option(name: [.customLong("registry-token"), .customLong("token")], help: ArgumentHelp("Bearer token (default: $AVROGATE_REGISTRY_TOKEN).", valueName: "token"))
    var token: String?

    @Option(name: [.customLong("registry-ca-file"), .customLong("ca-file")], help: ArgumentHelp("PEM file of the certificate authorities to trust for https URLs (default: $AVROGATE_REGISTRY_CA_FILE).", valueName: "file"))
    var caFile: String?

    @Flag(name: .long, help: "Print JSON for scripts instead of text for people.")
    var json = false

    /// A client for the registry; exits 2 when the options do not name a usable registry.
    func client() throws -> SchemaRegistryClient {
        let environment = ProcessInfo.processInfo.environment
        var urls = registry
        if urls.isEmpty, let fromEnvironment = environment["AVROGATE_REGISTRY_URL"], !fromEnvironment.isEmpty {
            urls = [fromEnvironment]
        }
        guard !urls.isEmpty else {
            throw CLIFailure(exitCode: 2, message: "no registry: pass --registry URL or set AVROGATE_REGISTRY_URL")
        }
        var authentication = SchemaRegistryClientConfiguration.Authentication.none
        if let token = token ?? environment["AVROGATE_REGISTRY_TOKEN"].flatMap({ $0.isEmpty ? nil : $0 }) {
            authentication = .bearer(token: token)
        }
        if let user = user ?? environment["AVROGATE_REGISTRY_USER"].flatMap({ $0.isEmpty ? nil : $0 }) {
            guard case .none = authentication else {
                throw CLIFailure(exitCode: 2, message: "use either --user and --password or --token, not both")
            }
            authentication = .basic(user: user, password: password ?? environment["AVROGATE_REGISTRY_PASSWORD"] ?? "")
        }
        let caFile = caFile ?? environment["AVROGATE_REGISTRY_CA_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        let configuration = SchemaRegistryClientConfiguration(urls: urls, authentication: authentication, tls: .init(caFile: caFile))
        do {
            return try SchemaRegistryClient(configuration: configuration)
        } catch {
            throw CLIFailure(exitCode: 2, message: error.description)
        }
    }

    /// Prints a value as one line of JSON with sorted keys.
    func printJSON(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}

extension SchemaRegistryError {
    /// The CLI's report of a registry failure: exit 3 when no registry answered in time, 2 for
    /// an unusable configuration, otherwise 1 with the registry's code and message.
    var cliFailure: CLIFailure {
        switch kind {
        case .unavailable, .timeout: CLIFailure(exitCode: 3, message: description)
        case .invalidConfiguration: CLIFailure(exitCode: 2, message: description)
        default: CLIFailure(exitCode: 1, message: description)
        }
    }
}

/// Runs a `schema` subcommand body, reporting registry failures with their exit codes.
func runAgainstRegistry(_ body: () async throws -> Void) async throws {
    try await runReportingFailures {
        do {
            try await body()
        } catch let error as SchemaRegistryError {
            throw error.cliFailure
        }
    }
}

/// `--reference name=subject:version`, parsed.
struct ReferenceArgument: ExpressibleByArgument {
    let reference: SchemaReference

    init?(argument: String) {
        guard let equals = argument.firstIndex(of: "="), let colon = argument.lastIndex(of: ":"), equals < colon,
              let version = Int(argument[argument.index(after: colon)...]) else { return nil }
        let name = String(argument[..<equals])
        let subject = String(argument[argument.index(after: equals) ..< colon])
        guard !name.isEmpty, !subject.isEmpty else { return nil }
        reference = SchemaReference(name: name, subject: subject, version: version)
    }
}

/// A schema file to send to the registry: its text as written, parsed to check it first.
struct RegistrySchemaFile {
    let text: String
    let schema: AvroSchema
    let references: [SchemaReference]

    /// Reads and parses the file; with references, their named types come from the registry.
    /// Exits 2 for an unreadable or invalid file.
    static func load(_ path: String, references: [ReferenceArgument], client: SchemaRegistryClient) async throws -> RegistrySchemaFile {
        let references = references.map(\.reference)
        guard !references.isEmpty else {
            let schema = try AvroSchemaFile.load(path)
            return RegistrySchemaFile(text: schema.text, schema: schema, references: [])
        }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw CLIFailure(exitCode: 2, message: "cannot read schema file \(path): \(error.localizedDescription)")
        }
        do throws(SchemaRegistryError) {
            return RegistrySchemaFile(text: text, schema: try await client.parse(text, references: references), references: references)
        } catch {
            guard error.kind == .registry, error.code == .invalidSchema else { throw error }
            throw CLIFailure(exitCode: 2, message: "\(path): \(error.message)")
        }
    }
}
