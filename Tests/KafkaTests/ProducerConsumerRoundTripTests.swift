import Kafka
import Testing
import TestSupport

@Suite struct ProducerConsumerRoundTripTests {
    @Test(.timeLimit(.minutes(1)))
    func aRecordComesBackWithItsKeyHeadersValueAndPartition() async throws {
        let topic = try await KafkaTestCluster.createTopic("round-trip", partitions: 2)
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(kafka: try KafkaTestCluster.configuration()), logger: KafkaTestCluster.logger())
        let sent = [
            KafkaProducerMessage(topic: topic, partition: 1, key: Array("user-42".utf8), value: Array("{\"n\":1}".utf8),
                                 headers: [KafkaHeader(key: "content-type", string: "application/json"), KafkaHeader(key: "trace", value: nil)]),
            KafkaProducerMessage(topic: topic, partition: 1, key: Array("user-42".utf8), value: nil),
            KafkaProducerMessage(topic: topic, partition: 1, key: nil, value: []),
        ]
        var reports: [DeliveryReport] = []
        for message in sent {
            reports.append(try await producer.send(message))
        }
        #expect(reports.map(\.partition) == [1, 1, 1])
        #expect(reports.map(\.offset) == [0, 1, 2])
        #expect(reports.allSatisfy { $0.topic == topic })
        await producer.close()

        let consumer = try KafkaConsumer(configuration: try KafkaTestCluster.consumerConfiguration(group: TestEnvironment.uniqueName("round-trip"), topics: [topic]), logger: KafkaTestCluster.logger())
        var received: [KafkaConsumerMessage] = []
        let deadline = ContinuousClock.now + .seconds(30)
        while received.count < sent.count && ContinuousClock.now < deadline {
            received += try await consumer.nextBatch(timeout: .milliseconds(500))
        }
        await consumer.close()

        try #require(received.count == sent.count)
        for (message, record) in zip(sent, received) {
            #expect(record.topic == topic)
            #expect(record.partition == 1)
            #expect(record.key == message.key)
            #expect(record.value == message.value)
            #expect(record.headers == message.headers)
            #expect(record.timestamp != nil)
        }
        #expect(received.map(\.offset) == [0, 1, 2])
    }
}
