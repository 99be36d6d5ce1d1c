import Avro
import Testing

/// The binary decoder against input no honest writer produces: every case is an error with its
/// own kind, never a crash or a huge allocation.
@Suite struct DecoderHostileInputTests {
    private func kind(_ schema: String, _ hex: String) throws -> AvroDecodingError.Kind? {
        let decoder = try CodecFixtures.codec(schema: schema).makeDecoder()
        do {
            _ = try decoder.decode(CodecFixtures.bytes(hex: hex))
            return nil
        } catch {
            return error.kind
        }
    }

    @Test func aHugeStringLengthIsRejectedBeforeAllocating() throws {
        // Length 2^62 with 1 byte left.
        #expect(try kind(#""string""#, "80808080808080808001" + "61") == .lengthExceedsRemaining(length: 1 << 62, remaining: 1))
        #expect(try kind(#""bytes""#, "feffffffffffffffff01") == .lengthExceedsRemaining(length: Int64.max, remaining: 0))
    }

    @Test func aNegativeLengthIsRejected() throws {
        #expect(try kind(#""bytes""#, "01") == .negativeLength(-1))
        #expect(try kind(#""string""#, "03") == .negativeLength(-2))
    }

    @Test func aUnionIndexOutsideTheUnionIsRejected() throws {
        #expect(try kind(#"["null","int"]"#, "04") == .invalidUnionIndex(2, branches: 2))
        #expect(try kind(#"["null","int"]"#, "01") == .invalidUnionIndex(-1, branches: 2))
    }

    @Test func anEnumIndexOutsideTheSymbolsIsRejected() throws {
        let schema = #"{"type":"enum","name":"E","symbols":["A","B"]}"#
        #expect(try kind(schema, "04") == .invalidEnumIndex(2, symbols: 2))
        #expect(try kind(schema, "ffffffffffffffffff01") == .invalidEnumIndex(Int64.min, symbols: 2))
    }

    @Test func truncatedInputIsRejected() throws {
        #expect(try kind(#""long""#, "80") == .truncated)
        #expect(try kind(#""double""#, "000000") == .truncated)
        #expect(try kind(#"{"type":"fixed","name":"F","size":4}"#, "0102") == .truncated)
        #expect(try kind(#""string""#, "") == .truncated)
        #expect(try kind(#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"int"}]}"#, "02") == .truncated)
    }

    @Test func trailingBytesAreRejected() throws {
        #expect(try kind(#""int""#, "0200") == .trailingBytes(count: 1))
        #expect(try kind(#""null""#, "ff") == .trailingBytes(count: 1))
    }

    @Test func overlongVarintsAreRejected() throws {
        #expect(try kind(#""long""#, "ffffffffffffffffff02") == .invalidVarint)
        #expect(try kind(#""long""#, "ffffffffffffffffff8001") == .invalidVarint)
        #expect(try kind(#""int""#, "8080808010") == .intOutOfRange(2_147_483_648))
    }

    @Test func aBooleanByteOtherThanZeroOrOneIsRejected() throws {
        #expect(try kind(#""boolean""#, "02") == .invalidBoolean(2))
    }

    @Test func invalidUTF8InAStringIsRejected() throws {
        #expect(try kind(#""string""#, "04c328") == .invalidUTF8)
        #expect(try kind(#""string""#, "06eda080") == .invalidUTF8)
        #expect(try kind(#"{"type":"map","values":"int"}"#, "0202ff0200") == .invalidUTF8)
    }

    @Test func aBlockCountTheRemainingBytesCannotHoldIsRejected() throws {
        #expect(try kind(#"{"type":"array","items":"int"}"#, "feffffffffffffffff01") == .countExceedsRemaining(count: Int64.max, remaining: 0))
        #expect(try kind(#"{"type":"array","items":"double"}"#, "0400000000000000f03f") == .countExceedsRemaining(count: 2, remaining: 9))
    }

    @Test func negativeBlockCountsCarryACheckedByteSize() throws {
        let schema = #"{"type":"array","items":"int"}"#
        // -2 items in a block of 2 bytes: [1, 2].
        #expect(try kind(schema, "0304020400") == nil)
        #expect(try kind(schema, "0306020400") == .blockSizeMismatch(declared: 3, actual: 2))
        #expect(try kind(schema, "0301") == .negativeLength(-1))
        #expect(try kind(schema, "0340") == .lengthExceedsRemaining(length: 32, remaining: 0))
        #expect(try kind(schema, "ffffffffffffffffff01") == .countExceedsRemaining(count: Int64.min, remaining: 0))
    }

    @Test func zeroSizeItemsAreBoundedByTheLimit() throws {
        let codec = try CodecFixtures.codec(schema: #"{"type":"array","items":"null"}"#)
        let decoder = codec.makeDecoder(options: AvroDecoder.Options(maxZeroSizeItems: 1000))
        #expect(throws: AvroDecodingError.self) { try decoder.decode(CodecFixtures.bytes(hex: "feffffffffffffffff01")) }
        #expect(try decoder.decode(CodecFixtures.bytes(hex: "d00f00")) == .array(Array(repeating: .null, count: 1000)))
    }

    @Test func nestingDeeperThanTheLimitIsRejected() throws {
        let codec = try CodecFixtures.codec(schema: #"{"type":"record","name":"N","fields":[{"name":"next","type":["null","N"]}]}"#)
        let decoder = codec.makeDecoder(options: AvroDecoder.Options(maxDepth: 10))
        let deep = CodecFixtures.bytes(hex: String(repeating: "02", count: 100) + "00")
        do {
            _ = try decoder.decode(deep)
            Issue.record("decoded a datum deeper than the limit")
        } catch {
            #expect(error.kind == .tooDeep(limit: 10))
        }
    }

    @Test func errorsNameThePathAndOffset() throws {
        let codec = try CodecFixtures.codec("validation.avsc")
        let valid = try codec.makeEncoder().encode(json: try CodecFixtures.text("validation.valid.json"))
        // Cut after the length of items[0].price (the datum ends 02 64, 00, 00, 06 "NEW").
        do {
            _ = try codec.makeDecoder().decode(Array(valid.dropLast(7)))
            Issue.record("decoded a truncated datum")
        } catch {
            #expect(error.kind == .lengthExceedsRemaining(length: 1, remaining: 0))
            #expect(error.path == "$.items[0].price")
            #expect(error.offset == valid.count - 8)
        }
    }

    @Test func concatenatedDatumsDecodeOneAfterAnother() throws {
        let decoder = try CodecFixtures.codec(schema: #""string""#).makeDecoder()
        let bytes = CodecFixtures.bytes(hex: "0261" + "00" + "046263")
        var values: [AvroValue] = []
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count { values.append(try decoder.decode(buffer, from: &offset)) }
        }
        #expect(values == [.string("a"), .string(""), .string("bc")])
    }
}
