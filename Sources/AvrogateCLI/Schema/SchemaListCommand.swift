import ArgumentParser

/// `avrogate schema list [--deleted]`: prints the registry's subjects.
struct SchemaListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the registry's subjects, one a line.")

    @OptionGroup var options: RegistryOptions

    @Flag(name: .long, help: "Include soft-deleted subjects.")
    var deleted = false

    @Option(name: .long, help: "Only subjects starting with this prefix.")
    var prefix: String?

    func run() async throws {
        try await runAgainstRegistry {
            let subjects = try await options.client().subjects(prefix: prefix, includeDeleted: deleted)
            if options.json {
                try options.printJSON(subjects)
            } else {
                subjects.forEach { print($0) }
            }
        }
    }
}
