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

    /// Held to librdkafka's own produce-and-poll round trip, measured alternately on the same broker, rather
    /// than to a fixed bound: the broker's own latency grows when the whole suite runs in parallel.
    @Test(.timeLimit(.minutes(1)))
    func anAwaitedSendResumesAsSoonAsLibrdkafkaHasTheAcknowledgement() async throws {
        let topic = try await KafkaTestCluster.createTopic("latency")
        var configuration = KafkaProducerConfiguration(kafka: try KafkaTestCluster.configuration())
        configuration.linger = .zero
        let producer = try KafkaProducer(configuration: configuration, logger: KafkaTestCluster.logger())
        let raw = try RawRoundTrip(topic: topic)
        _ = try await producer.send(KafkaProducerMessage(topic: topic, value: Array("warm-up".utf8)))
        try raw.send(Array("warm-up".utf8))
        // On a thread of its own, so that resuming this task does not wait for the suite's other tests.
        let executor = DedicatedThreadExecutor()
        defer { executor.stop() }
        let (ours, baseline) = try await withTaskExecutorPreference(executor) {
            let clock = ContinuousClock()
            var ours: [Duration] = [], baseline: [Duration] = []
            for index in 0..<40 {
                let started = clock.now
                _ = try await producer.send(KafkaProducerMessage(topic: topic, value: Array("\(index)".utf8)))
                let between = clock.now
                try raw.send(Array("raw \(index)".utf8))
                ours.append(between - started)
                baseline.append(clock.now - between)
            }
            return (ours, baseline)
        }
        await producer.close()
        // A 100 ms poll-then-sleep loop would add about 50 ms to the median; served at once, a task hop. Both
        // grow when the suite loads the broker and the machine, hence the bound relative to the baseline.
        let median = ours.sorted()[ours.count / 2], rawMedian = baseline.sorted()[baseline.count / 2]
        #expect(median < rawMedian * 2 + .milliseconds(40), "median \(median), librdkafka's own \(rawMedian)")
    }
}
