import Avro
@testable import Consumer
import Foundation
import Kafka
import Testing
import TestSupport

/// The record decoder with a plan installed by hand, no broker: lines are the JSON the value-tree path
/// writes, and an undecodable record leaves nothing behind in the output.
@Suite struct RecordDecoderTests {
    private static let schemaID = 7

    private func decoder(reader readerName: String?, envelope: Bool) throws -> RecordDecoder {
        let writer = try AvroCodec(schema: try ConsumerFixtures.schema("schemas/reference.avsc"))
        let reader = try readerName.map { try AvroCodec(schema: try ConsumerFixtures.schema($0)) }
        let resolution = try reader.map { try ResolutionPlan(writer: writer.schema, reader: $0.schema) }
        var decoder = RecordDecoder(format: RecordFormat(envelope: envelope))
        let plan = WriterPlan(schemaID: Self.schemaID, decoder: DirectJSONDecoder(writer: writer, reader: reader, resolution: resolution, json: AvroJSONWriter.Options()))
        decoder.install(.ready(plan), for: Self.schemaID)
        return decoder
    }

    private func record(_ value: [UInt8]) -> KafkaConsumerMessage {
        KafkaConsumerMessage(topic: "orders", partition: 0, offset: 42, timestamp: nil, key: nil, value: value, headers: [])
    }

    private func frames() throws -> [(frame: [UInt8], body: [UInt8])] {
        let encoder = try AvroCodec(schema: try ConsumerFixtures.schema("schemas/reference.avsc")).makeEncoder()
        return try String(contentsOf: TestEnvironment.fixture("consumer/reference-events.ndjson"), encoding: .utf8)
            .split(separator: "\n").map { event in
                let body = try encoder.encode(json: String(event))
                return (ConfluentWireFormat.frame(schemaID: UInt32(Self.schemaID), body: body), body)
            }
    }

    @Test("Lines are the value-tree path's JSON", arguments: [nil, "../codec/reference-reader-evolved"] as [String?])
    func linesAreTheTreePathsJSON(reader readerName: String?) throws {
        let decoder = try decoder(reader: readerName, envelope: false)
        let writer = try AvroCodec(schema: try ConsumerFixtures.schema("schemas/reference.avsc"))
        let output = try readerName.map { try AvroCodec(schema: try ConsumerFixtures.schema($0)) } ?? writer
        for (frame, body) in try frames() {
            var value = try writer.makeDecoder().decode(body)
            if output !== writer { value = try ResolutionPlan(writer: writer.schema, reader: output.schema).project(value) }
            var expected: [UInt8] = []
            AvroJSONWriter(codec: output).write(value, to: &expected)
            var line: [UInt8] = []
            guard case .written = decoder.decode(record(frame), into: &line) else {
                Issue.record("not written")
                continue
            }
            #expect(line == expected + [UInt8(ascii: "\n")])
        }
    }

    @Test func anUndecodableRecordLeavesNothingOfItsEnvelopeInTheOutput() throws {
        let decoder = try decoder(reader: nil, envelope: true)
        let (frame, _) = try #require(try frames().first)
        var out = Array("earlier line\n".utf8)
        for end in ConfluentWireFormat.headerSize ..< frame.count {
            guard case .undecodable(let failure) = decoder.decode(record(Array(frame[..<end])), into: &out) else {
                Issue.record("a frame cut at \(end) decoded")
                continue
            }
            #expect(failure.schemaID == Self.schemaID)
            #expect(out == Array("earlier line\n".utf8))
        }
        guard case .written = decoder.decode(record(frame), into: &out) else {
            Issue.record("the whole frame did not decode")
            return
        }
        #expect(String(decoding: out, as: UTF8.self).hasPrefix("earlier line\n{\"topic\":\"orders\",\"partition\":0,\"offset\":42,"))
    }
}
