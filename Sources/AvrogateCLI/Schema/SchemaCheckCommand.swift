import ArgumentParser
import Registry

/// `avrogate schema check --subject S --file F [--version V]`: asks the registry whether the
/// schema could be registered, under the subject's compatibility level.
struct SchemaCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a schema against a subject's versions, at the subject's compatibility level.",
        discussion: "Exit 0 when compatible; 1 when not, with every reason the registry gives, a line each."
    )

    @OptionGroup var options: RegistryOptions

    @OptionGroup var schemaFile: SubjectSchemaOptions

    @Option(name: .long, help: "Check against this version only (default: the versions the subject's level names).")
    var version: Int?

    func run() async throws {
        try await runAgainstRegistry {
            let client = try options.client()
            let schema = try await schemaFile.load(client: client)
            let subject = schemaFile.subject
            let result = try await client.checkCompatibility(subject: subject, schema: schema.text, references: schema.references,
                                                             against: version.map(CompatibilityTarget.version) ?? .subjectLevel)
            let level = try await client.compatibilityLevel(subject: subject)
            let report = CompatibilityReport(subject: subject, level: level.rawValue, version: version, result: result)
            if options.json {
                try options.printJSON(report)
            } else {
                report.print()
            }
            if !result.isCompatible { throw ExitCode(1) }
        }
    }
}

/// The outcome of a compatibility check, as `check` and `evolve` print it.
struct CompatibilityReport: Encodable {
    var subject: String
    var compatibilityLevel: String
    var version: Int?
    var compatible: Bool
    var messages: [String]

    init(subject: String, level: String, version: Int?, result: CompatibilityCheckResponse) {
        self.subject = subject
        compatibilityLevel = level
        self.version = version
        compatible = result.isCompatible
        messages = result.messages ?? []
    }

    func print() {
        let against = version.map { "\(subject) version \($0)" } ?? subject
        if compatible {
            Swift.print("compatible with \(against) (\(compatibilityLevel))")
        } else {
            Swift.print("incompatible with \(against) (\(compatibilityLevel)):")
            for message in messages { Swift.print("  - \(message)") }
            if messages.isEmpty { Swift.print("  (the registry gave no reasons)") }
        }
    }
}
