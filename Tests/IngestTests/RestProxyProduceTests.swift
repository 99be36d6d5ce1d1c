import Avro
import Foundation
import Ingest
import Testing
import TestSupport

/// `application/vnd.kafka.avro.v2+json`: Confluent REST Proxy v2 bodies from its documentation,
/// answered in its shape. Inline schemas must be registered already (the gateway never registers).
@Suite(.timeLimit(.minutes(2)))
struct RestProxyProduceTests {
    static let contentType = "application/vnd.kafka.avro.v2+json"
    static let intSchema = #"{"name":"int","type": "int"}"#
    static let userSchema = #"{"type": "record", "name": "User", "fields": [{"name": "name", "type": "string"}]}"#

    private func body(_ name: String) throws -> String {
        try IngestHarness.fixtureText("rest-proxy/\(name).json")
    }

    @Test func anInlineValueSchemaThatIsRegisteredIsUsedAndAnsweredInRestProxyShape() async throws {
        try await IngestHarness.with { harness in
            let topic = try await KafkaTestCluster.createTopic("rest-proxy", partitions: 2)
            let id = try await harness.registry.register(subject: "\(topic)-value", schema: Self.intSchema)
            let response = try await harness.post("/topics/\(topic)", try body("int-values-inline-schema"), contentType: Self.contentType)
            #expect(response.status == 200, "\(response.text)")
            #expect(response.header("Content-Type") == "application/vnd.kafka.v2+json")
            #expect(response.json["key_schema_id"] == .null)
            #expect(response.json["value_schema_id"]?.integerValue == Int64(id))
            let offsets = response.json["offsets"]?.arrayValue ?? []
            try #require(offsets.count == 2)
            #expect(offsets[1]["partition"]?.integerValue == 1)
            #expect(offsets.allSatisfy { $0["error_code"] == .null && $0["error"] == .null && $0["offset"]?.integerValue != nil })
            let records = try await TopicReader.read(topic, count: 2)
            let values = try records.sorted { $0.partition < $1.partition }.map { try TopicReader.decode($0.value, schema: Self.intSchema).json }
            #expect(values == [.integer(12), .integer(24)])
        }
    }

    @Test func aValueSchemaIDIsUsedAsGiven() async throws {
        try await IngestHarness.with { harness in
            let topic = try await KafkaTestCluster.createTopic("rest-proxy", partitions: 2)
            let id = try await harness.registry.register(subject: "\(topic)-value", schema: Self.intSchema)
            let text = try body("int-values-schema-id").replacingOccurrences(of: "\"value_schema_id\": 32", with: "\"value_schema_id\": \(id)")
            let response = try await harness.post("/topics/\(topic)", text, contentType: Self.contentType)
            #expect(response.status == 200, "\(response.text)")
            #expect(response.json["value_schema_id"]?.integerValue == Int64(id))
        }
    }

    @Test func anInlineKeySchemaEncodesTheKeysWithItsRegisteredID() async throws {
        try await IngestHarness.with { harness in
            let topic = try await KafkaTestCluster.createTopic("rest-proxy")
            let keySchema = #"{"name":"user_id"  ,"type": "int"   }"#
            let keyID = try await harness.registry.register(subject: "\(topic)-key", schema: keySchema)
            let valueID = try await harness.registry.register(subject: "\(topic)-value", schema: Self.userSchema)
            let response = try await harness.post("/topics/\(topic)", try body("user-record-with-int-key"), contentType: Self.contentType)
            #expect(response.status == 200, "\(response.text)")
            #expect(response.json["key_schema_id"]?.integerValue == Int64(keyID))
            #expect(response.json["value_schema_id"]?.integerValue == Int64(valueID))
            let record = try #require(try await TopicReader.read(topic, count: 1).first)
            #expect(try TopicReader.decode(record.key, schema: keySchema).json == .integer(1))
            #expect(try TopicReader.decode(record.value, schema: Self.userSchema).json["name"] == .string("testUser"))
        }
    }

    @Test func anInlineSchemaThatIsNotRegisteredIsRejectedWithoutProducing() async throws {
        try await IngestHarness.with { harness in
            let topic = try await KafkaTestCluster.createTopic("rest-proxy")
            let response = try await harness.post("/topics/\(topic)", try body("user-record"), contentType: Self.contentType)
            #expect(response.status == 422, "\(response.text)")
            #expect(response.errorCode == 42207)
            #expect(response.json["message"]?.stringValue?.contains("never registers") == true)
            _ = try await harness.registry.register(subject: "\(topic)-value", schema: #"{"type":"record","name":"User","fields":[{"name":"name","type":"string"},{"name":"age","type":"int","default":0}]}"#)
            let other = try await harness.post("/topics/\(topic)", try body("user-record"), contentType: Self.contentType)
            #expect(other.status == 422 && other.errorCode == 42207, "\(other.text)")
            try await expectWatermarks(topic, [0: 0])
        }
    }

    @Test func valuesMustBeInTheAvroJSONEncoding() async throws {
        try await IngestHarness.with { harness in
            let topic = try await KafkaTestCluster.createTopic("rest-proxy")
            let schema = #"{"type":"record","name":"Reading","fields":[{"name":"value","type":["null","double"]}]}"#
            let id = try await harness.registry.register(subject: "\(topic)-value", schema: schema)
            let wrapped = try await harness.post("/topics/\(topic)", #"{"value_schema_id": \#(id), "records": [{"value": {"value": {"double": 1.5}}}]}"#, contentType: Self.contentType)
            #expect(wrapped.status == 200, "\(wrapped.text)")
            let bare = try await harness.post("/topics/\(topic)", #"{"value_schema_id": \#(id), "records": [{"value": {"value": 1.5}}]}"#, contentType: Self.contentType)
            #expect(bare.status == 422 && bare.errorCode == 42203, "\(bare.text)")
            #expect(bare.header("Content-Type") == "application/vnd.kafka.v2+json")
            #expect(bare.json["errors"]?.arrayValue?.first?["path"]?.stringValue == "$.value")
        }
    }

    @Test func structuredKeysWithoutAKeySchemaAre42201() async throws {
        try await IngestHarness.with { harness in
            let topic = try await KafkaTestCluster.createTopic("rest-proxy")
            let id = try await harness.registry.register(subject: "\(topic)-value", schema: Self.userSchema)
            let response = try await harness.post("/topics/\(topic)", #"{"value_schema_id": \#(id), "records": [{"key": {"id": 1}, "value": {"name": "x"}}]}"#, contentType: Self.contentType)
            #expect(response.status == 422 && response.errorCode == 42201, "\(response.text)")
            let stringKey = try await harness.post("/topics/\(topic)", #"{"value_schema_id": \#(id), "records": [{"key": "k1", "value": {"name": "x"}}]}"#, contentType: Self.contentType)
            #expect(stringKey.status == 200, "\(stringKey.text)")
            #expect(try await TopicReader.read(topic, count: 1).first?.key == Array("k1".utf8))
        }
    }
}
