import Foundation
import TestSupport
import Testing

/// `avrogate avro fromjson` and `avrogate avro tojson` through the built binary.
@Suite("avrogate avro fromjson / tojson")
struct AvroCodecCommandTests {
    private struct Run {
        let status: Int32
        let stdout: Data
        let stderr: String
        var text: String { String(decoding: stdout, as: UTF8.self) }
        var lines: [String] { text.split(separator: "\n").map(String.init) }
        var errorLines: [String] { stderr.split(separator: "\n").map(String.init) }
    }

    private let orders = TestEnvironment.packageRoot.appendingPathComponent("schemas/orders-value.avsc").path
    private let reader = TestEnvironment.fixture("codec/orders-reader.avsc").path

    private func avro(_ arguments: [String], stdin: Data) throws -> Run {
        let process = Process()
        process.executableURL = try TestEnvironment.binary()
        process.arguments = ["avro"] + arguments
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Feed stdin while reading stdout, so neither side blocks on a full pipe.
        let writer = Thread { input.fileHandleForWriting.write(stdin); try? input.fileHandleForWriting.close() }
        writer.start()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: out, stderr: String(decoding: err, as: UTF8.self))
    }

    private func avro(_ arguments: [String], stdin: String) throws -> Run {
        try avro(arguments, stdin: Data(stdin.utf8))
    }

    private func events() throws -> String {
        try String(contentsOf: TestEnvironment.fixture("codec/orders.events.ndjson"), encoding: .utf8)
    }

    @Test func fromjsonWritesOneHexLinePerValidEventAndReportsEveryErrorOfTheInvalidOnes() throws {
        let run = try avro(["fromjson", "--schema", orders], stdin: try events())
        #expect(run.status == 1)
        #expect(run.lines.count == 2)
        #expect(run.errorLines.filter { $0.hasPrefix("record 3: ") } == [
            "record 3: $.orderId: expected uuid (8-4-4-4-12 hex digits), got \"not-a-uuid\"",
            "record 3: $.customerId: expected long, got \"1002\"",
            "record 3: $.status: expected com.avrogate.example.OrderStatus symbol (PLACED, PAID, SHIPPED, CANCELLED), got \"LOST\"",
        ])
        #expect(run.stderr.contains("1 of the records were invalid"))
    }

    @Test func allValidEventsExitZero() throws {
        let run = try avro(["fromjson", "--schema", orders], stdin: try String(contentsOf: TestEnvironment.packageRoot.appendingPathComponent("schemas/orders-value.example.json"), encoding: .utf8))
        #expect(run.status == 0)
        #expect(run.stderr.isEmpty)
        #expect(run.lines.count == 1)
    }

    @Test func hexLinesDecodeBackToNaturalJSON() throws {
        let encoded = try avro(["fromjson", "--schema", orders], stdin: try events())
        let decoded = try avro(["tojson", "--schema", orders], stdin: encoded.stdout)
        #expect(decoded.status == 0)
        #expect(decoded.lines == [
            #"{"orderId":"0f8e6c2a-5b1d-4c3e-8a7f-9d2b4e6f8a10","customerId":1001,"placedAt":"2024-05-17T09:31:27.412Z","status":"PAID","lines":[{"sku":"SKU-1001","quantity":2,"unitPrice":"19.99"}],"total":"39.98","currency":"EUR","couponCode":"SPRING"}"#,
            #"{"orderId":"1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed","customerId":1003,"placedAt":"2024-05-17T09:31:27.412Z","status":"PLACED","lines":[],"total":"0.00","currency":"USD","couponCode":null}"#,
        ])
    }

    @Test func binaryOutputIsAStreamThatTojsonDecodesUntilTheEnd() throws {
        let encoded = try avro(["fromjson", "--schema", orders, "--output", "binary"], stdin: try events())
        let decoded = try avro(["tojson", "--schema", orders, "--input", "binary"], stdin: encoded.stdout)
        #expect(decoded.status == 0)
        #expect(decoded.lines.count == 2)
    }

    @Test func framesCarryTheSchemaIDAsHexLinesOrRawBytes() throws {
        let hex = try avro(["fromjson", "--schema", orders, "--output", "framed", "--schema-id", "258"], stdin: try events())
        #expect(hex.lines.allSatisfy { $0.hasPrefix("0000000102") })
        #expect(try avro(["tojson", "--schema", orders, "--input", "framed", "--schema-id", "258"], stdin: hex.stdout).lines.count == 2)
        let raw = try avro(["fromjson", "--schema", orders, "--output", "framed", "--schema-id", "258", "--raw"], stdin: try events())
        #expect(Array(raw.stdout.prefix(5)) == [0, 0, 0, 1, 2])
        #expect(try avro(["tojson", "--schema", orders, "--input", "framed", "--raw"], stdin: raw.stdout).lines.count == 2)
    }

    @Test func aFrameNamingAnotherSchemaIDIsAnError() throws {
        let frames = try avro(["fromjson", "--schema", orders, "--output", "framed", "--schema-id", "7"], stdin: try events())
        let run = try avro(["tojson", "--schema", orders, "--input", "framed", "--schema-id", "8"], stdin: frames.stdout)
        #expect(run.status == 1)
        #expect(run.errorLines.first == "record 1: frame names schema id 7, not 8")
    }

    @Test func framedOutputWithoutASchemaIDExitsTwo() throws {
        let run = try avro(["fromjson", "--schema", orders, "--output", "framed"], stdin: "")
        #expect(run.status == 2)
        #expect(run.stderr.contains("--schema-id"))
    }

    @Test func aReaderSchemaResolvesTheDatumsIntoItsShape() throws {
        let encoded = try avro(["fromjson", "--schema", orders], stdin: try events())
        let decoded = try avro(["tojson", "--schema", orders, "--reader", reader], stdin: encoded.stdout)
        #expect(decoded.status == 0)
        #expect(decoded.lines.first == #"{"orderId":"0f8e6c2a-5b1d-4c3e-8a7f-9d2b4e6f8a10","customerId":1001.0,"placedAt":"2024-05-17T09:31:27.412Z","status":"PAID","lines":[{"sku":"SKU-1001","quantity":2,"unitPrice":"19.99"}],"total":"39.98","currency":"EUR","channel":"web"}"#)
    }

    @Test func aReaderThatCannotReadTheWriterExitsTwo() throws {
        let run = try avro(["tojson", "--schema", reader, "--reader", orders], stdin: "")
        #expect(run.status == 2)
        #expect(run.stderr.contains("cannot read"))
    }

    @Test func avroJSONOutputWrapsUnionValues() throws {
        let encoded = try avro(["fromjson", "--schema", orders], stdin: try events())
        let decoded = try avro(["tojson", "--schema", orders, "--format", "avro-json"], stdin: encoded.stdout)
        #expect(decoded.lines.first?.hasSuffix(#""couponCode":{"string":"SPRING"}}"#) == true)
        #expect(decoded.lines.first?.contains(#""placedAt":1715938287412"#) == true)
        let again = try avro(["fromjson", "--schema", orders, "--format", "avro-json"], stdin: decoded.stdout)
        #expect(again.stdout == encoded.stdout)
    }

    @Test func anUndecodableHexLineIsReportedAndTheNextLinesStillDecode() throws {
        let good = try avro(["fromjson", "--schema", orders], stdin: try events()).lines[0]
        let run = try avro(["tojson", "--schema", orders], stdin: "zz\n\(good)00\n\(good)\n")
        #expect(run.status == 1)
        #expect(run.lines.count == 1)
        #expect(run.errorLines.prefix(2) == ["record 1: not a line of hex digits", "record 2: invalid Avro datum at $ (byte \(good.count / 2)): 1 bytes after the end of the datum"])
    }

    @Test func aBrokenBinaryStreamStopsAtTheBadDatum() throws {
        let encoded = try avro(["fromjson", "--schema", orders, "--output", "binary"], stdin: try events())
        let run = try avro(["tojson", "--schema", orders, "--input", "binary"], stdin: encoded.stdout + Data([0x02]))
        #expect(run.status == 1)
        #expect(run.lines.count == 2)
        #expect(run.errorLines.first?.hasPrefix("record 3 (byte \(encoded.stdout.count)): ") == true)
    }

    @Test func unknownFieldsCanBeIgnoredAndBytesReadAsBase64() throws {
        let schema = TestEnvironment.fixture("codec/validation.avsc").path
        var event = try String(contentsOf: TestEnvironment.fixture("codec/validation.valid.json"), encoding: .utf8)
        event = event.replacingOccurrences(of: #""payload":"xyz""#, with: #""payload":"eHl6","extra":[1]"#)
            .replacingOccurrences(of: #""hash":"abcd""#, with: #""hash":"YWJjZA==""#)
        #expect(try avro(["fromjson", "--schema", schema], stdin: event).status == 1)
        let run = try avro(["fromjson", "--schema", schema, "--ignore-unknown-fields", "--bytes-base64"], stdin: event)
        #expect(run.status == 0)
        let decoded = try avro(["tojson", "--schema", schema], stdin: run.stdout)
        #expect(decoded.text.contains(#""hash":"abcd","payload":"xyz""#))
    }
}
