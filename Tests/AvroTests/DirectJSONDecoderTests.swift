@testable import Avro
import Testing

/// The direct decoder against the tree path it replaces: the same JSON bytes for every fixture and
/// for thousands of generated datums, with and without resolution, in every JSON shape; and on
/// hostile bytes, an error exactly when the tree decoder has one, and the same error.
@Suite struct DirectJSONDecoderTests {
    /// Writer schema, reader schema (nil: none), events (natural JSON of the writer schema).
    private static let fixturePairs: [(writer: String, reader: String?, events: String)] = [
        ("schemas/reference.avsc", nil, "Tests/Fixtures/consumer/reference-events.ndjson"),
        ("schemas/reference.avsc", "schemas/reference.avsc", "Tests/Fixtures/consumer/reference-events.ndjson"),
        ("schemas/reference.avsc", "Tests/Fixtures/codec/reference-reader-evolved.avsc", "Tests/Fixtures/consumer/reference-events.ndjson"),
        ("schemas/reference.avsc", "Tests/Fixtures/codec/reference-reader-reordered.avsc", "Tests/Fixtures/consumer/reference-events.ndjson"),
        ("Tests/Fixtures/codec/all-types.avsc", nil, "Tests/Fixtures/codec/all-types.events.ndjson"),
        ("Tests/Fixtures/codec/unions.avsc", nil, "Tests/Fixtures/codec/unions.events.ndjson"),
        ("schemas/orders-value.avsc", nil, "Tests/Fixtures/codec/orders.events.ndjson"),
        ("schemas/orders-value.avsc", "Tests/Fixtures/codec/orders-reader.avsc", "Tests/Fixtures/codec/orders.events.ndjson"),
    ]

    /// Schemas the generated datums are drawn from (writer, reader).
    private static let generatedPairs: [(writer: String, reader: String?)] = [
        ("schemas/reference.avsc", nil),
        ("schemas/reference.avsc", "Tests/Fixtures/codec/reference-reader-evolved.avsc"),
        ("schemas/reference.avsc", "Tests/Fixtures/codec/reference-reader-reordered.avsc"),
        ("Tests/Fixtures/codec/all-types.avsc", nil),
        ("Tests/Fixtures/codec/unions.avsc", nil),
        ("Tests/Fixtures/codec/recursive.avsc", nil),
        ("Tests/Fixtures/codec/decimal.avsc", nil),
        ("schemas/orders-value.avsc", "Tests/Fixtures/codec/orders-reader.avsc"),
        ("schemas/clicks-value.avsc", nil),
    ]

    private func codecs(_ writer: String, _ reader: String?) throws -> (AvroCodec, AvroCodec?) {
        (try DirectDecoderFixtures.codec(writer), try reader.map { try DirectDecoderFixtures.codec($0) })
    }

    @Test("Fixture events give the tree path's JSON, byte for byte, in every shape", arguments: 0 ..< fixturePairs.count)
    func fixtureEventsMatchTheTreePath(pair index: Int) throws {
        let (writerFile, readerFile, eventsFile) = Self.fixturePairs[index]
        let (writer, reader) = try codecs(writerFile, readerFile)
        let encoder = try writer.makeEncoder()
        let events = try DirectDecoderFixtures.lines(eventsFile)
        for shape in DirectDecoderPair.shapes {
            let pair = try DirectDecoderPair(writer: writer, reader: reader, json: shape)
            #expect(pair.direct.isDirect)
            // Some fixture events are invalid on purpose (for the encoder's tests).
            for event in events {
                guard let bytes = try? encoder.encode(json: event) else { continue }
                let tree = try pair.treeJSON(bytes).get()
                #expect(pair.programJSON(bytes) == tree, "\(writerFile) → \(readerFile ?? "-") \(shape.format): \(String(decoding: tree, as: UTF8.self))")
                #expect(try pair.publicJSON(bytes).get() == tree)
            }
        }
    }

    @Test("Generated datums give the tree path's JSON, byte for byte, in every shape", arguments: 0 ..< generatedPairs.count)
    func generatedDatumsMatchTheTreePath(pair index: Int) throws {
        let (writerFile, readerFile) = Self.generatedPairs[index]
        let (writer, reader) = try codecs(writerFile, readerFile)
        let pairs = try DirectDecoderPair.shapes.map { try DirectDecoderPair(writer: writer, reader: reader, json: $0) }
        var values = EdgeValues(seed: 0xD1EC_7000 + UInt64(index))
        for _ in 0 ..< 1000 {
            let bytes = values.encode(values.value(for: writer.schema), for: writer.schema)
            for pair in pairs {
                let tree = try pair.treeJSON(bytes).get()
                #expect(pair.programJSON(bytes) == tree, "\(writerFile) → \(readerFile ?? "-"): \(String(decoding: tree, as: UTF8.self))")
            }
        }
    }

    @Test("Generated schemas, their evolutions and their datums give the tree path's JSON",
          arguments: [0x5EED_D001, 0x5EED_D002, 0x5EED_D003] as [UInt64])
    func generatedSchemaPairsMatchTheTreePath(seed: UInt64) throws {
        var random = RandomSchemas(seed: seed)
        var values = EdgeValues(seed: seed)
        var resolvedPairs = 0
        for _ in 0 ..< 60 {
            let originalJSON = random.schema()
            let original = try AvroSchema(parsing: originalJSON.jsonText)
            guard let evolved = try? AvroSchema(parsing: random.evolve(originalJSON).jsonText) else { continue }
            for (writerSchema, readerSchema) in [(original, nil), (original, evolved), (evolved, original)] as [(AvroSchema, AvroSchema?)] {
                if let readerSchema, !CompatibilityChecker.canRead(reader: readerSchema, writer: writerSchema).isEmpty { continue }
                if readerSchema != nil { resolvedPairs += 1 }
                let writer = try AvroCodec(schema: writerSchema)
                let reader = try readerSchema.map { try AvroCodec(schema: $0) }
                let pairs = try DirectDecoderPair.shapes.map { try DirectDecoderPair(writer: writer, reader: reader, json: $0) }
                for _ in 0 ..< 12 {
                    let bytes = values.encode(values.value(for: writerSchema), for: writerSchema)
                    for pair in pairs {
                        #expect(pair.direct.isDirect)
                        let tree = try pair.treeJSON(bytes).get()
                        #expect(pair.programJSON(bytes) == tree, "writer \(writerSchema.text)\nreader \(readerSchema?.text ?? "-")\n\(String(decoding: tree, as: UTF8.self))")
                    }
                }
            }
        }
        #expect(resolvedPairs > 30)
    }

    @Test("Truncations at every offset and random byte changes fail exactly when the tree decoder fails, with its error",
          arguments: 0 ..< generatedPairs.count)
    func hostileBytesFailExactlyWhenTheTreeDecoderFails(pair index: Int) throws {
        let (writerFile, readerFile) = Self.generatedPairs[index]
        let (writer, reader) = try codecs(writerFile, readerFile)
        // Small limits, so that nesting and zero-size items reach them too.
        let limits = [AvroDecoder.Options(), AvroDecoder.Options(maxDepth: 4, maxZeroSizeItems: 3)]
        let pairs = try limits.map { try DirectDecoderPair(writer: writer, reader: reader, json: AvroJSONWriter.Options(format: .avroJSON), decoding: $0) }
        var values = EdgeValues(seed: 0x0BAD_0000 + UInt64(index))
        var random = SplitMix64(seed: 0x0BAD_1000 + UInt64(index))
        var failures = 0
        for round in 0 ..< 200 {
            let valid = values.encode(values.value(for: writer.schema), for: writer.schema)
            var inputs: [[UInt8]] = []
            if round < 10 {
                for end in 0 ..< valid.count { inputs.append(Array(valid[..<end])) }
            }
            for _ in 0 ..< 10 where !valid.isEmpty {
                var mutated = valid
                for _ in 0 ... Int.random(in: 0 ... 2, using: &random) {
                    let position = Int.random(in: 0 ..< mutated.count, using: &random)
                    mutated[position] = Bool.random(using: &random) ? UInt8.random(in: 0 ... 255, using: &random) : mutated[position] ^ (1 << UInt8.random(in: 0 ... 7, using: &random))
                }
                inputs.append(mutated)
            }
            inputs.append(valid + [0])
            for input in inputs {
                for pair in pairs {
                    let tree = pair.treeJSON(input)
                    let program = pair.programJSON(input)
                    switch tree {
                    case .success(let json):
                        #expect(program == json, "\(writerFile): \(CodecFixtures.hex(input))")
                    case .failure(let error):
                        failures += 1
                        #expect(program == nil, "\(writerFile): the program accepted what the tree decoder rejects (\(error)): \(CodecFixtures.hex(input))")
                    }
                    #expect(pair.publicJSON(input) == tree, "\(writerFile): \(CodecFixtures.hex(input))")
                }
            }
        }
        #expect(failures > 1000)
    }

    @Test func theDecoderHostileInputCasesFailWithTheTreeDecodersKind() throws {
        let cases: [(schema: String, hex: String)] = [
            (#""string""#, "80808080808080808001" + "61"), (#""bytes""#, "feffffffffffffffff01"), (#""bytes""#, "01"),
            (#"["null","int"]"#, "04"), (#"["null","int"]"#, "01"), (#"{"type":"enum","name":"E","symbols":["A","B"]}"#, "ffffffffffffffffff01"),
            (#""long""#, "80"), (#""long""#, "ffffffffffffffffff7f"), (#""int""#, "8080808010"), (#""boolean""#, "02"),
            (#""string""#, "04c328"), (#"{"type":"array","items":"null"}"#, "feffffffffffffffff01"),
            (#"{"type":"array","items":"int"}"#, "0302020400"), (#"{"type":"array","items":"int"}"#, "ffffffffffffffffff01"),
            (#"{"type":"map","values":"int"}"#, "02026102"), (#""int""#, "0202"),
        ]
        for (schema, hex) in cases {
            let pair = try DirectDecoderPair(writer: try CodecFixtures.codec(schema: schema), json: AvroJSONWriter.Options())
            let bytes = CodecFixtures.bytes(hex: hex)
            guard case .failure(let expected) = pair.treeJSON(bytes) else {
                Issue.record("\(schema) \(hex) decodes")
                continue
            }
            #expect(pair.programJSON(bytes) == nil, "\(schema) \(hex)")
            var out: [UInt8] = []
            #expect(throws: expected, "\(schema) \(hex)") { try pair.direct.write(bytes, to: &out) }
            let failure = bytes.withUnsafeBytes { input -> DecodeFailure? in
                do throws(DecodeFailure) {
                    try pair.direct.writeDirectly(input, to: &out)
                    return nil
                } catch {
                    return error
                }
            }
            #expect(failure?.kind == expected.kind && failure?.offset == expected.offset, "\(schema) \(hex)")
        }
    }

    @Test func deepRecursionFailsAtTheDepthLimitLikeTheTreeDecoder() throws {
        let writer = try DirectDecoderFixtures.codec("Tests/Fixtures/codec/recursive.avsc")
        // A chain of `next` trees: value 0, no children, next = branch 1 (a tree), ..., then null.
        func chain(_ length: Int) -> [UInt8] {
            var bytes: [UInt8] = []
            for _ in 0 ..< length { bytes += [0x00, 0x00, 0x02] }
            return bytes + [0x00, 0x00, 0x00]
        }
        for limit in [4, 10, 64] {
            let pair = try DirectDecoderPair(writer: writer, json: AvroJSONWriter.Options(), decoding: AvroDecoder.Options(maxDepth: limit))
            for length in [0, 1, 2, limit / 2 - 1, limit / 2, limit / 2 + 1, limit] {
                let bytes = chain(length)
                #expect(pair.publicJSON(bytes) == pair.treeJSON(bytes), "limit \(limit), chain \(length)")
                #expect((pair.programJSON(bytes) == nil) == ((try? pair.treeJSON(bytes).get()) == nil), "limit \(limit), chain \(length)")
            }
        }
    }

    @Test func floatsAndDoublesAreWrittenAsTheirDescriptions() throws {
        let doubles = try DirectDecoderPair(writer: try CodecFixtures.codec(schema: #""double""#), json: AvroJSONWriter.Options())
        let floats = try DirectDecoderPair(writer: try CodecFixtures.codec(schema: #""float""#), json: AvroJSONWriter.Options())
        let promoted = try DirectDecoderPair(writer: try CodecFixtures.codec(schema: #""float""#), reader: try CodecFixtures.codec(schema: #""double""#),
                                             json: AvroJSONWriter.Options())
        var random = SplitMix64(seed: 0xF10A7)
        let powers = (0 ... 9).map(pow10)
        for round in 0 ..< 60_000 {
            let double: Double = switch round % 5 {
            case 0: Double(bitPattern: random.next())
            case 1: Double(Int.random(in: -1_000_000 ... 1_000_000, using: &random)) / powers[Int.random(in: 0 ... 9, using: &random)]
            case 2: Double.random(in: -1e9 ... 1e9, using: &random)
            // Powers of two and their neighbours, where the spacing of floating-point values changes.
            case 3:
                Bool.random(using: &random)
                    ? Double(sign: .plus, exponent: Int.random(in: -14 ... 30, using: &random), significand: 1)
                    : Double(sign: .plus, exponent: Int.random(in: -14 ... 30, using: &random), significand: 1).nextDown
            default: [1e-4, 9.9999e-5, 1e9, 999_999_999.5, 1e7, 9_999_999.5, 0.1, 1.0 / 3, 2.75, 0, -0.0][round / 5 % 11]
            }
            let float = switch round % 5 {
            case 0: Float(bitPattern: UInt32(truncatingIfNeeded: random.next()))
            case 3 where round % 2 == 0: Float(double).nextUp
            default: Float(double)
            }
            var doubleBytes: [UInt8] = []
            withUnsafeBytes(of: double.bitPattern.littleEndian) { doubleBytes.append(contentsOf: $0) }
            var floatBytes: [UInt8] = []
            withUnsafeBytes(of: float.bitPattern.littleEndian) { floatBytes.append(contentsOf: $0) }
            #expect(doubles.programJSON(doubleBytes) == (try doubles.treeJSON(doubleBytes).get()), "\(double)")
            #expect(floats.programJSON(floatBytes) == (try floats.treeJSON(floatBytes).get()), "\(float)")
            #expect(promoted.programJSON(floatBytes) == (try promoted.treeJSON(floatBytes).get()), "\(float)")
        }
    }

    private func pow10(_ exponent: Int) -> Double {
        (0 ..< exponent).reduce(1) { value, _ in value * 10 }
    }

    @Test func typicalEvolutionsOfTheReferenceSchemaTakeTheDirectPath() throws {
        let writer = try DirectDecoderFixtures.codec("schemas/reference.avsc")
        for readerFile in ["schemas/reference.avsc", "Tests/Fixtures/codec/reference-reader-evolved.avsc", "Tests/Fixtures/codec/reference-reader-reordered.avsc"] {
            let reader = try DirectDecoderFixtures.codec(readerFile)
            for shape in DirectDecoderPair.shapes {
                #expect(try DirectJSONDecoder(writer: writer, reader: reader, json: shape).isDirect, "\(readerFile)")
            }
        }
    }
}
