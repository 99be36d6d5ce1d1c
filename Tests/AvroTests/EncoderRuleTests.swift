import Avro
import Testing

/// The natural-JSON rules of ``AvroEncoder``, one small schema per rule.
@Suite struct EncoderRuleTests {
    private func encoder(_ schema: String, _ options: AvroEncoder.Options = AvroEncoder.Options()) throws -> AvroEncoder {
        try CodecFixtures.codec(schema: schema).makeEncoder(options: options)
    }

    private func hex(_ schema: String, _ json: String, format: AvroJSONFormat = .natural, _ options: AvroEncoder.Options = AvroEncoder.Options()) throws -> String {
        CodecFixtures.hex(try encoder(schema, options).encode(json: json, format: format))
    }

    // MARK: Records

    @Test func missingFieldWithDefaultTakesTheDefault() throws {
        let schema = #"{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"string","default":"zz"}]}"#
        #expect(try hex(schema, #"{"a":1}"#) == "02047a7a")
    }

    @Test func defaultsOfEveryShapeAreEncoded() throws {
        let schema = #"""
        {"type":"record","name":"R","fields":[
          {"name":"u","type":["long","null"],"default":7},
          {"name":"e","type":{"type":"enum","name":"E","symbols":["A","B"]},"default":"B"},
          {"name":"f","type":{"type":"fixed","name":"F","size":2},"default":"\u00ff\u0000"},
          {"name":"m","type":{"type":"map","values":"int"},"default":{"k":1}},
          {"name":"r","type":{"type":"record","name":"In","fields":[{"name":"x","type":["null","int"],"default":null}]},"default":{}},
          {"name":"t","type":{"type":"long","logicalType":"timestamp-millis"},"default":5}
        ]}
        """#
        #expect(try hex(schema, "{}") == "000e02ff0002026b020000" + "0a")
    }

    @Test func missingFieldWithoutDefaultIsAnError() throws {
        let errors = try encoder(#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}"#).errors("{}")
        #expect(errors == [ValidationError(kind: .missingField, path: "$.a", expected: "int", got: "nothing (missing)")])
    }

    @Test func unknownFieldIsAnErrorUnlessIgnored() throws {
        let schema = #"{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}"#
        #expect(try encoder(schema).errors(#"{"a":1,"b":2}"#).map(\.kind) == [.unknownField])
        #expect(try hex(schema, #"{"a":1,"b":{"deep":[1,2]}}"#, AvroEncoder.Options(ignoreUnknownFields: true)) == "02")
    }

    @Test func nullForANonNullableFieldIsAnError() throws {
        let errors = try encoder(#"{"type":"record","name":"R","fields":[{"name":"a","type":"string"}]}"#).errors(#"{"a":null}"#)
        #expect(errors == [ValidationError(kind: .invalidValue, path: "$.a", expected: "string", got: "null")])
    }

    @Test func membersInAnyOrderAreMatchedToFields() throws {
        let schema = #"{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"int"},{"name":"c","type":"int"}]}"#
        #expect(try hex(schema, #"{"c":3,"a":1,"b":2}"#) == "020406")
    }

    // MARK: Numbers

    @Test func intTakesIntegersInRangeAndIntegralReals() throws {
        let schema = #""int""#
        #expect(try hex(schema, "2147483647") == "feffffff0f")
        #expect(try hex(schema, "-2147483648") == "ffffffff0f")
        #expect(try hex(schema, "2.0") == "04")
        #expect(try hex(schema, "-3e2") == "d704")
        #expect(try encoder(schema).errors("2147483648").count == 1)
        #expect(try encoder(schema).errors("1.5").count == 1)
        #expect(try encoder(schema).errors(#""1""#).count == 1)
    }

    @Test func longTakesTheWhole64BitRange() throws {
        #expect(try hex(#""long""#, "-9223372036854775808") == "ffffffffffffffffff01")
        #expect(try encoder(#""long""#).errors("9223372036854775808").count == 1)
        #expect(try encoder(#""long""#).errors("1e19").count == 1)
    }

    @Test func floatAndDoubleTakeAnyNumberAndTheNonFiniteStrings() throws {
        #expect(try hex(#""double""#, "1") == "000000000000f03f")
        #expect(try hex(#""double""#, #""NaN""#) == "000000000000f87f")
        #expect(try hex(#""double""#, #""-Infinity""#) == "000000000000f0ff")
        #expect(try hex(#""float""#, "0.1") == "cdcccc3d")
        #expect(try hex(#""float""#, #""Infinity""#) == "0000807f")
        #expect(try encoder(#""float""#).errors("1e39").count == 1)
        #expect(try encoder(#""double""#).errors(#""nan""#).count == 1)
    }

    // MARK: Bytes, fixed, enum

    @Test func bytesAreCodePointsUpTo255() throws {
        #expect(try hex(#""bytes""#, #""\u0000aÿ""#) == "060061ff")
        #expect(try encoder(#""bytes""#).errors(#""Ā""#).count == 1)
    }

    @Test func bytesTakeBase64WhenAsked() throws {
        let options = AvroEncoder.Options(bytesEncoding: .base64)
        #expect(try hex(#""bytes""#, #""AGH/""#, options) == "060061ff")
        #expect(try hex(#""bytes""#, #""AGE""#, options) == "040061")
        #expect(try encoder(#""bytes""#, options).errors(#""A*==""#).count == 1)
        // The Avro JSON encoding always uses code points.
        #expect(try hex(#""bytes""#, #""AGH/""#, format: .avroJSON, options) == "084147482f")
    }

    @Test func fixedMustHaveExactlyItsSize() throws {
        let schema = #"{"type":"fixed","name":"F","size":3}"#
        #expect(try hex(schema, #""abc""#) == "616263")
        #expect(try encoder(schema).errors(#""ab""#).count == 1)
        #expect(try encoder(schema).errors(#""abcd""#).count == 1)
    }

    @Test func enumTakesOneOfItsSymbols() throws {
        let schema = #"{"type":"enum","name":"E","symbols":["A","B","C"]}"#
        #expect(try hex(schema, #""C""#) == "04")
        #expect(try encoder(schema).errors(#""c""#).count == 1)
        #expect(try encoder(schema).errors("2").count == 1)
    }

    // MARK: Unions

    @Test func nullGoesToTheNullBranch() throws {
        #expect(try hex(#"["string","null"]"#, "null") == "02")
    }

    @Test func integersPreferIntThenLongThenFloatThenDouble() throws {
        let schema = #"["null","double","float","long","int"]"#
        #expect(try hex(schema, "1") == "0802")
        #expect(try hex(schema, "2147483648") == "068080808010")
        #expect(try hex(schema, "1.5") == "040000c03f")
        #expect(try hex(schema, "0.1") == "029a9999999999b93f")
    }

    @Test func aNumberNoBranchHoldsExactlyGoesToTheFirstFloatingBranch() throws {
        #expect(try hex(#"["null","float"]"#, "0.1") == "02cdcccc3d")
    }

    @Test func stringsTryStringThenEnumThenBytesAndFixed() throws {
        let enumeration = #"{"type":"enum","name":"E","symbols":["A","B"]}"#
        let fixed = #"{"type":"fixed","name":"F","size":2}"#
        #expect(try hex(#"[\#(fixed),"bytes",\#(enumeration),"string"]"#, #""A""#) == "060241")
        #expect(try hex(#"[\#(fixed),"bytes",\#(enumeration)]"#, #""B""#) == "0402")
        #expect(try hex(#"[\#(fixed),"bytes",\#(enumeration)]"#, #""xy""#) == "02047879")
        #expect(try hex(#"["null",\#(fixed),\#(enumeration)]"#, #""xy""#) == "027879")
    }

    @Test func stringsReachLogicalTypesThatParseText() throws {
        let schema = #"["null",{"type":"long","logicalType":"timestamp-millis"}]"#
        #expect(try hex(schema, #""1970-01-01T00:00:01Z""#) == "02d00f")
        #expect(try hex(schema, "1000") == "02d00f")
    }

    @Test func objectsTryRecordsInOrderThenMap() throws {
        let a = #"{"type":"record","name":"A","fields":[{"name":"x","type":"int"}]}"#
        let b = #"{"type":"record","name":"B","fields":[{"name":"y","type":"string"}]}"#
        let schema = #"["null",\#(a),\#(b),{"type":"map","values":"boolean"}]"#
        #expect(try hex(schema, #"{"x":1}"#) == "0202")
        #expect(try hex(schema, #"{"y":"s"}"#) == "040273")
        #expect(try hex(schema, #"{"z":true}"#) == "0602027a0100")
    }

    @Test func theWrappedFormNamesTheBranch() throws {
        let record = #"{"type":"record","name":"ns.P","fields":[{"name":"x","type":"int"}]}"#
        let schema = #"["null","string","long",\#(record)]"#
        #expect(try hex(schema, #"{"long":5}"#) == "040a")
        #expect(try hex(schema, #"{"ns.P":{"x":1}}"#) == "0602")
        #expect(try hex(schema, #"{"P":{"x":1}}"#) == "0602")
        #expect(try hex(schema, #"{"string":"s"}"#) == "020273")
    }

    @Test func aWrappedKeyWhoseBranchRejectsTheValueIsReadAsAMap() throws {
        #expect(try hex(#"["null","string",{"type":"map","values":"int"}]"#, #"{"string":5}"#) == "04020c737472696e670a00")
    }

    @Test func aUnionWithOneCandidateReportsTheBranchsOwnErrors() throws {
        let record = #"{"type":"record","name":"P","fields":[{"name":"x","type":"int"}]}"#
        let errors = try encoder(#"["null",\#(record)]"#).errors(#"{"x":"one"}"#)
        #expect(errors == [ValidationError(kind: .invalidValue, path: "$.x", expected: "int", got: #""one""#)])
    }

    @Test func avroJSONRequiresWrappedUnions() throws {
        let schema = #"["null","string"]"#
        #expect(try hex(schema, #"{"string":"s"}"#, format: .avroJSON) == "020273")
        #expect(try hex(schema, "null", format: .avroJSON) == "00")
        #expect(try encoder(schema).errors(#""s""#, format: .avroJSON).count == 1)
    }

    // MARK: Logical types

    @Test func timestampsTakeISO8601WithZoneOrIntegers() throws {
        let millis = #"{"type":"long","logicalType":"timestamp-millis"}"#
        #expect(try hex(millis, #""1970-01-01T00:00:00.001Z""#) == "02")
        #expect(try hex(millis, #""1970-01-01T01:00:00.001+01:00""#) == "02")
        #expect(try hex(millis, #""1970-01-01 00:00:00.001z""#) == "02")
        #expect(try hex(millis, #""1969-12-31T23:59:59.999Z""#) == "01")
        #expect(try hex(millis, "1") == "02")
        #expect(try encoder(millis).errors(#""1970-01-01T00:00:00.0001Z""#).count == 1)
        #expect(try encoder(millis).errors(#""1970-01-01T00:00:00""#).count == 1)
        let nanos = #"{"type":"long","logicalType":"timestamp-nanos"}"#
        #expect(try hex(nanos, #""1970-01-01T00:00:00.000000001Z""#) == "02")
        #expect(try encoder(nanos).errors(#""2300-01-01T00:00:00Z""#).count == 1)
    }

    @Test func localTimestampsTakeISO8601WithoutZone() throws {
        let micros = #"{"type":"long","logicalType":"local-timestamp-micros"}"#
        #expect(try hex(micros, #""1970-01-01T00:00:00.000001""#) == "02")
        #expect(try encoder(micros).errors(#""1970-01-01T00:00:00Z""#).count == 1)
    }

    @Test func datesAndTimesTakeTheirTextOrNumbers() throws {
        #expect(try hex(#"{"type":"int","logicalType":"date"}"#, #""1970-01-02""#) == "02")
        #expect(try hex(#"{"type":"int","logicalType":"date"}"#, "-1") == "01")
        #expect(try hex(#"{"type":"int","logicalType":"time-millis"}"#, #""00:00:01.5""#) == "b817")
        #expect(try hex(#"{"type":"long","logicalType":"time-micros"}"#, #""00:00:00.000001""#) == "02")
        #expect(try encoder(#"{"type":"int","logicalType":"time-millis"}"#).errors(#""00:00:00.0001""#).count == 1)
        #expect(try encoder(#"{"type":"int","logicalType":"date"}"#).errors(#""2023-02-29""#).count == 1)
    }

    @Test func uuidsMustBe8_4_4_4_12Hex() throws {
        let schema = #"{"type":"string","logicalType":"uuid"}"#
        #expect(try encoder(schema).errors(#""7D1F8A52-3C4B-4E8E-9A61-2F0C5B7E9D13""#).isEmpty)
        #expect(try encoder(schema).errors(#""7d1f8a523c4b4e8e9a612f0c5b7e9d13""#).count == 1)
        #expect(try encoder(schema).errors(#""7d1f8a52-3c4b-4e8e-9a61-2f0c5b7e9d1g""#).count == 1)
        let fixed = #"{"type":"fixed","name":"U","size":16,"logicalType":"uuid"}"#
        #expect(try hex(fixed, #""00112233-4455-6677-8899-aabbccddeeff""#) == "00112233445566778899aabbccddeeff")
    }

    @Test func decimalsAreBigEndianTwosComplementOfMinimalLength() throws {
        let schema = #"{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}"#
        #expect(try hex(schema, #""0""#) == "0200")
        #expect(try hex(schema, #""1.27""#) == "027f")
        #expect(try hex(schema, #""1.28""#) == "040080")
        #expect(try hex(schema, #""-1.28""#) == "0280")
        #expect(try hex(schema, #""-1.29""#) == "04ff7f")
        #expect(try hex(schema, #""12.30""#) == "0404ce")
        #expect(try hex(schema, #""1.5e1""#) == "0405dc")
        #expect(try hex(schema, "12.3") == "0404ce")
        #expect(try hex(schema, "99999999.99") == "0a02540be3ff")
    }

    @Test func decimalsInFixedAreSignExtendedToTheSize() throws {
        let schema = #"{"type":"fixed","name":"D","size":4,"logicalType":"decimal","precision":9,"scale":0}"#
        #expect(try hex(schema, #""-1""#) == "ffffffff")
        #expect(try hex(schema, #""256""#) == "00000100")
    }

    @Test func decimalsBeyondPrecisionOrScaleAreRejected() throws {
        let schema = #"{"type":"bytes","logicalType":"decimal","precision":4,"scale":2}"#
        let decimals = try encoder(schema)
        #expect(decimals.errors(#""99.99""#).isEmpty)
        #expect(decimals.errors(#""99.990000""#).isEmpty)
        #expect(decimals.errors(#""100""#).count == 1)
        #expect(decimals.errors(#""0.001""#).count == 1)
        #expect(decimals.errors("0.001").count == 1)
        #expect(decimals.errors(#""1e5""#).count == 1)
        #expect(decimals.errors(#""1.2.3""#).count == 1)
        #expect(decimals.errors(#""""#).count == 1)
    }

    @Test func wideDecimalsUseBigIntegerArithmetic() throws {
        let schema = #"{"type":"bytes","logicalType":"decimal","precision":40,"scale":0}"#
        #expect(try hex(schema, #""170141183460469231731687303715884105727""#) == "207f" + String(repeating: "ff", count: 15))
        #expect(try hex(schema, #""-9223372036854775809""#) == "12ff7fffffffffffffff")
        #expect(try hex(schema, #""18446744073709551616""#) == "12010000000000000000")
    }

    // MARK: Errors and limits

    @Test func everyErrorOfTheEventIsReported() throws {
        let schema = #"{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":{"type":"array","items":"int"}}]}"#
        let errors = try encoder(schema).errors(#"{"a":"x","b":[1,"y",3,"z"],"c":0}"#)
        #expect(errors.map(\.path) == ["$.c", "$.a", "$.b[1]", "$.b[3]"])
    }

    /// Found by the JSONToAvro fuzz target: the excerpt of a duplicate key once came with a
    /// prefix that took it past 40 characters.
    @Test func aDuplicateKeyIsReportedWithAtMost40Characters() throws {
        let key = String(repeating: "k", count: 60)
        let errors = try encoder(#"{"type":"map","values":"int"}"#).errors(#"{"\#(key)":1,"\#(key)":2}"#)
        #expect(errors.map(\.kind) == [.duplicateKey])
        #expect(errors.first?.got == "\"" + String(repeating: "k", count: 38) + "…")
    }

    @Test func theErrorReportStopsAtMaxErrors() throws {
        let encoder = try encoder(#"{"type":"array","items":"int"}"#, AvroEncoder.Options(maxErrors: 3))
        do {
            _ = try encoder.encode(json: "[\"a\",\"b\",\"c\",\"d\",\"e\"]")
            Issue.record("an invalid event encoded")
        } catch {
            #expect(error.errors.count == 3)
            #expect(error.isTruncated)
        }
    }

    @Test func inputLongerThanTheLimitIsRejectedBeforeParsing() throws {
        let errors = try encoder(#""string""#, AvroEncoder.Options(maxInputBytes: 8)).errors(#""123456789""#)
        #expect(errors == [ValidationError(kind: .tooLarge, path: "$", expected: "at most 8 bytes", got: "11 bytes")])
    }

    @Test func nestingDeeperThanTheLimitIsAnErrorNotACrash() throws {
        let schema = #"{"type":"record","name":"Node","fields":[{"name":"next","type":["null","Node"]}]}"#
        let deep = String(repeating: #"{"next":"#, count: 100_000) + "null" + String(repeating: "}", count: 100_000)
        let errors = try encoder(schema).errors(deep)
        #expect(errors.map(\.kind) == [.tooDeep])
        let allowed = String(repeating: #"{"next":"#, count: 50) + "null" + String(repeating: "}", count: 50)
        #expect(try encoder(schema).errors(allowed).isEmpty)
    }

    @Test func malformedJSONReportsLineAndColumn() throws {
        let errors = try encoder(#""string""#).errors("\n\n  \"unterminated")
        #expect(errors.map(\.kind) == [.malformedJSON(line: 3, column: 3)])
    }

    @Test func anInvalidEventAppendsNothing() throws {
        let encoder = try encoder(#""int""#)
        var out: [UInt8] = [9]
        #expect(throws: ValidationErrors.self) {
            try Array("\"x\"".utf8).withUnsafeBytes { try encoder.encode(json: $0, appendingTo: &out) }
        }
        #expect(out == [9])
    }

    // MARK: Other entries

    @Test func aParsedJSONValueEncodesLikeItsText() throws {
        let schema = #"{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"d","type":{"type":"bytes","logicalType":"decimal","precision":5,"scale":2}}]}"#
        let value = JSONValue.object(JSONObject([("a", .integer(3)), ("d", .double(12.5))]))
        #expect(CodecFixtures.hex(try encoder(schema).encode(value)) == "060404e2")
    }

    @Test func newlineDelimitedJSONEncodesLineByLineWithLineNumbers() throws {
        let encoder = try encoder(#""int""#)
        var results: [(Int, Bool)] = []
        encoder.encodeLines(Array("1\n\n\"x\"\r\n 3 \n".utf8)) { line, result in
            if case .success = result { results.append((line, true)) } else { results.append((line, false)) }
        }
        #expect(results.map(\.0) == [1, 3, 4])
        #expect(results.map(\.1) == [true, false, true])
    }
}
