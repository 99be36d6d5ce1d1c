import Avro
import Consumer
import Foundation
import Kafka
import Testing
import TestSupport

/// The decoding consumer in process, over the test broker and our registry.
@Suite(.timeLimit(.minutes(1))) struct DecodingConsumerTests {
    @Test func recordsComeOutFieldForFieldAsTheyWereProduced() async throws {
        let registry = try await TestRegistry.shared()
        let topic = try await KafkaTestCluster.createTopic("round-trip")
        let schemaID = try await registry.register("schemas/reference.avsc", subject: "\(topic)-value")
        let schema = try ConsumerFixtures.schema("schemas/reference.avsc")
        let events = try String(contentsOf: TestEnvironment.fixture("consumer/reference-events.ndjson"), encoding: .utf8).split(separator: "\n").map(String.init)
        let producer = try FramedProducer()
        for event in events {
            try await producer.send(event, schema: schema, schemaID: schemaID, topic: topic)
        }
        await producer.close()

        let output = CollectedOutput()
        let consumer = DecodingConsumer(configuration: try testConsumerConfiguration(topics: [topic]), registry: registry.client, output: output, logger: KafkaTestCluster.logger())
        try await runUntil(consumer) { output.lines.count >= events.count }

        #expect(try output.values == events.map { try JSONValue.parse($0) })
        #expect(consumer.metrics.snapshot.written == [topic: events.count])
    }

    @Test func recordsOfBothVersionsComeOutInTheNewerReadersShapeWithDefaultsFilled() async throws {
        let (registry, topic, _) = try await Self.topicWithTwoVersions()
        let output = CollectedOutput()
        let consumer = DecodingConsumer(
            configuration: try testConsumerConfiguration(topics: [topic], reader: .schema(try ConsumerFixtures.schema("user-v2"))),
            registry: registry.client, output: output, logger: KafkaTestCluster.logger())
        try await runUntil(consumer) { output.lines.count >= 4 }

        #expect(output.lines == [
            #"{"id":1,"name":"Ada","email":null,"tier":"FREE"}"#,
            #"{"id":2,"name":"Bob","email":null,"tier":"FREE"}"#,
            #"{"id":3,"name":"Cy","email":"cy@example.com","tier":"PRO"}"#,
            #"{"id":4,"name":"Di","email":null,"tier":"FREE"}"#,
        ])
    }

    @Test func recordsOfBothVersionsComeOutInTheOlderReadersShapeWithNewFieldsDropped() async throws {
        let (registry, topic, subject) = try await Self.topicWithTwoVersions()
        let output = CollectedOutput()
        let consumer = DecodingConsumer(
            configuration: try testConsumerConfiguration(topics: [topic], reader: .subject(subject, version: 1)),
            registry: registry.client, output: output, logger: KafkaTestCluster.logger())
        try await runUntil(consumer) { output.lines.count >= 4 }

        #expect(output.lines == [
            #"{"id":1,"name":"Ada"}"#,
            #"{"id":2,"name":"Bob"}"#,
            #"{"id":3,"name":"Cy"}"#,
            #"{"id":4,"name":"Di"}"#,
        ])
    }

    @Test func recordsWithoutAReaderSchemaComeOutInTheirWritersShape() async throws {
        let (registry, topic, _) = try await Self.topicWithTwoVersions()
        let output = CollectedOutput()
        var configuration = try testConsumerConfiguration(topics: [topic])
        configuration.output.json.format = .avroJSON
        let consumer = DecodingConsumer(configuration: configuration, registry: registry.client, output: output, logger: KafkaTestCluster.logger())
        try await runUntil(consumer) { output.lines.count >= 4 }

        #expect(output.lines == [
            #"{"id":1,"name":"Ada"}"#,
            #"{"id":2,"name":"Bob"}"#,
            #"{"id":3,"name":"Cy","email":{"string":"cy@example.com"},"tier":"PRO"}"#,
            #"{"id":4,"name":"Di","email":null,"tier":"FREE"}"#,
        ])
    }

    @Test func tombstonesComeOutAsNullAndWithTheirKeyInTheEnvelope() async throws {
        let registry = try await TestRegistry.shared()
        let topic = try await KafkaTestCluster.createTopic("tombstones")
        let schemaID = try await registry.register("user-v1", subject: "\(topic)-value")
        let producer = try FramedProducer()
        try await producer.send(#"{"id":7,"name":"Eve"}"#, schema: try ConsumerFixtures.schema("user-v1"), schemaID: schemaID, topic: topic, key: "user-7")
        try await producer.sendRaw(nil, topic: topic, key: Array("user-7".utf8), headers: [KafkaHeader(key: "reason", string: "erased")])
        await producer.close()

        let plain = CollectedOutput()
        let plainConsumer = DecodingConsumer(configuration: try testConsumerConfiguration(topics: [topic]), registry: registry.client, output: plain, logger: KafkaTestCluster.logger())
        try await runUntil(plainConsumer) { plain.lines.count >= 2 }
        #expect(plain.lines == [#"{"id":7,"name":"Eve"}"#, "null"])
        #expect(plainConsumer.metrics.snapshot.tombstones == [topic: 1])
        #expect(plainConsumer.metrics.snapshot.deadLettered.isEmpty)

        let wrapped = CollectedOutput()
        var configuration = try testConsumerConfiguration(topics: [topic])
        configuration.output.envelope = true
        let envelopeConsumer = DecodingConsumer(configuration: configuration, registry: registry.client, output: wrapped, logger: KafkaTestCluster.logger())
        try await runUntil(envelopeConsumer) { wrapped.lines.count >= 2 }
        let envelopes = try wrapped.values
        #expect(envelopes.count == 2)
        #expect(envelopes[0]["schemaId"] == .integer(Int64(schemaID)))
        #expect(envelopes[0]["value"] == (try JSONValue.parse(#"{"id":7,"name":"Eve"}"#)))
        let tombstone = try #require(envelopes.last)
        #expect(tombstone["topic"] == .string(topic))
        #expect(tombstone["partition"] == .integer(0))
        #expect(tombstone["offset"] == .integer(1))
        #expect(tombstone["key"] == .string("user-7"))
        #expect(tombstone["headers"] == (try JSONValue.parse(#"[{"key":"reason","value":"erased"}]"#)))
        #expect(tombstone["schemaId"] == .null)
        #expect(tombstone["value"] == .null)
        if case .integer(let timestamp)? = tombstone["timestamp"] {
            #expect(abs(Double(timestamp) / 1000 - Date().timeIntervalSince1970) < 120)
        } else {
            Issue.record("the envelope has no timestamp")
        }
    }

    @Test func batchesDecodedInParallelSlicesKeepRecordOrderAcrossANewSchemaAndABadRecord() async throws {
        let registry = try await TestRegistry.shared()
        let topic = try await KafkaTestCluster.createTopic("parallel")
        let subject = "\(topic)-value"
        let v1 = try await registry.register("user-v1", subject: subject)
        let v2 = try await registry.register("user-v2", subject: subject)
        let v1Schema = try ConsumerFixtures.schema("user-v1"), v2Schema = try ConsumerFixtures.schema("user-v2")
        let total = 3000
        var messages: [KafkaProducerMessage] = []
        for id in 0..<total {
            let value: [UInt8] = switch id {
            case 1234: try FramedProducer.frame(#"{"id":\#(id),"name":"n","tier":"PRO"}"#, schema: v2Schema, schemaID: v2)
            case 1700: [9, 9, 9]
            default: try FramedProducer.frame(#"{"id":\#(id),"name":"n"}"#, schema: v1Schema, schemaID: v1)
            }
            messages.append(KafkaProducerMessage(topic: topic, value: value))
        }
        let producer = try FramedProducer()
        try await producer.sendAll(messages)
        await producer.close()

        let output = CollectedOutput()
        var configuration = try testConsumerConfiguration(topics: [topic], reader: .schema(v1Schema))
        configuration.decodeTasks = 4
        configuration.errorPolicy = .skip
        let consumer = DecodingConsumer(configuration: configuration, registry: registry.client, output: output, logger: KafkaTestCluster.logger())
        try await runUntil(consumer) { consumer.metrics.snapshot.handled >= total }

        let ids = try output.values.compactMap { $0["id"]?.integerValue }
        #expect(ids == (0..<Int64(total)).filter { $0 != 1700 })
        #expect(consumer.metrics.snapshot.skipped == [.wrongMagicByte: 1])
    }

    @Test func metricsCountRecordsByOutcomeAndReportPositionAndLagPerPartition() async throws {
        let registry = try await TestRegistry.shared()
        let topic = try await KafkaTestCluster.createTopic("metrics")
        let schemaID = try await registry.register("user-v1", subject: "\(topic)-value")
        let producer = try FramedProducer()
        try await producer.send(#"{"id":1,"name":"a"}"#, schema: try ConsumerFixtures.schema("user-v1"), schemaID: schemaID, topic: topic)
        try await producer.sendRaw(nil, topic: topic)
        try await producer.sendRaw([7], topic: topic)
        await producer.close()

        let output = CollectedOutput()
        let consumer = DecodingConsumer(configuration: try testConsumerConfiguration(topics: [topic]), registry: registry.client, output: output, logger: KafkaTestCluster.logger())
        try await runUntil(consumer) { consumer.metrics.snapshot.handled >= 3 }

        let text = await consumer.prometheusText()
        #expect(text.contains("avrogate_consumer_records_written_total{topic=\"\(topic)\"} 2\n"))
        #expect(text.contains("avrogate_consumer_tombstones_total{topic=\"\(topic)\"} 1\n"))
        #expect(text.contains("avrogate_consumer_records_dead_lettered_total{reason=\"wrong-magic-byte\"} 1\n"))
        #expect(text.contains("avrogate_consumer_position{topic=\"\(topic)\",partition=\"0\"} 3\n"))
        #expect(text.contains("avrogate_consumer_lag{topic=\"\(topic)\",partition=\"0\"} "))
        #expect(text.contains("avrogate_consumer_decode_seconds_count 1\n"))
    }

    /// A topic with user-v1 records (ids 1, 2), then user-v2 records (3, 4), both versions registered
    /// under the topic's value subject.
    static func topicWithTwoVersions() async throws -> (TestRegistry, String, String) {
        let registry = try await TestRegistry.shared()
        let topic = try await KafkaTestCluster.createTopic("evolution")
        let subject = "\(topic)-value"
        let v1 = try await registry.register("user-v1", subject: subject)
        let v2 = try await registry.register("user-v2", subject: subject)
        let producer = try FramedProducer()
        let v1Schema = try ConsumerFixtures.schema("user-v1"), v2Schema = try ConsumerFixtures.schema("user-v2")
        try await producer.send(#"{"id":1,"name":"Ada"}"#, schema: v1Schema, schemaID: v1, topic: topic)
        try await producer.send(#"{"id":2,"name":"Bob"}"#, schema: v1Schema, schemaID: v1, topic: topic)
        try await producer.send(#"{"id":3,"name":"Cy","email":"cy@example.com","tier":"PRO"}"#, schema: v2Schema, schemaID: v2, topic: topic)
        try await producer.send(#"{"id":4,"name":"Di"}"#, schema: v2Schema, schemaID: v2, topic: topic)
        await producer.close()
        return (registry, topic, subject)
    }
}
