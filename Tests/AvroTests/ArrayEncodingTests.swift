import Avro
import Testing

/// ``AvroEncoder/encodeFramedElements(ofArray:schemaID:format:maxElements:_:)``: one parse of a whole array gives
/// each element exactly what encoding it alone gives, and leaves every array it cannot take whole to the caller.
@Suite struct ArrayEncodingTests {
    private struct Element: Equatable {
        var index: Int
        var text: String
        var frame: Result<[UInt8], ValidationErrors>
    }

    private func elements(_ body: String, maxElements: Int = 100, options: AvroEncoder.Options = AvroEncoder.Options()) throws -> [Element]? {
        let encoder = try CodecFixtures.codec("all-types.avsc").makeEncoder(options: options)
        var elements: [Element] = []
        var bytes = Array(body.utf8)
        let taken = bytes.withUnsafeMutableBytes { json in
            encoder.encodeFramedElements(ofArray: UnsafeRawBufferPointer(json), schemaID: 7, maxElements: maxElements) { index, range, frame in
                elements.append(Element(index: index, text: String(decoding: json[range], as: UTF8.self), frame: frame))
            }
        }
        return taken ? elements : nil
    }

    private func alone(_ event: String, options: AvroEncoder.Options = AvroEncoder.Options()) throws -> Result<[UInt8], ValidationErrors> {
        let encoder = try CodecFixtures.codec("all-types.avsc").makeEncoder(options: options)
        return Result { () throws(ValidationErrors) in try encoder.encodeFramed(json: event, schemaID: 7) }
    }

    @Test func eachElementGetsTheFrameOrErrorsItGetsAlone() throws {
        let valid = try CodecFixtures.lines("all-types.natural.ndjson")
        let events = valid + [#"{"nope": 1}"#, "42", #""a \"quoted\" string""#, "true", "null", "[1, [2]]", "-1.5e3"]
        let body = " [\n" + events.joined(separator: " ,\n\t") + "\n] "
        let taken = try #require(try elements(body))
        #expect(taken.map(\.text) == events)
        #expect(taken.map(\.index) == Array(events.indices))
        for (element, event) in zip(taken, events) {
            #expect(element.frame == (try alone(event)), "\(event)")
        }
        #expect(try elements("[]")?.isEmpty == true)
    }

    @Test func anArrayItCannotTakeWholeIsLeftToTheCaller() throws {
        let event = try #require(try CodecFixtures.lines("all-types.natural.ndjson").first)
        #expect(try elements(event) == nil, "one object")
        #expect(try elements("[\(event), {\"a\": tru}]") == nil, "malformed JSON in an element")
        #expect(try elements("[\(event)] x") == nil, "content after the array")
        #expect(try elements("[\(event), \(event)]", maxElements: 1) == nil, "more elements than allowed")
        var shallow = AvroEncoder.Options()
        shallow.maxDepth = 2
        #expect(try elements(#"[{"a": {"b": 1}}]"#, options: shallow)?.count == 1, "two levels below the array")
        #expect(try elements(#"[{"a": {"b": [1]}}]"#, options: shallow) == nil, "three levels below the array")
    }
}
