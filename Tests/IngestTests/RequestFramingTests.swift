@testable import Ingest
import Testing

/// How bodies are cut into events before encoding (no broker needed).
@Suite struct RequestFramingTests {
    private func frame(_ text: String, maxDepth: Int = 64, maxElements: Int = 100) throws(IngestError) -> JSONBatchFraming {
        let result = Array(text.utf8).withUnsafeBytes { bytes in
            Result { () throws(IngestError) in try JSONBatchFraming(bytes, maxDepth: maxDepth, maxElements: maxElements) }
        }
        return try result.get()
    }

    @Test func anObjectIsOneEventAndAnArrayABatchWithEachElementsPosition() throws {
        let single = try frame(#"  {"a": [1, {"b": "]}"}]}  "#)
        #expect(!single.isArray && single.elements.count == 1)
        #expect(single.elements[0].range == 2 ..< 25)
        let batch = try frame("[\n {\"a\": 1},\n  {\"b\": \"x,\\\"y\"} , {}]")
        #expect(batch.isArray)
        #expect(batch.elements.map { [$0.line, $0.column] } == [[2, 2], [3, 3], [3, 20]])
        #expect(try frame("[ ]").elements.isEmpty)
    }

    @Test func brokenStructureIsMalformedJSONWithItsPosition() {
        for text in ["", "[{}", "[{} {}]", "{\"a\": 1]", "[{}],", "42", "{\"a\": \"open"] {
            #expect(throws: IngestError.self, "\(text)") { try frame(text) }
        }
        let error = #expect(throws: IngestError.self) { try frame("[{},\n {}\n x]") }
        #expect(error?.code == .malformedJSON)
        #expect(error?.message.contains("line 3, column 2") == true, "\(error?.message ?? "")")
    }

    @Test func aTruncatedBodyNamesTheContainerLeftOpen() {
        let object = #expect(throws: IngestError.self) { try frame(#"{"id": 9, "tags": [1, 2]"#) }
        #expect(object?.message.hasSuffix("the document ends inside an object") == true, "\(object?.message ?? "")")
        let array = #expect(throws: IngestError.self) { try frame(#"[{"id": 9, "tags": [1, 2"#) }
        #expect(array?.message.hasSuffix("the document ends inside an array") == true, "\(array?.message ?? "")")
    }

    @Test func depthAndCountLimitsAreEnforcedWhileFraming() {
        let deep = #expect(throws: IngestError.self) { try frame("[{\"a\": [[[[1]]]]}]", maxDepth: 3) }
        #expect(deep?.code == .nestingTooDeep)
        let many = #expect(throws: IngestError.self) { try frame("[{}, {}, {}]", maxElements: 2) }
        #expect(many?.code == .tooManyRecords)
    }

    @Test func ndjsonLinesSpanningBuffersAreJoinedAndNumbered() throws {
        var splitter = NDJSONLineSplitter(maxLineBytes: 100)
        var lines: [(String, Int)] = []
        for chunk in ["{\"a\":", "1}\n\n  \n{\"b\"", ":2}\r\n{\"c\":3}"] {
            try Array(chunk.utf8).withUnsafeBytes { bytes in
                try splitter.feed(bytes) { line, number in lines.append((String(decoding: line, as: UTF8.self), number)) }
            }
        }
        try splitter.finish { line, number in lines.append((String(decoding: line, as: UTF8.self), number)) }
        #expect(lines.map(\.0) == ["{\"a\":1}", "{\"b\":2}", "{\"c\":3}"])
        #expect(lines.map(\.1) == [1, 4, 5])
    }

    @Test func anOverlongLineIsRefusedBeforeItIsHeldWhole() {
        var splitter = NDJSONLineSplitter(maxLineBytes: 8)
        let error = #expect(throws: IngestError.self) {
            try Array("{\"a\": \"0123456789\"}".utf8).withUnsafeBytes { try splitter.feed($0) { _, _ in } }
        }
        #expect(error?.code == .bodyTooLarge)
    }
}
