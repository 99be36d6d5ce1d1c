import Kafka
import Synchronization
import Testing
import TestSupport

/// ``KafkaProducer/sendWithoutWaiting(_:onComplete:)``: every message of a group gets exactly one outcome, in
/// its slot, whether the broker acknowledged it, failed it, or librdkafka refused it at once.
@Suite struct DeliveryGroupTests {
    @Test(.timeLimit(.minutes(1)))
    func aGroupHoldsEachPositionInSendOrderAndAnImmediateRefusalAsThatMessagesOutcome() async throws {
        let topic = try await KafkaTestCluster.createTopic("group")
        var configuration = KafkaProducerConfiguration(kafka: try KafkaTestCluster.configuration())
        configuration.kafka["message.max.bytes"] = "2000"
        let producer = try KafkaProducer(configuration: configuration, logger: KafkaTestCluster.logger())
        let completions = Atomic<Int>(0)
        let messages = [
            KafkaProducerMessage(topic: topic, value: Array("first".utf8)),
            KafkaProducerMessage(topic: topic, value: Array(repeating: 0x61, count: 5000)),
            KafkaProducerMessage(topic: topic, value: Array("third".utf8)),
        ]
        let group = producer.sendWithoutWaiting(messages) { _ in completions.add(1, ordering: .relaxed) }
        await group.wait()

        #expect(completions.load(ordering: .relaxed) == 1)
        let results = group.results
        #expect(results.count == 3)
        guard case .success(let first) = results[0], case .success(let third) = results[2] else {
            Issue.record("the valid messages were not delivered: \(results)")
            return
        }
        #expect(first.partition == 0)
        #expect(third == DeliveryPosition(partition: 0, offset: first.offset + 1))
        guard case .failure(let error) = results[1] else {
            Issue.record("a message over message.max.bytes was delivered")
            return
        }
        #expect(error.code == .messageTooLarge)
        await producer.close()
    }

    @Test(.timeLimit(.minutes(1)))
    func aGroupSentAfterCloseIsCompleteAtOnceWithEveryMessageClosed() async throws {
        let topic = try await KafkaTestCluster.createTopic("group-closed")
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(kafka: try KafkaTestCluster.configuration()), logger: KafkaTestCluster.logger())
        await producer.close()
        let completions = Atomic<Int>(0)
        let group = producer.sendWithoutWaiting(Array(repeating: KafkaProducerMessage(topic: topic, value: []), count: 2)) { _ in
            completions.add(1, ordering: .relaxed)
        }
        #expect(completions.load(ordering: .relaxed) == 1, "refused on the sender's thread, so complete on return")
        await group.wait()
        for result in group.results {
            guard case .failure(let error) = result else {
                Issue.record("a message sent after close() was delivered")
                continue
            }
            #expect(error.code == .closed)
        }
        let empty = producer.sendWithoutWaiting([]) { _ in completions.add(1, ordering: .relaxed) }
        await empty.wait()
        #expect(completions.load(ordering: .relaxed) == 2)
    }

    @Test(.timeLimit(.minutes(1)))
    func everyGroupSentWhileTheProducerClosesIsCompleteOnceCloseReturns() async throws {
        let topic = try await KafkaTestCluster.createTopic("group-closing")
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(kafka: try KafkaTestCluster.configuration()), logger: KafkaTestCluster.logger())
        let messages = Array(repeating: KafkaProducerMessage(topic: topic, value: Array("racing".utf8)), count: 10)
        let closed = ClosedFlag()
        let groups = try await withThrowingTaskGroup(of: [DeliveryGroup].self) { tasks in
            for _ in 0 ..< 4 {
                tasks.addTask {
                    var sent: [DeliveryGroup] = []
                    // Sends before, while and after close(): some groups race it.
                    repeat {
                        sent.append(producer.sendWithoutWaiting(messages))
                        await Task.yield()
                    } while !closed.value.load(ordering: .acquiring)
                    return sent
                }
            }
            try await Task.sleep(for: .milliseconds(50))
            await producer.close()
            closed.value.store(true, ordering: .releasing)
            return try await tasks.reduce(into: []) { $0 += $1 }
        }
        var delivered = 0
        for group in groups {
            await group.wait()
            for result in group.results {
                switch result {
                case .success: delivered += 1
                case .failure(let error): #expect(error.code == .closed || error.code == .delivery, "\(error)")
                }
            }
        }
        #expect(delivered > 0)
    }

    @Test(.timeLimit(.minutes(1)))
    func aFailedDeliveryIsShownToTheFailureHandlerAndLandsInItsSlot() async throws {
        let cluster = try KafkaMockCluster(logger: KafkaTestCluster.logger())
        try cluster.createTopic("orders")
        var configuration = KafkaProducerConfiguration(kafka: KafkaConfiguration(bootstrapServers: cluster.bootstrapServers))
        configuration.messageTimeout = .seconds(2)
        configuration.kafka["retry.backoff.ms"] = "50"
        let failures = Mutex<[KafkaError]>([])
        let producer = try KafkaProducer.makeProducer(configuration: configuration, logger: KafkaTestCluster.logger()) { error in
            failures.withLock { $0.append(error) }
        }
        // Warm up: the producer id and the partition leader are known, the failure is the produce itself.
        _ = try await producer.send(KafkaProducerMessage(topic: "orders", value: Array("ok".utf8)))

        cluster.failProduceRequests(1000, with: .notEnoughReplicas)
        let group = producer.sendWithoutWaiting([KafkaProducerMessage(topic: "orders", value: Array("lost?".utf8))]) { group in
            // The handler saw the failure before the group completed.
            #expect(failures.withLock { $0.count } == 1)
        }
        await group.wait()
        guard case .failure(let error) = group.result(at: 0) else {
            Issue.record("a message the broker kept rejecting was reported delivered")
            return
        }
        #expect(error.code == .delivery)
        #expect(error.message.contains("to orders was not delivered"), "\(error.message)")
        #expect(failures.withLock { $0.map(\.message) } == [error.message])
        await producer.close()
    }
}

/// Set once close() returned; shared by the sending tasks.
private final class ClosedFlag: Sendable {
    let value = Atomic<Bool>(false)
}
