import ArgumentParser
import Registry

/// `avrogate schema register --subject S --file F`: registers a schema, prints its id and version.
struct SchemaRegisterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Register a schema under a subject and print its id and version.",
        discussion: "A schema already registered under the subject keeps its id and version. The registry refuses a schema incompatible with the subject's versions (exit 1, with its reasons)."
    )

    @OptionGroup var options: RegistryOptions

    @OptionGroup var schemaFile: SubjectSchemaOptions

    @Flag(name: .long, help: "Ask the registry to normalize the schema before comparing it with existing versions.")
    var normalize = false

    func run() async throws {
        try await runAgainstRegistry {
            let client = try options.client()
            let schema = try await schemaFile.load(client: client)
            let subject = schemaFile.subject
            let id = try await client.register(subject: subject, schema: schema.text, references: schema.references, normalize: normalize)
            let registered = try await client.lookup(subject: subject, schema: schema.text, references: schema.references, normalize: normalize)
            if options.json {
                try options.printJSON(SubjectVersionOutput(subject: subject, id: id, version: registered.version))
            } else {
                print("registered \(subject) version \(registered.version.map(String.init) ?? "?") id \(id)")
            }
        }
    }
}

/// A subject version's id, as `register` and `evolve` print it with --json.
struct SubjectVersionOutput: Encodable {
    var subject: String
    var id: Int
    var version: Int?
}
