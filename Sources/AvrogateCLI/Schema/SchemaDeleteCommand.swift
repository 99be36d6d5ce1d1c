import ArgumentParser
import Registry

/// `avrogate schema delete --subject S [--version V] [--permanent]`: deletes a subject or a version.
struct SchemaDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete a subject, or one version of it.",
        discussion: "A soft delete hides the subject or version (list --deleted still shows it); --permanent removes it for good, soft-deleting it first when needed."
    )

    @OptionGroup var options: RegistryOptions

    @Option(name: .long, help: "The subject.")
    var subject: String

    @Option(name: .long, help: "Delete only this version.")
    var version: Int?

    @Flag(name: .long, help: "Delete for good rather than soft-delete.")
    var permanent = false

    func run() async throws {
        try await runAgainstRegistry {
            let client = try options.client()
            let deleted: [Int]
            if let version {
                if permanent { try await softDeleteFirst { _ = try await client.deleteVersion(subject: subject, version: version) } }
                deleted = [try await client.deleteVersion(subject: subject, version: version, permanent: permanent)]
            } else {
                if permanent { try await softDeleteFirst { _ = try await client.deleteSubject(subject) } }
                deleted = try await client.deleteSubject(subject, permanent: permanent)
            }
            if options.json {
                try options.printJSON(DeleteOutput(subject: subject, versions: deleted, permanent: permanent))
            } else {
                let versions = deleted.map(String.init).joined(separator: ", ")
                print("deleted \(subject) version\(deleted.count == 1 ? "" : "s") \(versions)\(permanent ? " permanently" : "")")
            }
        }
    }

    /// A permanent delete needs a soft delete first; one already done is fine.
    private func softDeleteFirst(_ delete: () async throws -> Void) async throws {
        do {
            try await delete()
        } catch let error as SchemaRegistryError where error.code == .subjectSoftDeleted || error.code == .schemaVersionSoftDeleted {
            return
        }
    }
}

/// What `delete` removed, as it prints it with --json.
struct DeleteOutput: Encodable {
    var subject: String
    var versions: [Int]
    var permanent: Bool
}
