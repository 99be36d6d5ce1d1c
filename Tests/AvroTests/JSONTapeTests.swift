@testable import Avro
import Testing

/// The in-place JSON parser of the encoder, checked against jansson (which `JSONValue.parse` uses).
@Suite struct JSONTapeTests {
    private func parse(_ text: String, maxDepth: Int = 64) -> Result<JSONTape, JSONTapeError> {
        var tape = JSONTape()
        return Array(text.utf8).withUnsafeBytes { bytes in
            Result { () throws(JSONTapeError) in
                try tape.parse(bytes, maxDepth: maxDepth)
                return tape
            }
        }
    }

    private func accepts(_ text: String) -> Bool {
        if case .success = parse(text) { return true }
        return false
    }

    /// Documents both parsers must accept or both reject.
    static let documents = [
        "0", "-0", "1.5e+3", "-1E-3", "123456789012345678901234567890", "1e400", "01", "1.", ".5", "+1", "-", "1e", "1e+",
        "true", "false", "null", "tru", "nulll", "TRUE",
        #""""#, #""\u0041\n\t\/\\\"""#, #""\ud83d\ude00""#, #""\ud83d""#, #""\ude00""#, #""\ud83dx""#, #""\x""#, #""\u12""#,
        "\"a\u{1}\"", "\"tab\there\"", "\"é😀\"", #""unterminated"#,
        "[]", "[1,]", "[,1]", "[1 2]", "[[[]]]", "[", "]", "{}", #"{"a":1}"#, #"{"a":1,}"#, #"{"a"}"#, #"{"a":}"#, #"{1:2}"#,
        #"{"a":1 "b":2}"#, #" { "a" : [ 1 , { "b" : null } ] } "#, "1 2", "[1] x", "", "   ", "\u{FEFF}1", "[\"\u{7F}\"]",
        #"{"a":{"a":{"a":{}}}}"#, "[1e-400]", "[-1e400]", "[9223372036854775807]", "[-9223372036854775808]", "[9223372036854775808]",
    ]

    @Test(arguments: documents)
    func acceptsExactlyWhatJanssonAccepts(_ document: String) {
        let jansson: Bool
        do {
            _ = try JSONValue.parse(document)
            jansson = true
        } catch {
            jansson = false
        }
        // jansson rejects integers beyond 64 bits; we read them as reals (the encoder then
        // checks them against the schema), so those are the one expected difference.
        let bigInteger = document.contains("123456789012345678901234567890") || document.contains("9223372036854775808]") && !document.contains("-")
        #expect(accepts(document) == (jansson || bigInteger), "\(document)")
    }

    @Test func invalidUTF8IsRejectedLikeJanssonDoes() {
        for bytes: [UInt8] in [[0x22, 0xC3, 0x28, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xFF, 0x22], [0x22, 0xF0, 0x9F, 0x98, 0x22]] {
            var tape = JSONTape()
            let rejected = bytes.withUnsafeBytes { buffer in
                do { try tape.parse(buffer, maxDepth: 8); return false } catch { return true }
            }
            #expect(rejected)
        }
    }

    @Test func escapesAreDecodedAndStringsNULTerminatedInPlace() throws {
        let tape = try parse(#"["a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00\u0000z"]"#).get()
        let node = tape.nodes[1]
        let text = Array(tape.buffer[Int(node.a) ..< Int(node.a) + Int(node.b)])
        #expect(text == Array("a\"b\\c/d\u{8}\u{C}\n\r\té😀\u{0}z".utf8))
        #expect(tape.buffer[Int(node.a) + Int(node.b)] == 0)
    }

    @Test func numbersKeepExactIntegersAndCorrectlyRoundedReals() throws {
        let tape = try parse("[9223372036854775807,-9223372036854775808,0.1,1e23,2.2250738585072014e-308,123456789012345678901]").get()
        #expect(tape.nodes[1].kind == .integer && tape.nodes[1].integer == Int64.max)
        #expect(tape.nodes[2].kind == .integer && tape.nodes[2].integer == Int64.min)
        #expect(tape.nodes[3].kind == .real && tape.nodes[3].real == 0.1)
        #expect(tape.nodes[4].real == 1e23)
        #expect(tape.nodes[5].real == 2.2250738585072014e-308)
        #expect(tape.nodes[6].kind == .real && tape.nodes[6].real == 123456789012345678901.0)
    }

    @Test func containersKnowTheirCountsAndWhereTheyEnd() throws {
        let tape = try parse(#"{"a":[1,[2,3],{}],"b":null}"#).get()
        #expect(tape.nodes[0].count == 2)
        #expect(tape.nodes[2].kind == .array && tape.nodes[2].count == 3)
        #expect(tape.next(after: 2) == 8)
        #expect(tape.nodes.count == 10)
    }

    @Test func errorsCarryLineAndCharacterColumn() {
        guard case .failure(let error) = parse("{\n  \"é\": [1,\n   2,,]}") else {
            Issue.record("accepted malformed JSON")
            return
        }
        #expect(error.parseError.line == 3)
        #expect(error.parseError.column == 6)
    }

    @Test func nestingBeyondTheLimitIsReportedAsTooDeep() {
        guard case .failure(let error) = parse(String(repeating: "[", count: 10) + String(repeating: "]", count: 10), maxDepth: 9) else {
            Issue.record("accepted nesting beyond the limit")
            return
        }
        #expect(error.tooDeep)
        #expect(accepts(String(repeating: "[", count: 9) + String(repeating: "]", count: 9)))
    }

    @Test func aWarmTapeParsesAgainWithoutKeepingOldNodes() throws {
        var tape = JSONTape()
        try Array("[1,2,3]".utf8).withUnsafeBytes { try tape.parse($0, maxDepth: 8) }
        try Array("7".utf8).withUnsafeBytes { try tape.parse($0, maxDepth: 8) }
        #expect(tape.nodes.count == 1)
        #expect(tape.nodes[0].integer == 7)
    }
}
