import Kafka
import Testing
import TestSupport

@Suite struct ProducerLifecycleTests {
    @Test(.timeLimit(.minutes(1)))
    func closeFlushesOutstandingMessagesIsIdempotentAndRefusesLaterSends() async throws {
        let topic = try await KafkaTestCluster.createTopic("lifecycle")
        var configuration = KafkaProducerConfiguration(kafka: try KafkaTestCluster.configuration())
        configuration.linger = .milliseconds(500)
        let (producer, reports) = try KafkaProducer.makeProducerWithDeliveryReports(configuration: configuration, logger: KafkaTestCluster.logger())
        for index in 0..<10 {
            try producer.sendWithoutWaiting(KafkaProducerMessage(topic: topic, value: Array("\(index)".utf8)))
        }
        async let first: Void = producer.close()
        async let second: Void = producer.close()
        _ = await (first, second)
        await producer.close()

        var delivered = 0
        for await outcome in reports {
            if case .success = outcome.result { delivered += 1 }
        }
        #expect(delivered == 10, "close flushed; the stream ended after the last report")
        #expect(producer.outstandingMessages == 0)
        let error = #expect(throws: KafkaError.self) { try producer.sendWithoutWaiting(KafkaProducerMessage(topic: topic, value: [])) }
        #expect(error?.code == .closed)
        let awaited = await #expect(throws: KafkaError.self) { try await producer.send(KafkaProducerMessage(topic: topic, value: [])) }
        #expect(awaited?.code == .closed)
    }

    @Test(.timeLimit(.minutes(1)))
    func anAwaitedSendResumesWithinMillisecondsOfTheAcknowledgement() async throws {
        let topic = try await KafkaTestCluster.createTopic("latency")
        var configuration = KafkaProducerConfiguration(kafka: try KafkaTestCluster.configuration())
        configuration.linger = .zero
        let producer = try KafkaProducer(configuration: configuration, logger: KafkaTestCluster.logger())
        _ = try await producer.send(KafkaProducerMessage(topic: topic, value: Array("warm-up".utf8)))
        let clock = ContinuousClock()
        var latencies: [Duration] = []
        for index in 0..<50 {
            let started = clock.now
            _ = try await producer.send(KafkaProducerMessage(topic: topic, value: Array("\(index)".utf8)))
            latencies.append(clock.now - started)
        }
        await producer.close()
        // A 100 ms poll-then-sleep loop would put the median near 50 ms; served at once it is a loopback round trip.
        let median = latencies.sorted()[latencies.count / 2]
        #expect(median < .milliseconds(100), "median \(median)")
    }
}
