import Foundation
import Kafka
import Testing
import TestSupport

@Suite struct ConsumerBatchTests {
    /// Records of every shape: headers (one with a null value), a tombstone, an empty value, a null key.
    static let sent: [(key: [UInt8]?, value: [UInt8]?, headers: [KafkaHeader])] = [
        (Array("user-42".utf8), Array("{\"n\":1}".utf8), [KafkaHeader(key: "content-type", string: "application/json"), KafkaHeader(key: "trace", value: nil)]),
        (Array("user-42".utf8), nil, []),
        (nil, [], []),
        (nil, [0, 0xFF, 0x00, 0x7F], [KafkaHeader(key: "empty", value: [])]),
    ]

    /// Produces ``sent`` to a fresh topic (to `partition` of `partitions`) and returns the topic.
    private static func produceSent(_ prefix: String, partitions: Int32 = 1, partition: Int32 = 0) async throws -> String {
        let topic = try await KafkaTestCluster.createTopic(prefix, partitions: partitions)
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(kafka: try KafkaTestCluster.configuration()), logger: KafkaTestCluster.logger())
        for record in sent {
            _ = try await producer.send(KafkaProducerMessage(topic: topic, partition: partition, key: record.key, value: record.value, headers: record.headers))
        }
        await producer.close()
        return topic
    }

    /// Reads raw batches until `count` records came; returns the records (each keeps its batch alive).
    private static func readRecords(_ count: Int, from consumer: KafkaConsumer) async throws -> [KafkaConsumerRecord] {
        var records: [KafkaConsumerRecord] = []
        let deadline = ContinuousClock.now + .seconds(30)
        while records.count < count && ContinuousClock.now < deadline {
            records += try await consumer.nextRawBatch(timeout: .milliseconds(500))
        }
        return records
    }

    private static func bytes(_ view: UnsafeRawBufferPointer?) -> [UInt8]? {
        view.map { [UInt8]($0) }
    }

    @Test(.timeLimit(.minutes(1)))
    func rawRecordsHoldTheProducedKeysValuesHeadersAndTimestamps() async throws {
        let topic = try await Self.produceSent("raw-batch", partitions: 2, partition: 1)
        let producedAfter = Int64(Date().timeIntervalSince1970 * 1000) - 60_000
        let consumer = try KafkaConsumer(configuration: try KafkaTestCluster.consumerConfiguration(group: TestEnvironment.uniqueName("raw-batch"), topics: [topic]), logger: KafkaTestCluster.logger())
        let records = try await Self.readRecords(Self.sent.count, from: consumer)
        await consumer.close()

        try #require(records.count == Self.sent.count)
        for (sent, record) in zip(Self.sent, records) {
            #expect(record.topic == topic)
            #expect(record.partition == 1)
            #expect(Self.bytes(record.key) == sent.key)
            #expect(Self.bytes(record.value) == sent.value)
            #expect(record.headers == sent.headers)
            let timestamp = try #require(record.timestampMilliseconds)
            #expect(timestamp >= producedAfter && timestamp <= Int64(Date().timeIntervalSince1970 * 1000) + 1000)
            #expect(record.topicPartition == TopicPartition(topic: topic, partition: 1))
        }
        #expect(records.map(\.offset) == [0, 1, 2, 3])
        #expect(records[1].value == nil)
        #expect(records[2].key == nil)
        #expect(records[2].value?.count == 0)
    }

    @Test(.timeLimit(.minutes(1)))
    func aCopiedOutRecordEqualsWhatNextBatchReturns() async throws {
        let topic = try await Self.produceSent("raw-batch-copy")
        let configuration = { try KafkaTestCluster.consumerConfiguration(group: TestEnvironment.uniqueName("raw-batch-copy"), topics: [topic]) }
        let raw = try KafkaConsumer(configuration: try configuration(), logger: KafkaTestCluster.logger())
        let records = try await Self.readRecords(Self.sent.count, from: raw)
        await raw.close()
        let copying = try KafkaConsumer(configuration: try configuration(), logger: KafkaTestCluster.logger())
        var messages: [KafkaConsumerMessage] = []
        let deadline = ContinuousClock.now + .seconds(30)
        while messages.count < Self.sent.count && ContinuousClock.now < deadline {
            messages += try await copying.nextBatch(timeout: .milliseconds(500))
        }
        await copying.close()

        try #require(records.count == Self.sent.count)
        #expect(records.map(\.message) == messages)
        #expect(messages.map(\.timestamp).allSatisfy { $0 != nil })
    }

    @Test(.timeLimit(.minutes(1)))
    func buffersStayValidWhileARecordIsHeldAfterItsBatchAndConsumerAreGone() async throws {
        let topic = try await Self.produceSent("raw-batch-lifetime")
        var consumer: KafkaConsumer? = try KafkaConsumer(configuration: try KafkaTestCluster.consumerConfiguration(group: TestEnvironment.uniqueName("raw-batch-lifetime"), topics: [topic]), logger: KafkaTestCluster.logger())
        let records = try await Self.readRecords(Self.sent.count, from: try #require(consumer))
        await consumer?.close()
        consumer = nil
        try await Task.sleep(for: .milliseconds(200))

        try #require(records.count == Self.sent.count)
        let first = records[0]
        #expect(Self.bytes(first.value) == Self.sent[0].value)
        #expect(Self.bytes(first.key) == Self.sent[0].key)
        // Headers parsed lazily from several tasks at once, as parallel decoding would.
        let headers = await withTaskGroup(of: [KafkaHeader].self) { group in
            for _ in 0..<8 {
                group.addTask { first.headers }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(headers.count == 8)
        #expect(headers.allSatisfy { $0 == Self.sent[0].headers })
    }

    @Test(.timeLimit(.minutes(1)))
    func recordsOfSeveralTopicsInOneBatchKeepTheirTopics() async throws {
        let topics = [try await Self.produceSent("raw-batch-a"), try await Self.produceSent("raw-batch-b")]
        let consumer = try KafkaConsumer(configuration: try KafkaTestCluster.consumerConfiguration(group: TestEnvironment.uniqueName("raw-batch-topics"), topics: topics), logger: KafkaTestCluster.logger())
        let records = try await Self.readRecords(2 * Self.sent.count, from: consumer)
        await consumer.close()

        try #require(records.count == 2 * Self.sent.count)
        for topic in topics {
            let ofTopic = records.filter { $0.topic == topic }
            #expect(ofTopic.map(\.offset) == [0, 1, 2, 3])
            #expect(ofTopic.map { Self.bytes($0.value) } == Self.sent.map(\.value))
            #expect(ofTopic.allSatisfy { $0.isSamePartition(as: ofTopic[0]) })
        }
        let first = try #require(records.first(where: { $0.topic == topics[0] }))
        let second = try #require(records.first(where: { $0.topic == topics[1] }))
        #expect(!first.isSamePartition(as: second))
    }
}
