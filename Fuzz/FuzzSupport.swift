// Shared by the two libFuzzer targets. Compiled together with Sources/Avro into one module by
// scripts/fuzz.sh (not a SwiftPM target), so it can check internal invariants directly.
import CJansson

/// The schemas the first input byte chooses from (paths from the package root).
let fuzzSchemaFiles = [
    "schemas/reference.avsc",
    "Tests/Fixtures/codec/all-types.avsc",
    "Tests/Fixtures/codec/validation.avsc",
    "Tests/Fixtures/codec/unions.avsc",
    "Tests/Fixtures/codec/recursive.avsc",
]

/// One codec per schema, built on first use.
let fuzzCodecs: [AvroCodec] = fuzzSchemaFiles.map { path in
    guard let file = fopen(path, "r") else { fatalError("run the fuzzer from the package root: \(path) not found") }
    defer { fclose(file) }
    var text: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = fread(&buffer, 1, buffer.count, file)
        if count == 0 { break }
        text.append(contentsOf: buffer[..<count])
    }
    do {
        return try AvroCodec(schema: try AvroSchema(parsing: String(decoding: text, as: UTF8.self)))
    } catch {
        fatalError("\(path): \(error)")
    }
}

/// Stops the run with a finding: libFuzzer records the input that got here.
func fuzzFailure(_ message: String) -> Never {
    fatalError("fuzz property violated: \(message)")
}

/// Decoding what the encoder wrote, writing it as Avro JSON and encoding that again gives the
/// same bytes.
func checkRoundTrip(_ codec: AvroCodec, _ bytes: [UInt8]) {
    let value: AvroValue
    do {
        value = try codec.makeDecoder().decode(bytes)
    } catch {
        fuzzFailure("the decoder rejects the encoder's output: \(error)")
    }
    let avroJSON = AvroJSONWriter(codec: codec, options: .init(format: .avroJSON)).json(value)
    do {
        let again = try codec.makeEncoder().encode(json: avroJSON, format: .avroJSON)
        if again != bytes { fuzzFailure("Avro JSON round trip changed the bytes: \(avroJSON)") }
    } catch {
        fuzzFailure("the encoder rejects the writer's Avro JSON \(avroJSON): \(error)")
    }
    checkValidJSON(AvroJSONWriter(codec: codec).json(value))
}

/// The JSON writer's output is JSON.
func checkValidJSON(_ text: String) {
    var tape = JSONTape()
    var copy = text
    copy.withUTF8 { utf8 in
        do throws(JSONTapeError) {
            try tape.parse(UnsafeRawBufferPointer(utf8), maxDepth: 100_000)
        } catch {
            fuzzFailure("the writer wrote invalid JSON \(text): \(error.parseError)")
        }
    }
}

/// The event parser accepts what jansson accepts, apart from the documented differences:
/// integers beyond 64 bits, NUL in object keys, nesting limits, and a raw NUL byte, which
/// jansson takes for the end of the input (it accepts `4\0garbage`) and we reject.
func checkParserAgreesWithJansson(_ input: UnsafeRawBufferPointer) {
    if input.contains(0) { return }
    var tape = JSONTape()
    var tooDeep = false
    var ours = true
    do {
        try tape.parse(input, maxDepth: 1000)
    } catch {
        ours = false
        tooDeep = error.tooDeep
    }
    if tooDeep { return }
    var error = json_error_t()
    let flags = JSON_DECODE_ANY | JSON_ALLOW_NUL
    let parsed = input.withMemoryRebound(to: CChar.self) { json_loadb($0.baseAddress, $0.count, Int(flags), &error) }
    let theirs = parsed != nil
    if let parsed { avrogate_json_decref(parsed) }
    if ours == theirs { return }
    let message = withUnsafeBytes(of: &error.text) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    if message.contains("too big") || message.contains("NUL byte in object key") || message.contains("maximum parsing depth") { return }
    fuzzFailure("parser disagrees with jansson (ours: \(ours), jansson: \(theirs) \(message))")
}

/// Builds the codecs before the first input, so their one-time allocations are not taken for leaks.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    _ = fuzzCodecs
    return 0
}

/// Per codec, the direct decoders the frame target holds against the tree path: natural JSON and Avro JSON.
let fuzzDirectDecoders: [[DirectJSONDecoder]] = fuzzCodecs.map { codec in
    [AvroJSONWriter.Options(), AvroJSONWriter.Options(format: .avroJSON)].map { DirectJSONDecoder(writer: codec, reader: nil, resolution: nil, json: $0) }
}

/// The direct decoder's own run (no fallback) accepts exactly the datums the tree decoder accepts, and
/// writes the same JSON bytes as the tree decoder plus ``AvroJSONWriter``.
func checkDirectDecoding(_ index: Int, _ datum: UnsafeRawBufferPointer) {
    let codec = fuzzCodecs[index]
    let tree = try? codec.makeDecoder().decode(datum)
    for direct in fuzzDirectDecoders[index] where direct.isDirect {
        var out: [UInt8] = []
        let accepted: Bool
        do {
            try direct.writeDirectly(datum, to: &out)
            accepted = true
        } catch {
            accepted = false
        }
        guard let tree else {
            if accepted { fuzzFailure("the direct decoder accepts a datum the tree decoder rejects") }
            continue
        }
        guard accepted else { fuzzFailure("the direct decoder rejects a datum the tree decoder accepts") }
        var expected: [UInt8] = []
        AvroJSONWriter(codec: codec, options: direct.options).write(tree, to: &expected)
        if out != expected {
            fuzzFailure("direct JSON \(String(decoding: out, as: UTF8.self)) differs from the tree's \(String(decoding: expected, as: UTF8.self))")
        }
    }
}
