import Avro
import Testing

/// The JSON writer: natural formats of logical types, the Avro JSON encoding, stability.
@Suite struct JSONWriterTests {
    private func json(_ schema: String, _ value: AvroValue, _ options: AvroJSONWriter.Options = AvroJSONWriter.Options()) throws -> String {
        AvroJSONWriter(codec: try CodecFixtures.codec(schema: schema), options: options).json(value)
    }

    @Test func timestampsAreISO8601InUTCWithDigitsByUnit() throws {
        #expect(try json(#"{"type":"long","logicalType":"timestamp-millis"}"#, .long(-1)) == #""1969-12-31T23:59:59.999Z""#)
        #expect(try json(#"{"type":"long","logicalType":"timestamp-micros"}"#, .long(1)) == #""1970-01-01T00:00:00.000001Z""#)
        #expect(try json(#"{"type":"long","logicalType":"timestamp-nanos"}"#, .long(Int64.max)) == #""2262-04-11T23:47:16.854775807Z""#)
        #expect(try json(#"{"type":"long","logicalType":"local-timestamp-millis"}"#, .long(0)) == #""1970-01-01T00:00:00.000""#)
    }

    @Test func datesAndTimesOutsideTheirRangeAreWrittenAsNumbers() throws {
        #expect(try json(#"{"type":"long","logicalType":"timestamp-millis"}"#, .long(Int64.max)) == "9223372036854775807")
        #expect(try json(#"{"type":"int","logicalType":"date"}"#, .int(Int32.min)) == "-2147483648")
        #expect(try json(#"{"type":"int","logicalType":"time-millis"}"#, .int(-1)) == "-1")
        #expect(try json(#"{"type":"long","logicalType":"time-micros"}"#, .long(86_400_000_000)) == "86400000000")
    }

    /// Found by the fuzz smoke: flooring Int64.min to whole seconds overflowed and trapped.
    @Test func timestampsAtTheEndsOfInt64NeitherTrapNorLie() throws {
        for unit in ["millis", "micros", "nanos"] {
            for logical in ["timestamp-\(unit)", "local-timestamp-\(unit)"] {
                let schema = #"{"type":"long","logicalType":"\#(logical)"}"#
                #expect(try json(schema, .long(Int64.min)) == (unit == "nanos" ? (logical.hasPrefix("local") ? #""1677-09-21T00:12:43.145224192""# : #""1677-09-21T00:12:43.145224192Z""#) : "-9223372036854775808"))
                #expect(try json(schema, .long(Int64.min + 1)) != "")
            }
        }
        #expect(try json(#"{"type":"long","logicalType":"timestamp-micros"}"#, .long(-1)) == #""1969-12-31T23:59:59.999999Z""#)
    }

    @Test func datesAndTimesInRangeAreText() throws {
        #expect(try json(#"{"type":"int","logicalType":"date"}"#, .int(0)) == #""1970-01-01""#)
        #expect(try json(#"{"type":"int","logicalType":"date"}"#, .int(2_932_896)) == #""9999-12-31""#)
        #expect(try json(#"{"type":"int","logicalType":"time-millis"}"#, .int(45_296_789)) == #""12:34:56.789""#)
        #expect(try json(#"{"type":"long","logicalType":"time-micros"}"#, .long(1)) == #""00:00:00.000001""#)
    }

    @Test func decimalsAreStringsWithExactlyScaleFractionDigits() throws {
        let schema = #"{"type":"bytes","logicalType":"decimal","precision":10,"scale":3}"#
        #expect(try json(schema, .bytes([0x30, 0x39])) == #""12.345""#)
        #expect(try json(schema, .bytes([0xFF])) == #""-0.001""#)
        #expect(try json(schema, .bytes([])) == #""0.000""#)
        #expect(try json(#"{"type":"bytes","logicalType":"decimal","precision":40,"scale":0}"#, .bytes([0x80] + [UInt8](repeating: 0, count: 15))) == #""-170141183460469231731687303715884105728""#)
    }

    @Test func bytesAreCodePointsOrBase64() throws {
        #expect(try json(#""bytes""#, .bytes([0, 0x22, 0x5C, 0x41, 0xE9, 0xFF])) == #""\u0000\"\\Aéÿ""#)
        #expect(try json(#""bytes""#, .bytes([0, 0xFF, 0x10]), AvroJSONWriter.Options(bytesEncoding: .base64)) == #""AP8Q""#)
        #expect(try json(#""bytes""#, .bytes([0xFF]), AvroJSONWriter.Options(bytesEncoding: .base64)) == #""/w==""#)
    }

    @Test func uuidsInFixedAreWrittenAsLowercaseText() throws {
        let schema = #"{"type":"fixed","name":"U","size":16,"logicalType":"uuid"}"#
        #expect(try json(schema, .fixed(Array(0 ..< 16))) == #""00010203-0405-0607-0809-0a0b0c0d0e0f""#)
    }

    @Test func unionsAreBareInNaturalJSONAndWrappedInAvroJSON() throws {
        let schema = #"["null","string",{"type":"record","name":"a.P","fields":[]}]"#
        let avroJSON = AvroJSONWriter.Options(format: .avroJSON)
        #expect(try json(schema, .union(1, .string("x"))) == #""x""#)
        #expect(try json(schema, .union(1, .string("x")), avroJSON) == #"{"string":"x"}"#)
        #expect(try json(schema, .union(2, .record([])), avroJSON) == #"{"a.P":{}}"#)
        #expect(try json(schema, .union(0, .null), avroJSON) == "null")
    }

    @Test func nonFiniteNumbersAreTheStringsTheEncoderAccepts() throws {
        #expect(try json(#""double""#, .double(.nan)) == #""NaN""#)
        #expect(try json(#""float""#, .float(-.infinity)) == #""-Infinity""#)
        #expect(try json(#""double""#, .double(2)) == "2.0")
        #expect(try json(#""float""#, .float(0.1)) == "0.1")
    }

    @Test func stringsEscapeOnlyWhatJSONRequires() throws {
        #expect(try json(#""string""#, .string("a\"b\\c\n\u{1}é😀/")) == #""a\"b\\c\n\u0001é😀/""#)
    }

    @Test func mapEntriesKeepTheirReadOrder() throws {
        let value = AvroValue.map([.init(key: "z", value: .int(1)), .init(key: "a", value: .int(2))])
        #expect(try json(#"{"type":"map","values":"int"}"#, value) == #"{"z":1,"a":2}"#)
    }

    @Test func valuesThatDoNotMatchTheSchemaAreWrittenWithoutTrapping() throws {
        #expect(try json(#""int""#, .string("x")) == #""x""#)
        #expect(try json(#"{"type":"enum","name":"E","symbols":["A"]}"#, .enumeration(5)) == "5")
        #expect(try json(#"["null"]"#, .union(3, .int(1))) == "1")
    }
}
