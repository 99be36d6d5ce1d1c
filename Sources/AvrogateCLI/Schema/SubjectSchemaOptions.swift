import ArgumentParser
import Registry

/// The subject and schema file that `schema register`, `check` and `evolve` take, with the named types
/// the schema borrows from other subjects.
struct SubjectSchemaOptions: ParsableArguments {
    @Option(name: .long, help: "The subject, e.g. orders-value.")
    var subject: String

    @Option(name: .long, help: ArgumentHelp("The Avro schema file.", valueName: "file"))
    var file: String

    @Option(name: .long, help: ArgumentHelp("A named type from another subject, as name=subject:version; repeat for several.", valueName: "name=subject:version"))
    var reference: [ReferenceArgument] = []

    /// The schema file's text with its references resolved against `client`.
    func load(client: SchemaRegistryClient) async throws -> RegistrySchemaFile {
        try await RegistrySchemaFile.load(file, references: reference, client: client)
    }
}
