import Kafka
import Testing
import TestSupport

@Suite struct QueueFullTests {
    @Test(.timeLimit(.minutes(1)))
    func aFullLocalQueueFailsTheNonAwaitingSendWithQueueFull() async throws {
        var configuration = KafkaProducerConfiguration(kafka: KafkaConfiguration(bootstrapServers: "127.0.0.1:1"))
        configuration.queueMaxMessages = 5
        configuration.messageTimeout = .seconds(1)
        let producer = try KafkaProducer(configuration: configuration, logger: KafkaTestCluster.logger())
        let message = KafkaProducerMessage(topic: "anything", value: Array("x".utf8))
        for _ in 0..<5 {
            try producer.sendWithoutWaiting(message)
        }
        let error = #expect(throws: KafkaError.self) { try producer.sendWithoutWaiting(message) }
        #expect(error?.code == .queueFull)
        let awaited = await #expect(throws: KafkaError.self) { try await producer.send(message) }
        #expect(awaited?.code == .queueFull)
        await producer.close(flushTimeout: .milliseconds(100))
    }
}
