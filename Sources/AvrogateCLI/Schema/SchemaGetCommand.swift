import ArgumentParser
import Registry

/// `avrogate schema get (--id N | --subject S [--version V])`: prints a registered schema.
struct SchemaGetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Print a schema by global id, or a subject's version (the latest by default)."
    )

    @OptionGroup var options: RegistryOptions

    @Option(name: .long, help: "The schema's global id.")
    var id: Int?

    @Option(name: .long, help: "The subject.")
    var subject: String?

    @Option(name: .long, help: "The version under --subject (default: the latest).")
    var version: Int?

    func validate() throws {
        guard (id == nil) != (subject == nil) else {
            throw CLIFailure(exitCode: 2, message: "give either --id or --subject").exit()
        }
        guard version == nil || subject != nil else {
            throw CLIFailure(exitCode: 2, message: "--version needs --subject").exit()
        }
    }

    func run() async throws {
        try await runAgainstRegistry {
            let client = try options.client()
            let schema: RegisteredSchema
            var subjects: [SubjectVersion] = []
            if let id {
                schema = try await client.schema(id: id)
                subjects = try await client.subjectVersions(schemaID: id)
            } else if let subject, let version {
                schema = try await client.version(subject: subject, version: version)
            } else {
                schema = try await client.latest(subject: subject ?? "")
            }
            if options.json {
                try options.printJSON(SchemaOutput(schema, subjects: id == nil ? nil : subjects))
                return
            }
            if let subject = schema.subject, let version = schema.version {
                print("subject \(subject) version \(version) id \(schema.id) (\(schema.schemaType))")
            } else {
                let under = subjects.map { "\($0.subject) v\($0.version)" }.joined(separator: ", ")
                print("id \(schema.id) (\(schema.schemaType))" + (under.isEmpty ? "" : ", registered as \(under)"))
            }
            for reference in schema.references {
                print("reference \(reference.name) = \(reference.subject) version \(reference.version)")
            }
            print(schema.text)
        }
    }
}

/// A registered schema, as `get` prints it with --json (Confluent's field names).
struct SchemaOutput: Encodable {
    var id: Int
    var subject: String?
    var version: Int?
    var schemaType: String
    var schema: String
    var references: [SchemaReference]
    /// Where a schema fetched by id is registered.
    var subjects: [SubjectVersion]?

    init(_ schema: RegisteredSchema, subjects: [SubjectVersion]?) {
        id = schema.id
        subject = schema.subject
        version = schema.version
        schemaType = schema.schemaType
        self.schema = schema.text
        references = schema.references
        self.subjects = subjects
    }
}
