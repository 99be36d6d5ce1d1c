import Kafka
import Testing
import TestSupport

@Suite struct UnreachableBrokerTests {
    @Test(.timeLimit(.minutes(1)))
    func aMetadataProbeOfAnUnreachableBrokerFailsWithinItsTimeout() async throws {
        let admin = try KafkaAdmin(configuration: KafkaConfiguration(bootstrapServers: "127.0.0.1:1"), logger: KafkaTestCluster.logger())
        let started = ContinuousClock.now
        let error = await #expect(throws: KafkaError.self) {
            try await admin.probe(timeout: .seconds(2))
        }
        let elapsed = ContinuousClock.now - started
        #expect(error?.code == .brokerUnavailable)
        #expect(error?.message.contains("127.0.0.1:1") == true, "names the address it could not reach: \(String(describing: error))")
        #expect(elapsed >= .milliseconds(1500) && elapsed < .seconds(10))
        await admin.close()
    }

    @Test(.timeLimit(.minutes(1)))
    func aSendToAnUnreachableBrokerFailsWithinTheMessageTimeout() async throws {
        var configuration = KafkaProducerConfiguration(kafka: KafkaConfiguration(bootstrapServers: "127.0.0.1:1"))
        configuration.messageTimeout = .seconds(2)
        let producer = try KafkaProducer(configuration: configuration, logger: KafkaTestCluster.logger())
        let started = ContinuousClock.now
        let error = await #expect(throws: KafkaError.self) {
            try await producer.send(KafkaProducerMessage(topic: "anything", value: Array("x".utf8)))
        }
        #expect(error?.code == .delivery)
        #expect(error?.message.contains("127.0.0.1:1") == true, "says why: \(String(describing: error))")
        #expect(ContinuousClock.now - started < .seconds(15))
        await producer.close(flushTimeout: .milliseconds(100))
    }
}
