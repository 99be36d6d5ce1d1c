import ArgumentParser
import Avro
import Registry

/// `avrogate schema evolve --subject S --file F [--dry-run]`: checks a new version, shows what
/// changed against the latest one field by field, then registers it.
struct SchemaEvolveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evolve",
        abstract: "Check a new schema version, show what changed against the latest, and register it.",
        discussion: """
        The changes are computed from the two schemas: fields added (with or without a default), \
        removed, renamed (through aliases) or changed in type, enum symbols added or removed. An \
        incompatible schema is not registered (exit 1, with the registry's reasons).
        """
    )

    @OptionGroup var options: RegistryOptions

    @OptionGroup var schemaFile: SubjectSchemaOptions

    @Flag(name: .long, help: "Check and show the changes, but do not register.")
    var dryRun = false

    func run() async throws {
        try await runAgainstRegistry {
            let client = try options.client()
            let schema = try await schemaFile.load(client: client)
            let subject = schemaFile.subject
            let latest: RegisteredSchema?
            do throws(SchemaRegistryError) {
                latest = try await client.latest(subject: subject)
            } catch {
                guard error.code == .subjectNotFound else { throw error }
                latest = nil
            }
            let result = try await client.checkCompatibility(subject: subject, schema: schema.text, references: schema.references)
            let level = try await client.compatibilityLevel(subject: subject)
            let changes = try latest.map { SchemaChanges.between(old: try $0.avroSchema, new: schema.schema) } ?? []

            var output = EvolveOutput(check: CompatibilityReport(subject: subject, level: level.rawValue, version: nil, result: result),
                                      latestVersion: latest?.version, changes: changes, registered: nil)
            if result.isCompatible, !dryRun {
                let id = try await client.register(subject: subject, schema: schema.text, references: schema.references)
                let registered = try await client.lookup(subject: subject, schema: schema.text, references: schema.references)
                output.registered = SubjectVersionOutput(subject: subject, id: id, version: registered.version)
            }
            if options.json {
                try options.printJSON(output)
            } else {
                output.print(dryRun: dryRun)
            }
            if !result.isCompatible { throw ExitCode(1) }
        }
    }
}

/// What `evolve` found and did.
struct EvolveOutput: Encodable {
    var check: CompatibilityReport
    /// The version the changes are against; `nil` for a new subject.
    var latestVersion: Int?
    var changes: [SchemaChange]
    var registered: SubjectVersionOutput?

    func print(dryRun: Bool) {
        check.print()
        if let latestVersion {
            Swift.print(changes.isEmpty ? "no changes from version \(latestVersion)" : "changes from version \(latestVersion):")
            for change in changes { Swift.print("  \(change.summary)") }
        } else {
            Swift.print("\(check.subject) has no versions yet: this is its first")
        }
        if let registered {
            Swift.print("registered \(registered.subject) version \(registered.version.map(String.init) ?? "?") id \(registered.id)")
        } else if dryRun, check.compatible {
            Swift.print("dry run: not registered")
        }
    }
}
