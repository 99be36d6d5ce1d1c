import Avro
import Foundation
import Testing
import TestSupport

/// Why datums from the network never reach avro-c: Fuzz/avroc-hostile-datums.c, run in a child
/// process, shows avro-c 1.11.1 accepting or choking on datums that ``AvroDecoder`` rejects.
@Suite struct AvroCHostileDatumTests {
    private static let driver: URL? = {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("avroc-hostile-\(UUID().uuidString)")
        let source = TestEnvironment.packageRoot.appendingPathComponent("Fuzz/avroc-hostile-datums.c")
        guard let status = try? run("/usr/bin/env", ["cc", source.path, "-lavro", "-o", output.path]).status, status == 0 else { return nil }
        return output
    }()

    private static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    private func driver(_ scenario: String) throws -> (status: Int32, output: String) {
        let driver = try #require(Self.driver, "cannot build Fuzz/avroc-hostile-datums.c (needs cc and libavro-dev)")
        return try Self.run(driver.path, [scenario])
    }

    @Test func avroCAcceptsAnEnumIndexOutsideTheSymbolsThatOurDecoderRejects() throws {
        #expect(try driver("enum").output.contains("avro_value_read returned 0\n"))
        let decoder = try CodecFixtures.codec(schema: #"{"type":"enum","name":"E","symbols":["A","B"]}"#).makeDecoder()
        #expect(throws: AvroDecodingError(kind: .invalidEnumIndex(7, symbols: 2), offset: 0, path: "$")) { try decoder.decode([0x0E]) }
    }

    @Test func avroCKeepsReadingAnArrayOfNullsClaimingTwoToThe63Items() throws {
        let result = try driver("nulls")
        #expect(result.status == 3)
        #expect(result.output.contains("still reading after 2 seconds"))
        let decoder = try CodecFixtures.codec(schema: #"{"type":"array","items":"null"}"#).makeDecoder()
        #expect(throws: AvroDecodingError(kind: .tooManyItems(limit: 1 << 20), offset: 0, path: "$")) {
            try decoder.decode([0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
        }
    }

    @Test func avroCAllocatesAClaimedStringLengthBeforeCheckingTheInput() throws {
        #expect(try driver("length").output.contains("Cannot allocate buffer for string value"))
        let decoder = try CodecFixtures.codec(schema: #""string""#).makeDecoder()
        #expect(throws: AvroDecodingError(kind: .lengthExceedsRemaining(length: 1 << 62, remaining: 0), offset: 0, path: "$")) {
            try decoder.decode([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01])
        }
    }

    @Test func avroCRejectsAUnionIndexOutsideTheUnionAsOurDecoderDoes() throws {
        #expect(try driver("union").output.contains("Invalid union discriminant value: (7)"))
        let decoder = try CodecFixtures.codec(schema: #"["null","int"]"#).makeDecoder()
        #expect(throws: AvroDecodingError(kind: .invalidUnionIndex(7, branches: 2), offset: 0, path: "$")) { try decoder.decode([0x0E, 0x02]) }
    }
}
