// libFuzzer target: JSON → Avro. The first byte picks the schema and format, the rest is the event.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONToAvro(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let codec = fuzzCodecs[Int(data[0]) % fuzzCodecs.count]
    let format: AvroJSONFormat = data[0] & 0x80 == 0 ? .natural : .avroJSON
    let input = UnsafeRawBufferPointer(start: data + 1, count: size - 1)
    checkParserAgreesWithJansson(input)
    guard let encoder = try? codec.makeEncoder() else { fuzzFailure("no encoder") }
    var out: [UInt8] = []
    do {
        try encoder.encode(json: input, format: format, appendingTo: &out)
        checkRoundTrip(codec, out)
    } catch {
        for problem in error.errors where problem.got.count > 40 || problem.got.contains("\n") {
            fuzzFailure("error excerpt too long or multi-line: \(problem.got)")
        }
    }
    return 0
}
