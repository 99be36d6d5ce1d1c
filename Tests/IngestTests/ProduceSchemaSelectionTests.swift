import Avro
import Foundation
import Ingest
import Testing
import TestSupport

/// Which schema a produce request uses: latest by subject strategy, or pinned by id or subject version.
@Suite(.timeLimit(.minutes(2)))
struct ProduceSchemaSelectionTests {
    static let userV2 = #"{"type":"record","name":"User","namespace":"com.avrogate.ingest","fields":[{"name":"id","type":"long"},{"name":"name","type":"string"},{"name":"email","type":["null","string"],"default":null},{"name":"signedUpAt","type":{"type":"long","logicalType":"timestamp-millis"}},{"name":"tags","type":{"type":"array","items":"string"},"default":[]},{"name":"plan","type":"string","default":"free"}]}"#
    static let event = #"{"id": 1, "name": "Alice", "signedUpAt": 0}"#

    @Test func theLatestVersionIsUsedUnlessASchemaIDOrSubjectVersionIsPinned() async throws {
        try await IngestHarness.with({ $0.registry.cache.subjectTTL = .zero }) { harness in
            let (topic, v1) = try await harness.topicWithSchema("user.avsc")
            let v2 = try await harness.registry.register(subject: "\(topic)-value", schema: Self.userV2)
            #expect(v1 != v2)
            let latest = try await harness.post("/topics/\(topic)", Self.event)
            #expect(latest.json["schema_id"]?.integerValue == Int64(v2))
            #expect(latest.json["version"]?.integerValue == 2)
            let byID = try await harness.post("/topics/\(topic)?schema_id=\(v1)", Self.event)
            #expect(byID.status == 200 && byID.json["schema_id"]?.integerValue == Int64(v1), "\(byID.text)")
            let byVersion = try await harness.post("/topics/\(topic)?subject=\(topic)-value&version=1", Self.event)
            #expect(byVersion.status == 200 && byVersion.json["schema_id"]?.integerValue == Int64(v1))
            let frames = try await TopicReader.read(topic, count: 3).map { Array($0.value?.prefix(5) ?? []) }
            #expect(frames.map { Int($0[1]) << 24 | Int($0[2]) << 16 | Int($0[3]) << 8 | Int($0[4]) } == [v2, v1, v1])
        }
    }

    @Test func anUnknownSubjectSchemaIDOrVersionIsA404() async throws {
        try await IngestHarness.with { harness in
            let topic = TestEnvironment.uniqueName("no-subject")
            let subject = try await harness.post("/topics/\(topic)", Self.event)
            #expect(subject.status == 404 && subject.errorCode == 40404, "\(subject.text)")
            #expect(subject.text.contains("\(topic)-value"))
            let id = try await harness.post("/topics/\(topic)?schema_id=987654", Self.event)
            #expect(id.status == 404 && id.errorCode == 40403, "\(id.text)")
            let (known, _) = try await harness.topicWithSchema("user.avsc")
            let version = try await harness.post("/topics/\(known)?subject=\(known)-value&version=7", Self.event)
            #expect(version.status == 404 && version.errorCode == 40405, "\(version.text)")
        }
    }

    @Test func recordNameStrategiesNameTheSubjectAfterTheRecord() async throws {
        let topic = try await KafkaTestCluster.createTopic("ingest-record-strategy")
        let recordName = "com.avrogate.ingest.\(TestEnvironment.uniqueName("User").replacingOccurrences(of: "-", with: "_"))"
        let schema = try IngestHarness.fixtureText("user.avsc").replacingOccurrences(of: "\"name\": \"User\"", with: "\"name\": \"\(recordName.split(separator: ".").last!)\"")
        let registry = try await SharedRegistry.client()
        let recordID = try await registry.register(subject: recordName, schema: schema)
        let topicRecordID = try await registry.register(subject: "\(topic)-\(recordName)", schema: schema)
        try await IngestHarness.with({ $0.subjectStrategy = .recordName; $0.valueRecordNames = [topic: recordName] }) { harness in
            let response = try await harness.post("/topics/\(topic)", Self.event)
            #expect(response.status == 200 && response.json["subject"]?.stringValue == recordName, "\(response.text)")
            #expect(response.json["schema_id"]?.integerValue == Int64(recordID))
        }
        try await IngestHarness.with({ $0.subjectStrategy = .topicRecordName }) { harness in
            let missing = try await harness.post("/topics/\(topic)", Self.event)
            #expect(missing.status == 400 && missing.errorCode == 40003, "\(missing.text)")
            let response = try await harness.post("/topics/\(topic)?record=\(recordName)", Self.event)
            #expect(response.status == 200 && response.json["subject"]?.stringValue == "\(topic)-\(recordName)", "\(response.text)")
            #expect(response.json["schema_id"]?.integerValue == Int64(topicRecordID))
        }
    }
}
