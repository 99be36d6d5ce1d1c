import Avro
import Foundation
import Testing

/// Every type and logical type through JSON → Avro → JSON, against the expected output files.
@Suite struct RoundTripTests {
    private let codec: AvroCodec
    private let events: [String]

    init() throws {
        codec = try CodecFixtures.codec("all-types.avsc")
        events = try CodecFixtures.lines("all-types.events.ndjson")
    }

    private func decode(_ event: String) throws -> AvroValue {
        try codec.makeDecoder().decode(try codec.makeEncoder().encode(json: event))
    }

    @Test func naturalJSONOfEveryTypeMatchesTheExpectedText() throws {
        let expected = try CodecFixtures.lines("all-types.natural.ndjson")
        #expect(events.count == expected.count)
        for (event, natural) in zip(events, expected) {
            #expect(AvroJSONWriter(codec: codec).json(try decode(event)) == natural)
        }
    }

    @Test func avroJSONOfEveryTypeMatchesTheExpectedText() throws {
        let expected = try CodecFixtures.lines("all-types.avro-json.ndjson")
        for (event, avroJSON) in zip(events, expected) {
            #expect(AvroJSONWriter(codec: codec, options: .init(format: .avroJSON)).json(try decode(event)) == avroJSON)
        }
    }

    @Test func naturalOutputEncodesBackToTheSameBytes() throws {
        let encoder = try codec.makeEncoder()
        for event in events {
            let bytes = try encoder.encode(json: event)
            let natural = AvroJSONWriter(codec: codec).json(try codec.makeDecoder().decode(bytes))
            #expect(try encoder.encode(json: natural) == bytes)
        }
    }

    @Test func avroJSONOutputEncodesBackToTheSameBytes() throws {
        let encoder = try codec.makeEncoder()
        for event in events {
            let bytes = try encoder.encode(json: event)
            let avroJSON = AvroJSONWriter(codec: codec, options: .init(format: .avroJSON)).json(try codec.makeDecoder().decode(bytes))
            #expect(try encoder.encode(json: avroJSON, format: .avroJSON) == bytes)
        }
    }

    @Test func base64OutputEncodesBackWithTheBase64Option() throws {
        let plain = try codec.makeEncoder()
        let base64 = try codec.makeEncoder(options: AvroEncoder.Options(bytesEncoding: .base64))
        let writer = AvroJSONWriter(codec: codec, options: .init(bytesEncoding: .base64))
        for event in events {
            let bytes = try plain.encode(json: event)
            #expect(try base64.encode(json: writer.json(try codec.makeDecoder().decode(bytes))) == bytes)
        }
    }

    @Test func theSameValueAlwaysWritesTheSameBytes() throws {
        let value = try decode(events[0])
        let writer = AvroJSONWriter(codec: codec)
        #expect(Set((0 ..< 5).map { _ in writer.json(value) }).count == 1)
    }

    @Test func recursiveSchemasRoundTrip() throws {
        let codec = try CodecFixtures.codec("recursive.avsc")
        let event = #"{"value":1,"children":[{"value":2,"children":[],"next":null},{"value":3,"children":[{"value":4,"children":[],"next":null}],"next":{"value":5,"children":[],"next":null}}],"next":null}"#
        let bytes = try codec.makeEncoder().encode(json: event)
        #expect(AvroJSONWriter(codec: codec).json(try codec.makeDecoder().decode(bytes)) == event)
    }

    @Test func theReferenceExampleRoundTrips() throws {
        let codec = try AvroCodec(schema: try AvroSchema(parsing: try String(contentsOf: CodecFixtures.url("../../../schemas/reference.avsc"), encoding: .utf8)))
        let event = try String(contentsOf: CodecFixtures.url("../../../schemas/reference.example.json"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let bytes = try codec.makeEncoder().encode(json: event)
        #expect(AvroJSONWriter(codec: codec).json(try codec.makeDecoder().decode(bytes)) == event)
    }
}
