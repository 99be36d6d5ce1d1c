import Avro
import Foundation
import Testing
import TestSupport

/// The encoder against fastavro's `schemaless_writer`: the same events must give the same bytes.
/// Runs scripts/fastavro_crosscheck.py (fastavro is installed by scripts/setup.sh).
@Suite struct FastavroCrossCheckTests {
    /// fastavro's encoding of each event of an NDJSON file, as hex lines.
    private func fastavro(schema: URL, events: URL) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", TestEnvironment.packageRoot.appendingPathComponent("scripts/fastavro_crosscheck.py").path, schema.path, events.path]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "fastavro_crosscheck.py failed: \(message)")
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    private func crossCheck(schema: URL, events: URL) throws {
        let codec = try AvroCodec(schema: try AvroSchema(parsing: try String(contentsOf: schema, encoding: .utf8)))
        let encoder = try codec.makeEncoder()
        let lines = try String(contentsOf: events, encoding: .utf8).split(separator: "\n").map(String.init)
        let expected = try fastavro(schema: schema, events: events)
        #expect(lines.count == expected.count)
        for (line, fastavroHex) in zip(lines, expected) {
            #expect(CodecFixtures.hex(try encoder.encode(json: line)) == fastavroHex, "\(line)")
        }
    }

    @Test func everyTypeEncodesExactlyAsFastavroDoes() throws {
        try crossCheck(schema: CodecFixtures.url("all-types.avsc"), events: CodecFixtures.url("all-types.events.ndjson"))
    }

    /// Where both rules are defined the same: fastavro puts every number into `double` when a
    /// union has both `float` and `double`, where the encoder takes `float` when it holds the
    /// number exactly, so the fixture has no such union.
    @Test func unionChoicesMatchFastavros() throws {
        try crossCheck(schema: CodecFixtures.url("unions.avsc"), events: CodecFixtures.url("unions.events.ndjson"))
    }

    @Test func theReferenceAndExampleSchemasEncodeExactlyAsFastavroDoes() throws {
        let schemas = TestEnvironment.packageRoot.appendingPathComponent("schemas")
        for name in ["reference", "orders-value", "clicks-value"] {
            try crossCheck(schema: schemas.appendingPathComponent("\(name).avsc"), events: schemas.appendingPathComponent("\(name).example.json"))
        }
    }

    /// fastavro sizes a negative decimal by its magnitude, so -1.28 (-128 unscaled) takes two
    /// bytes there and one (the minimal two's complement, as Java writes it) here; both read back
    /// as the same value.
    @Test func negativePowersOfTwoDecimalsAreOneByteShorterThanFastavros() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("decimal-\(UUID().uuidString).ndjson")
        try "\"-1.28\"\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let schemaFile = CodecFixtures.url("decimal.avsc")
        #expect(try fastavro(schema: schemaFile, events: file) == ["04ff80"])
        let codec = try CodecFixtures.codec("decimal.avsc")
        #expect(CodecFixtures.hex(try codec.makeEncoder().encode(json: "\"-1.28\"")) == "0280")
        let fastavroValue = try codec.makeDecoder().decode(CodecFixtures.bytes(hex: "04ff80"))
        #expect(AvroJSONWriter(codec: codec).json(fastavroValue) == "\"-1.28\"")
    }
}
