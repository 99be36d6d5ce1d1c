import Avro
import Foundation
import Ingest
import Testing
import TestSupport

/// Record keys (none, `?key=`, a configured field; strings, or Avro with a `{topic}-key` subject) and partitions.
@Suite(.timeLimit(.minutes(2)))
struct ProduceKeysAndPartitionsTests {
    static let alice = #"{"id": 41, "name": "Alice", "signedUpAt": 0}"#
    static let bob = #"{"id": 42, "name": "Bob", "signedUpAt": 0}"#

    @Test func theKeyParameterGivesEveryRecordTheSameStringKey() async throws {
        try await IngestHarness.with { harness in
            let (topic, _) = try await harness.topicWithSchema("user.avsc")
            let response = try await harness.post("/topics/\(topic)?key=customer-7", "[\(Self.alice), \(Self.bob)]")
            #expect(response.status == 200, "\(response.text)")
            let records = try await TopicReader.read(topic, count: 2)
            #expect(records.map(\.key) == [Array("customer-7".utf8), Array("customer-7".utf8)])
        }
    }

    @Test func aConfiguredKeyFieldKeysEachRecordByItsValue() async throws {
        let (topic, _) = try await IngestHarness.topicWithSchema("user.avsc")
        try await IngestHarness.with({ $0.keyFields = [topic: "id"] }) { harness in
            let response = try await harness.post("/topics/\(topic)", "\(Self.alice)\n\(Self.bob)\n", contentType: "application/x-ndjson")
            #expect(response.status == 200, "\(response.text)")
            let records = try await TopicReader.read(topic, count: 2)
            #expect(records.map(\.key) == [Array("41".utf8), Array("42".utf8)])
        }
    }

    @Test func aTopicWithAKeySubjectGetsAvroEncodedKeys() async throws {
        let (topic, _) = try await IngestHarness.topicWithSchema("user.avsc")
        let keySchema = try IngestHarness.fixtureText("user-key.avsc")
        let keyID = try await SharedRegistry.client().register(subject: "\(topic)-key", schema: keySchema)
        try await IngestHarness.with { harness in
            let response = try await harness.post("/topics/\(topic)?key=%7B%22id%22%3A7%7D", Self.alice)
            #expect(response.status == 200, "\(response.text)")
            let records = try await TopicReader.read(topic, count: 1)
            let (frameID, key) = try TopicReader.decode(records.first?.key, schema: keySchema)
            #expect(frameID == UInt32(keyID))
            #expect(key == .object(JSONObject([("id", .integer(7))])))
            let wrong = try await harness.post("/topics/\(topic)?key=seven", Self.alice)
            #expect(wrong.status == 422, "\(wrong.text)")
        }
    }

    @Test func anExplicitPartitionIsHonoured() async throws {
        try await IngestHarness.with { harness in
            let (topic, _) = try await harness.topicWithSchema("user.avsc", partitions: 3)
            let response = try await harness.post("/topics/\(topic)?partition=2", "[\(Self.alice), \(Self.bob)]")
            #expect(response.status == 200, "\(response.text)")
            #expect(response.offsets.map { $0?.partition } == [2, 2])
            #expect(try await TopicReader.read(topic, count: 2).map(\.partition) == [2, 2])
            let missing = try await harness.post("/topics/\(topic)?partition=9", Self.alice)
            #expect(missing.status == 404 && missing.errorCode == 40402, "\(missing.text)")
        }
    }
}
