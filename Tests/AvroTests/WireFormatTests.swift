import Avro
import Testing

/// Confluent's wire format: a zero magic byte, a 4-byte big-endian schema id, the Avro body.
@Suite struct WireFormatTests {
    @Test func aFrameIsMagicByteThenBigEndianSchemaIDThenBody() {
        #expect(ConfluentWireFormat.frame(schemaID: 0x0102_0304, body: [0xAA]) == [0, 1, 2, 3, 4, 0xAA])
    }

    @Test func unframingReturnsTheSchemaIDAndBody() throws {
        let (schemaID, body) = try ConfluentWireFormat.unframe([0, 0, 0, 1, 0x2C, 7, 8])
        #expect(schemaID == 300)
        #expect(Array(body) == [7, 8])
    }

    @Test func anEmptyMessageIsNotAFrame() {
        #expect(throws: WireFormatError.empty) { try ConfluentWireFormat.unframe([]) }
    }

    @Test func aWrongMagicByteIsNotAFrame() {
        #expect(throws: WireFormatError.wrongMagicByte(1)) { try ConfluentWireFormat.unframe([1, 0, 0, 0, 1, 2]) }
    }

    @Test func aFrameShorterThanTheHeaderIsRejected() {
        #expect(throws: WireFormatError.tooShort(length: 4)) { try ConfluentWireFormat.unframe([0, 0, 0, 1]) }
    }

    @Test func aFrameWithAnEmptyBodyIsAFrame() throws {
        #expect(try ConfluentWireFormat.unframe([0, 0, 0, 0, 9]).body.isEmpty)
    }

    @Test func framedEncodingAndDecodingRoundTrip() throws {
        let codec = try CodecFixtures.codec("validation.avsc")
        let event = try CodecFixtures.text("validation.valid.json")
        let frame = try codec.makeEncoder().encodeFramed(json: event, schemaID: 42)
        #expect(Array(frame.prefix(5)) == [0, 0, 0, 0, 42])
        let (schemaID, value) = try codec.makeDecoder().decodeFramed(frame)
        #expect(schemaID == 42)
        #expect(value == (try codec.makeDecoder().decode(Array(frame.dropFirst(5)))))
    }

    @Test func aTruncatedBodyAndTrailingBytesAreDistinctDatumErrors() throws {
        let codec = try CodecFixtures.codec(schema: #""long""#)
        let decoder = codec.makeDecoder()
        #expect(throws: FramedDecodingError.datum(AvroDecodingError(kind: .truncated, offset: 0, path: "$"))) {
            try decoder.decodeFramed([0, 0, 0, 0, 1])
        }
        #expect(throws: FramedDecodingError.datum(AvroDecodingError(kind: .trailingBytes(count: 1), offset: 1, path: "$"))) {
            try decoder.decodeFramed([0, 0, 0, 0, 1, 2, 2])
        }
        #expect(throws: FramedDecodingError.frame(.wrongMagicByte(2))) { try decoder.decodeFramed([2, 0, 0, 0, 1, 2]) }
    }

    @Test func aFramedLengthBeyondTheFrameIsCheckedBeforeAllocating() throws {
        let decoder = try CodecFixtures.codec(schema: #""bytes""#).makeDecoder()
        #expect(throws: FramedDecodingError.datum(AvroDecodingError(kind: .lengthExceedsRemaining(length: 1 << 40, remaining: 0), offset: 0, path: "$"))) {
            // Length 2^40 (zig-zag varint 80 80 80 80 80 40) in a frame with nothing after it.
            try decoder.decodeFramed([0, 0, 0, 0, 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40])
        }
    }

    @Test func anInvalidEventProducesNoFrame() throws {
        let encoder = try CodecFixtures.codec(schema: #""int""#).makeEncoder()
        var out: [UInt8] = [1, 2]
        #expect(throws: ValidationErrors.self) {
            try Array("\"x\"".utf8).withUnsafeBytes { try encoder.encodeFramed(json: $0, schemaID: 1, appendingTo: &out) }
        }
        #expect(out == [1, 2])
    }
}
