import Avro
import Testing

@Suite("Resolution: reader defaults as values")
struct ResolutionDefaultValueTests {
    private func convert(_ defaultText: String, for schemaText: String) throws -> AvroValue {
        let schema = try inlineSchema(schemaText)
        return try AvroValue(defaultJSON: try JSONValue.parse(defaultText), for: schema.root, in: schema)
    }

    @Test func primitivesConvertFromTheirJSONEncoding() throws {
        #expect(try convert("null", for: #""null""#) == .null)
        #expect(try convert("true", for: #""boolean""#) == .boolean(true))
        #expect(try convert("-5", for: #""int""#) == .int(-5))
        #expect(try convert("9007199254740993", for: #""long""#) == .long(9_007_199_254_740_993))
        #expect(try convert("2", for: #""float""#) == .float(2))
        #expect(try convert("2.5", for: #""double""#) == .double(2.5))
        #expect(try convert(#""héllo""#, for: #""string""#) == .string("héllo"))
    }

    @Test func bytesAndFixedDefaultsAreStringsOfCodePointsUpTo255() throws {
        #expect(try convert(#""\u0000\u00ffA""#, for: #""bytes""#) == .bytes([0x00, 0xFF, 0x41]))
        #expect(try convert(#""ab""#, for: #"{"type":"fixed","name":"Two","size":2}"#) == .fixed([0x61, 0x62]))
        #expect(throws: SchemaError.self) { try convert(#""€""#, for: #""bytes""#) }
        #expect(throws: SchemaError.self) { try convert(#""abc""#, for: #"{"type":"fixed","name":"Two","size":2}"#) }
    }

    @Test func aUnionDefaultIsAValueOfItsFirstBranch() throws {
        #expect(try convert("null", for: #"["null","string"]"#) == .union(0, .null))
        #expect(try convert("3", for: #"["long","null"]"#) == .union(0, .long(3)))
        #expect(throws: SchemaError.self) { try convert(#""x""#, for: #"["null","string"]"#) }
    }

    @Test func enumArrayAndMapDefaultsConvertElementwise() throws {
        #expect(try convert(#""B""#, for: #"{"type":"enum","name":"E","symbols":["A","B"]}"#) == .enumeration(1))
        #expect(try convert("[1,2]", for: #"{"type":"array","items":"long"}"#) == .array([.long(1), .long(2)]))
        #expect(try convert(#"{"b":1,"a":2}"#, for: #"{"type":"map","values":"int"}"#)
            == .map([AvroValue.MapEntry(key: "b", value: .int(1)), AvroValue.MapEntry(key: "a", value: .int(2))]))
    }

    @Test func aRecordDefaultTakesMissingFieldsFromTheFieldDefaults() throws {
        let schema = try compatSchema("customer-reader")
        guard case .record(let customer) = schema.root, let address = customer.fields.first(where: { $0.name == "address" }) else {
            Issue.record("customer-reader has no address field")
            return
        }
        let value = try AvroValue(defaultJSON: address.defaultValue!, for: address.type, in: schema)
        #expect(value == .record([.string("Main Street"), .string("Berlin")]))
    }

    @Test func aDefaultOutsideItsTypesRangeIsRejectedWithItsPath() throws {
        let error = #expect(throws: SchemaError.self) { try convert("[1, 4294967296]", for: #"{"type":"array","items":"int"}"#) }
        #expect(error?.path == "default[1]")
    }
}
