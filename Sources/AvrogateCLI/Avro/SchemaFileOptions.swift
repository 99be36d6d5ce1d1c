import ArgumentParser
import Avro
import Foundation

/// `--schema FILE`, read and parsed.
struct SchemaFileOptions: ParsableArguments {
    @Option(name: .long, help: "Avro schema file (JSON).")
    var schema: String

    /// Reads and parses the schema; exits 2 with the schema error on invalid input.
    func load() throws -> AvroSchema {
        try AvroSchemaFile.load(schema)
    }
}

/// Loads schema files for commands, turning failures into exit code 2 with a message.
enum AvroSchemaFile {
    static func load(_ path: String) throws -> AvroSchema {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw CLIFailure(exitCode: 2, message: "cannot read schema file \(path): \(error.localizedDescription)")
        }
        do {
            return try AvroSchema(parsing: text)
        } catch {
            throw CLIFailure(exitCode: 2, message: "\(path): \(error)")
        }
    }
}
