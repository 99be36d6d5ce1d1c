import Kafka
import Testing
import TestSupport

/// Failures must be reported, never silent: against librdkafka's mock cluster, which fails on demand.
@Suite struct DeliveryFailureTests {
    static func producerConfiguration(_ bootstrapServers: String, messageTimeout: Duration) -> KafkaProducerConfiguration {
        var configuration = KafkaProducerConfiguration(kafka: KafkaConfiguration(bootstrapServers: bootstrapServers))
        configuration.messageTimeout = messageTimeout
        configuration.kafka["retry.backoff.ms"] = "50"
        return configuration
    }

    @Test(.timeLimit(.minutes(1)))
    func aProduceRejectedUntilTheMessageTimesOutThrowsADeliveryError() async throws {
        let cluster = try KafkaMockCluster(logger: KafkaTestCluster.logger())
        try cluster.createTopic("orders")
        let producer = try KafkaProducer(configuration: Self.producerConfiguration(cluster.bootstrapServers, messageTimeout: .seconds(2)), logger: KafkaTestCluster.logger())
        // Warm up: the producer id and the partition leader are known, the failure is the produce itself.
        _ = try await producer.send(KafkaProducerMessage(topic: "orders", value: Array("ok".utf8)))

        cluster.failProduceRequests(1000, with: .notEnoughReplicas)
        let started = ContinuousClock.now
        let error = await #expect(throws: KafkaError.self) {
            try await producer.send(KafkaProducerMessage(topic: "orders", value: Array("lost?".utf8)))
        }
        #expect(error?.code == .delivery)
        #expect(error?.librdkafkaName != nil)
        // The 2 s message timeout, not librdkafka's 300 s default; generous for a loaded machine.
        #expect(ContinuousClock.now - started < .seconds(15))
        await producer.close()
    }

    @Test(.timeLimit(.minutes(1)))
    func aNonRetriableRejectionFailsTheSendAtOnce() async throws {
        let cluster = try KafkaMockCluster(logger: KafkaTestCluster.logger())
        try cluster.createTopic("orders")
        var configuration = Self.producerConfiguration(cluster.bootstrapServers, messageTimeout: .seconds(30))
        // With idempotence, a rejected batch would make the producer's sequence fatal; this case is about reporting.
        configuration.idempotence = false
        let producer = try KafkaProducer(configuration: configuration, logger: KafkaTestCluster.logger())
        _ = try await producer.send(KafkaProducerMessage(topic: "orders", value: Array("ok".utf8)))

        cluster.failProduceRequests(1, with: .topicAuthorizationFailed)
        let started = ContinuousClock.now
        let error = await #expect(throws: KafkaError.self) {
            try await producer.send(KafkaProducerMessage(topic: "orders", value: Array("denied".utf8)))
        }
        #expect(error?.code == .delivery)
        #expect(error?.librdkafkaName == "TOPIC_AUTHORIZATION_FAILED")
        #expect(ContinuousClock.now - started < .seconds(5))
        await producer.close()
    }

    @Test(.timeLimit(.minutes(1)))
    func aBrokerGoingDownFailsNonAwaitedMessagesOnTheReportStream() async throws {
        let cluster = try KafkaMockCluster(logger: KafkaTestCluster.logger())
        try cluster.createTopic("orders")
        let (producer, reports) = try KafkaProducer.makeProducerWithDeliveryReports(
            configuration: Self.producerConfiguration(cluster.bootstrapServers, messageTimeout: .seconds(2)), logger: KafkaTestCluster.logger())
        _ = try await producer.send(KafkaProducerMessage(topic: "orders", value: Array("ok".utf8)))

        cluster.setBroker(1, up: false)
        let tickets = try (0..<3).map { _ in try producer.sendWithoutWaiting(KafkaProducerMessage(topic: "orders", value: Array("lost?".utf8))) }
        var outcomes: [DeliveryOutcome] = []
        for await outcome in reports {
            outcomes.append(outcome)
            if outcomes.count == tickets.count { break }
        }
        #expect(outcomes.map(\.ticket) == tickets)
        for outcome in outcomes {
            guard case .failure(let error) = outcome.result else {
                Issue.record("message \(outcome.ticket) reported delivered while the broker was down")
                continue
            }
            #expect(error.code == .delivery)
            #expect(error.librdkafkaName == "_MSG_TIMED_OUT")
        }
        await producer.close()
    }
}
