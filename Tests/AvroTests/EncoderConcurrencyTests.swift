import Avro
import Testing

/// One codec shared by tasks, each with its own encoder: results do not depend on the sharing.
@Suite struct EncoderConcurrencyTests {
    @Test func encodersFromOneCodecWorkInParallel() async throws {
        let codec = try CodecFixtures.codec("all-types.avsc")
        let events = try CodecFixtures.lines("all-types.events.ndjson")
        let expected = try events.map { try codec.makeEncoder().encode(json: $0) }
        let results = try await withThrowingTaskGroup(of: [[UInt8]].self) { group in
            for _ in 0 ..< 8 {
                group.addTask {
                    let encoder = try codec.makeEncoder()
                    var out: [[UInt8]] = []
                    for _ in 0 ..< 200 {
                        out = try events.map { try encoder.encode(json: $0) }
                    }
                    return out
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 8)
        for result in results { #expect(result == expected) }
    }

    @Test func anEncoderIsReusableAfterAnInvalidEvent() throws {
        let codec = try CodecFixtures.codec("validation.avsc")
        let encoder = try codec.makeEncoder()
        let valid = try CodecFixtures.text("validation.valid.json")
        let first = try encoder.encode(json: valid)
        #expect(!encoder.errors(#"{"id":"x","items":[{"sku":1}],"counts":{"a":"b"}}"#).isEmpty)
        #expect(try encoder.encode(json: valid) == first)
    }
}
