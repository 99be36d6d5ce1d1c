// libFuzzer target: Confluent frame → JSON. The first byte picks the schema, the rest is the frame.
// The direct decoder must accept exactly what the tree decoder accepts and write the same JSON.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFrameToJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let codec = fuzzCodecs[Int(data[0]) % fuzzCodecs.count]
    let frame = UnsafeRawBufferPointer(start: data + 1, count: size - 1)
    if frame.count >= 5 && frame[0] == 0 {
        checkDirectDecoding(Int(data[0]) % fuzzCodecs.count, UnsafeRawBufferPointer(rebasing: frame[5...]))
    }
    guard let (_, value) = try? codec.makeDecoder().decodeFramed(frame) else { return 0 }
    checkValidJSON(AvroJSONWriter(codec: codec).json(value))
    checkValidJSON(AvroJSONWriter(codec: codec, options: .init(bytesEncoding: .base64)).json(value))
    let avroJSON = AvroJSONWriter(codec: codec, options: .init(format: .avroJSON)).json(value)
    checkValidJSON(avroJSON)
    // What the encoder takes back (not every datum: it refuses map keys with NUL, times past
    // midnight) must decode to the same Avro JSON.
    guard let encoder = try? codec.makeEncoder(), let again = try? encoder.encode(json: avroJSON, format: .avroJSON) else { return 0 }
    guard let reread = try? codec.makeDecoder().decode(again) else { fuzzFailure("the decoder rejects the encoder's output") }
    let rewritten = AvroJSONWriter(codec: codec, options: .init(format: .avroJSON)).json(reread)
    if rewritten != avroJSON { fuzzFailure("frame → JSON → Avro → JSON changed \(avroJSON) into \(rewritten)") }
    return 0
}
