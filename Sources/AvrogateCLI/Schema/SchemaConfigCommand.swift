import ArgumentParser
import Avro

/// `avrogate schema config [--subject S] [--level L]`: gets or sets a compatibility level.
struct SchemaConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Print or set the compatibility level, global or of a subject.",
        discussion: "A subject without its own level prints the global one."
    )

    @OptionGroup var options: RegistryOptions

    @Option(name: .long, help: "The subject (default: the global level).")
    var subject: String?

    @Option(name: .long, help: "Set this level: NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL or FULL_TRANSITIVE.")
    var level: String?

    func run() async throws {
        try await runAgainstRegistry {
            let newLevel = try level.map { (text) throws -> CompatibilityLevel in try RegistrySetting.parse(text, as: "compatibility level") }
            let client = try options.client()
            let current: CompatibilityLevel
            if let newLevel {
                current = try await client.setCompatibilityLevel(newLevel, subject: subject)
            } else {
                current = try await client.compatibilityLevel(subject: subject)
            }
            if options.json {
                try options.printJSON(ConfigOutput(subject: subject, compatibilityLevel: current.rawValue))
            } else {
                print("\(newLevel == nil ? "" : "set ")\(subject ?? "global") compatibility \(current.rawValue)")
            }
        }
    }
}

/// A compatibility level, as `config` prints it with --json.
struct ConfigOutput: Encodable {
    var subject: String?
    var compatibilityLevel: String
}
