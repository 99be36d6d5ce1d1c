import ArgumentParser
import Avro

/// `avrogate avro compat --reader FILE --writer FILE [--level LEVEL]`: schema compatibility, offline.
struct AvroCompatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compat",
        abstract: "Check whether a reader schema can read data written with writer schemas.",
        discussion: """
        Without --level: checks that the --reader schema can read data written with each --writer \
        schema, by the Avro specification's resolution rules (as Confluent's registry applies them).

        With --level: --reader is the new schema (the one a consumer or producer is moving to) and the \
        --writer schemas are the existing ones, oldest first, as a registry subject would hold them. \
        BACKWARD checks that the new schema reads the latest existing one, FORWARD that the latest \
        existing one reads the new, FULL both; the _TRANSITIVE levels check every existing schema; \
        NONE always passes.

        Exit status: 0 compatible; 1 incompatible, with one reason a line on stdout (the path in the \
        schema doing the reading, then why); 2 invalid input (an unreadable or invalid schema file, an \
        unknown level).
        """
    )

    @Option(name: .long, help: "The reader schema file; with --level, the new schema.")
    var reader: String

    @Option(name: .long, help: "A writer schema file; repeat for several. With --level, the existing schemas, oldest first.")
    var writer: [String]

    @Option(name: .long, help: "NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL or FULL_TRANSITIVE.")
    var level: String?

    func run() async throws {
        try await runReportingFailures {
            let level = try level.map(Self.parseLevel)
            let readerSchema = try AvroSchemaFile.load(reader)
            let writerSchemas = try writer.map(AvroSchemaFile.load)
            let reasons: [String]
            if let level {
                reasons = CompatibilityChecker.check(new: readerSchema, existing: writerSchemas, level: level).map { incompatibility in
                    switch incompatibility.direction {
                    case .existingReadsNew(let index)?: "\(incompatibility) (reader \(writer[index]), writer \(reader))"
                    case .newReadsExisting(let index)?: "\(incompatibility) (reader \(reader), writer \(writer[index]))"
                    case nil: incompatibility.description
                    }
                }
            } else {
                reasons = writer.indices.flatMap { index in
                    CompatibilityChecker.canRead(reader: readerSchema, writer: writerSchemas[index]).map { incompatibility in
                        writer.count > 1 ? "\(incompatibility) (writer \(writer[index]))" : incompatibility.description
                    }
                }
            }
            guard reasons.isEmpty else {
                reasons.forEach { print($0) }
                throw ExitCode(1)
            }
        }
    }

    private static func parseLevel(_ text: String) throws -> CompatibilityLevel {
        guard let level = CompatibilityLevel(rawValue: text.uppercased()) else {
            let known = CompatibilityLevel.allCases.map(\.rawValue).joined(separator: ", ")
            throw CLIFailure(exitCode: 2, message: "unknown compatibility level '\(text)' (expected one of \(known))")
        }
        return level
    }
}
