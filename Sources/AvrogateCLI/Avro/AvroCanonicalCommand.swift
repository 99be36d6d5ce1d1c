import ArgumentParser
import Avro

/// `avrogate avro canonical --schema FILE`: prints the Parsing Canonical Form.
struct AvroCanonicalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "canonical", abstract: "Print the schema's Parsing Canonical Form.")

    @OptionGroup var schema: SchemaFileOptions

    func run() async throws {
        try await runReportingFailures {
            print(try schema.load().canonicalForm)
        }
    }
}
