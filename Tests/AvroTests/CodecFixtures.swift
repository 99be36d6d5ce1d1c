import Avro
import Foundation
import TestSupport

/// Schemas and events under Tests/Fixtures/codec.
enum CodecFixtures {
    static func url(_ name: String) -> URL {
        TestEnvironment.fixture("codec/" + name)
    }

    static func text(_ name: String) throws -> String {
        try String(contentsOf: url(name), encoding: .utf8)
    }

    static func codec(_ schemaFile: String) throws -> AvroCodec {
        try AvroCodec(schema: try AvroSchema(parsing: try text(schemaFile)))
    }

    /// A codec for an inline schema (for the small schemas a single rule needs).
    static func codec(schema: String) throws -> AvroCodec {
        try AvroCodec(schema: try AvroSchema(parsing: schema))
    }

    /// The non-blank lines of an NDJSON fixture.
    static func lines(_ name: String) throws -> [String] {
        try text(name).split(separator: "\n").map(String.init).filter { !$0.allSatisfy(\.isWhitespace) }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    static func bytes(hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index ..< next], radix: 16)!)
            index = next
        }
        return bytes
    }
}

extension AvroEncoder {
    /// The errors of an event that must not encode (empty if it encodes).
    func errors(_ json: String, format: AvroJSONFormat = .natural) -> [ValidationError] {
        do {
            _ = try encode(json: json, format: format)
            return []
        } catch {
            return error.errors
        }
    }
}
