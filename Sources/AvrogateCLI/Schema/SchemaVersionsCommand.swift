import ArgumentParser

/// `avrogate schema versions --subject S`: prints a subject's version numbers.
struct SchemaVersionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "versions", abstract: "List a subject's versions, one a line.")

    @OptionGroup var options: RegistryOptions

    @Option(name: .long, help: "The subject.")
    var subject: String

    @Flag(name: .long, help: "Include soft-deleted versions.")
    var deleted = false

    func run() async throws {
        try await runAgainstRegistry {
            let versions = try await options.client().versions(subject: subject, includeDeleted: deleted)
            if options.json {
                try options.printJSON(versions)
            } else {
                versions.forEach { print($0) }
            }
        }
    }
}
