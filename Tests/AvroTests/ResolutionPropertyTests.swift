import Avro
import Testing

@Suite("Resolution: checker and plans agree on generated schema pairs")
struct ResolutionPropertyTests {
    @Test("Compatible pairs plan and project every writer value, written and read back as bytes, into a valid reader value; incompatible pairs refuse to plan",
          arguments: [0x5EED_0001, 0x5EED_0002, 0x5EED_0003] as [UInt64])
    func checkerVerdictMatchesPlanBehaviour(seed: UInt64) throws {
        var random = RandomSchemas(seed: seed)
        var compatiblePairs = 0
        var incompatiblePairs = 0
        var invalidEvolutions = 0
        for _ in 0 ..< 150 {
            let originalJSON = random.schema()
            let original = try #require(try? AvroSchema(parsing: originalJSON.jsonText), "generated an invalid schema: \(originalJSON.jsonText)")
            #expect(CompatibilityChecker.canRead(reader: original, writer: original).isEmpty, "a schema must read itself: \(original.text)")
            let evolvedJSON = random.evolve(originalJSON)
            guard let evolved = try? AvroSchema(parsing: evolvedJSON.jsonText) else {
                invalidEvolutions += 1
                continue
            }
            for (reader, writer) in [(evolved, original), (original, evolved)] {
                let pair: Comment = "reader \(reader.text)\nwriter \(writer.text)"
                let reasons = CompatibilityChecker.canRead(reader: reader, writer: writer)
                guard reasons.isEmpty else {
                    incompatiblePairs += 1
                    let error = #expect(throws: ResolutionError.self, pair) { try ResolutionPlan(writer: writer, reader: reader) }
                    #expect(error?.incompatibilities == reasons, pair)
                    continue
                }
                compatiblePairs += 1
                let plan = try #require(try? ResolutionPlan(writer: writer, reader: reader), pair)
                let codecs = try BinaryRoundTrip(writer: writer, reader: reader)
                for _ in 0 ..< 10 {
                    let value = random.value(for: writer)
                    #expect(value.conforms(to: writer), pair)
                    // Through bytes, as a consumer meets it: encode with the writer schema, decode, project.
                    let decoded = try codecs.writeAndRead(value)
                    #expect(decoded == value, "\(pair)\nvalue \(value)")
                    let projected = try #require(try? plan.project(decoded), "\(pair)\nvalue \(value)")
                    #expect(projected.conforms(to: reader), "\(pair)\nvalue \(value)\nprojected \(projected)")
                    #expect(try codecs.readerAccepts(projected), "\(pair)\nprojected \(projected)")
                }
            }
        }
        // The generator must exercise both verdicts, and most evolutions must be valid schemas.
        #expect(compatiblePairs > 60)
        #expect(incompatiblePairs > 40)
        #expect(invalidEvolutions < 50)
    }
}

/// The codec's view of a pair: values written as the writer's binary encoding and read back, and
/// projected values checked by encoding them with the reader schema.
private struct BinaryRoundTrip {
    let writerCodec: AvroCodec
    let readerCodec: AvroCodec

    init(writer: AvroSchema, reader: AvroSchema) throws {
        writerCodec = try AvroCodec(schema: writer)
        readerCodec = try AvroCodec(schema: reader)
    }

    func writeAndRead(_ value: AvroValue) throws -> AvroValue {
        try writerCodec.makeDecoder().decode(try encode(value, with: writerCodec))
    }

    func readerAccepts(_ value: AvroValue) throws -> Bool {
        try readerCodec.makeDecoder().decode(try encode(value, with: readerCodec)) == value
    }

    private func encode(_ value: AvroValue, with codec: AvroCodec) throws -> [UInt8] {
        let json = AvroJSONWriter(codec: codec, options: .init(format: .avroJSON)).json(value)
        return try codec.makeEncoder().encode(json: json, format: .avroJSON)
    }
}
