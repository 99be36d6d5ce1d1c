import Avro
import Consumer
import Foundation
import Kafka
import Testing
import TestSupport

/// Undecodable records: each kind lands in the dead-letter topic with headers saying why, or is skipped,
/// or stops the consumer, as the error policy says; decodable records around them keep flowing.
@Suite(.timeLimit(.minutes(1))) struct DeadLetterTests {
    /// One record of the mixed topic: its value, and the error class it must be dead-lettered with (`nil`: decodable).
    struct Sample {
        var name: String
        var value: [UInt8]
        var expected: UndecodableRecord.Reason?
    }

    /// Two good user-v1 records around one of every undecodable kind, for a user-v1 reader.
    static func samples(v1: Int, incompatible: Int) throws -> [Sample] {
        let v1Schema = try ConsumerFixtures.schema("user-v1")
        let good = try FramedProducer.frame(#"{"id":1,"name":"Ada"}"#, schema: v1Schema, schemaID: v1)
        let wrongMagic = [UInt8(1)] + good.dropFirst()
        let unknownID = try FramedProducer.frame(#"{"id":9,"name":"Nobody"}"#, schema: v1Schema, schemaID: 1_999_999_999)
        let incompatibleWriter = try FramedProducer.frame(#"{"id":"x-1","name":"Str"}"#, schema: try ConsumerFixtures.schema("user-id-as-string"), schemaID: incompatible)
        return [
            Sample(name: "good-1", value: good, expected: nil),
            Sample(name: "wrong-magic", value: wrongMagic, expected: .wrongMagicByte),
            Sample(name: "short-frame", value: [0, 0, 0], expected: .truncated),
            Sample(name: "empty", value: [], expected: .truncated),
            Sample(name: "truncated-datum", value: Array(good.dropLast()), expected: .truncated),
            Sample(name: "trailing-bytes", value: good + [0x02], expected: .trailingBytes),
            Sample(name: "unknown-id", value: unknownID, expected: .unknownSchemaID),
            Sample(name: "incompatible", value: incompatibleWriter, expected: .incompatibleWriter),
            Sample(name: "negative-length", value: Array(good.prefix(5)) + [0x02, 0x01], expected: .invalidDatum),
            Sample(name: "good-2", value: try FramedProducer.frame(#"{"id":2,"name":"Bob"}"#, schema: v1Schema, schemaID: v1), expected: nil),
        ]
    }

    /// A topic holding ``samples(v1:incompatible:)``, each keyed and with a header named after the sample.
    static func mixedTopic(_ registry: TestRegistry) async throws -> (topic: String, samples: [Sample]) {
        let topic = try await KafkaTestCluster.createTopic("mixed")
        let v1 = try await registry.register("user-v1", subject: "\(topic)-value")
        let incompatible = try await registry.register("user-id-as-string", subject: "\(topic)-other-value")
        let samples = try samples(v1: v1, incompatible: incompatible)
        let producer = try FramedProducer()
        for sample in samples {
            try await producer.sendRaw(sample.value, topic: topic, key: Array("key-\(sample.name)".utf8), headers: [KafkaHeader(key: "sample", string: sample.name)])
        }
        await producer.close()
        return (topic, samples)
    }

    @Test func everyUndecodableKindLandsInTheDeadLetterTopicWithWhyWhileGoodRecordsFlow() async throws {
        let registry = try await TestRegistry.shared()
        let (topic, samples) = try await Self.mixedTopic(registry)
        let output = CollectedOutput()
        let consumer = DecodingConsumer(
            configuration: try testConsumerConfiguration(topics: [topic], reader: .schema(try ConsumerFixtures.schema("user-v1"))),
            registry: registry.client, output: output, logger: KafkaTestCluster.logger())
        try await runUntil(consumer) { consumer.metrics.snapshot.handled >= samples.count }

        #expect(output.lines == [#"{"id":1,"name":"Ada"}"#, #"{"id":2,"name":"Bob"}"#])
        let bad = samples.enumerated().filter { $0.element.expected != nil }
        let letters = try await readTopic("\(topic).dlq", count: bad.count)
        try #require(letters.count == bad.count)
        for ((offset, sample), letter) in zip(bad, letters) {
            let headers = Dictionary(letter.headers.map { ($0.key, String(decoding: $0.value ?? [], as: UTF8.self)) }, uniquingKeysWith: { first, _ in first })
            #expect(headers["sample"] == sample.name, "the original headers come first")
            #expect(headers[DeadLetter.Header.errorClass] == sample.expected?.rawValue, "\(sample.name)")
            #expect(!(headers[DeadLetter.Header.errorMessage] ?? "").isEmpty)
            #expect(headers[DeadLetter.Header.sourceTopic] == topic)
            #expect(headers[DeadLetter.Header.sourcePartition] == "0")
            #expect(headers[DeadLetter.Header.sourceOffset] == String(offset))
            #expect(letter.key == Array("key-\(sample.name)".utf8))
            #expect(letter.value == sample.value, "\(sample.name): the value bytes are kept as they were")
        }
        let schemaIDs = letters.map { letter in letter.headers.first { $0.key == DeadLetter.Header.schemaID }.map { String(decoding: $0.value ?? [], as: UTF8.self) } }
        #expect(schemaIDs[0] == nil && schemaIDs[1] == nil && schemaIDs[2] == nil, "frames without a header name no schema")
        #expect(schemaIDs[5] == "1999999999")
        let counts = consumer.metrics.snapshot.deadLettered
        #expect(counts == [.wrongMagicByte: 1, .truncated: 3, .trailingBytes: 1, .unknownSchemaID: 1, .incompatibleWriter: 1, .invalidDatum: 1])
    }

    @Test func skipPolicyGoesOnWithoutDeadLettersAndCommitsPastTheSkippedRecords() async throws {
        let registry = try await TestRegistry.shared()
        let (topic, samples) = try await Self.mixedTopic(registry)
        let output = CollectedOutput()
        let group = TestEnvironment.uniqueName("skip")
        var configuration = try testConsumerConfiguration(topics: [topic], group: group, reader: .schema(try ConsumerFixtures.schema("user-v1")))
        configuration.errorPolicy = .skip
        let consumer = DecodingConsumer(configuration: configuration, registry: registry.client, output: output, logger: KafkaTestCluster.logger())
        try await runUntil(consumer) { consumer.metrics.snapshot.handled >= samples.count }

        #expect(output.lines == [#"{"id":1,"name":"Ada"}"#, #"{"id":2,"name":"Bob"}"#])
        #expect(consumer.metrics.snapshot.skipped.values.reduce(0, +) == samples.count - 2)
        #expect(consumer.metrics.snapshot.deadLettered.isEmpty)
        let admin = try KafkaAdmin(configuration: try KafkaTestCluster.configuration(), logger: KafkaTestCluster.logger())
        #expect(try await admin.committedOffsets(group: group, topic: topic) == [0: Int64(samples.count)])
        await admin.close()
    }

    @Test func failPolicyStopsAtTheFirstUndecodableRecordLeavingItUncommitted() async throws {
        let registry = try await TestRegistry.shared()
        let (topic, _) = try await Self.mixedTopic(registry)
        let output = CollectedOutput()
        let group = TestEnvironment.uniqueName("fail")
        var configuration = try testConsumerConfiguration(topics: [topic], group: group, reader: .schema(try ConsumerFixtures.schema("user-v1")))
        configuration.errorPolicy = .fail
        let consumer = DecodingConsumer(configuration: configuration, registry: registry.client, output: output, logger: KafkaTestCluster.logger())
        let error = await #expect(throws: DecodingConsumerError.self) { try await consumer.run() }
        guard case .undecodable(let failure, _, _, let offset)? = error else {
            Issue.record("expected an undecodable record, got \(String(describing: error))")
            return
        }
        #expect(failure.reason == .wrongMagicByte)
        #expect(offset == 1)
        #expect(output.lines == [#"{"id":1,"name":"Ada"}"#])
        let admin = try KafkaAdmin(configuration: try KafkaTestCluster.configuration(), logger: KafkaTestCluster.logger())
        #expect(try await admin.committedOffsets(group: group, topic: topic) == [0: 1])
        await admin.close()
    }
}
