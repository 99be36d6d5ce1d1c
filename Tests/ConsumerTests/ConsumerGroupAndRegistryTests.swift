import Avro
import Consumer
import Foundation
import Kafka
import Registry
import Synchronization
import Testing
import TestSupport

/// The consumer as a group member, and its behaviour when the registry is away.
@Suite(.timeLimit(.minutes(1))) struct ConsumerGroupAndRegistryTests {
    @Test func stoppingCommitsEveryWrittenRecord() async throws {
        let registry = try await TestRegistry.shared()
        let topic = try await KafkaTestCluster.createTopic("stop-commits", partitions: 2)
        let schemaID = try await registry.register("user-v1", subject: "\(topic)-value")
        let schema = try ConsumerFixtures.schema("user-v1")
        let producer = try FramedProducer()
        for id in 1...10 {
            try await producer.send(#"{"id":\#(id),"name":"n\#(id)"}"#, schema: schema, schemaID: schemaID, topic: topic, partition: Int32(id % 2))
        }
        await producer.close()

        let group = TestEnvironment.uniqueName("stop")
        var configuration = try testConsumerConfiguration(topics: [topic], group: group)
        configuration.commitInterval = .seconds(60)
        let output = CollectedOutput()
        let consumer = DecodingConsumer(configuration: configuration, registry: registry.client, output: output, logger: KafkaTestCluster.logger())
        try await runUntil(consumer) { output.lines.count >= 10 }

        let admin = try KafkaAdmin(configuration: try KafkaTestCluster.configuration(), logger: KafkaTestCluster.logger())
        #expect(try await admin.committedOffsets(group: group, topic: topic) == [0: 5, 1: 5], "committed on stop, long before the commit interval")
        await admin.close()
    }

    @Test func twoConsumersInOneGroupSplitThePartitionsAndTogetherSeeEveryRecordOnce() async throws {
        let registry = try await TestRegistry.shared()
        let topic = try await KafkaTestCluster.createTopic("split", partitions: 4)
        let schemaID = try await registry.register("user-v1", subject: "\(topic)-value")
        let group = TestEnvironment.uniqueName("split")
        let assignments = Assignments()
        var members: [(DecodingConsumer, CollectedOutput)] = []
        for member in 0..<2 {
            var configuration = try testConsumerConfiguration(topics: [topic], group: group)
            configuration.output.envelope = true
            configuration.kafka.rebalanceHandler = { assignments.apply($0, member: member) }
            let output = CollectedOutput()
            members.append((DecodingConsumer(configuration: configuration, registry: registry.client, output: output, logger: KafkaTestCluster.logger()), output))
        }
        let running = members.map { member in Task { try await member.0.run() } }

        // Produce only once both members own partitions, so that neither reads everything alone.
        let deadline = ContinuousClock.now + .seconds(40)
        while !assignments.isSplit(partitions: 4), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        try #require(assignments.isSplit(partitions: 4))
        let schema = try ConsumerFixtures.schema("user-v1")
        let producer = try FramedProducer()
        let total = 200
        try await producer.sendAll(try (0..<total).map { id in
            KafkaProducerMessage(topic: topic, partition: Int32(id % 4), value: try FramedProducer.frame(#"{"id":\#(id),"name":"n"}"#, schema: schema, schemaID: schemaID))
        })
        await producer.close()
        while members.map({ $0.1.lines.count }).reduce(0, +) < total, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        for member in members { member.0.stop() }
        for task in running { try await task.value }

        var partitionsSeen: [Set<Int64>] = []
        var ids: [Int64] = []
        for (_, output) in members {
            let envelopes = try output.values
            partitionsSeen.append(Set(envelopes.compactMap { $0["partition"]?.integerValue }))
            ids += envelopes.compactMap { $0["value"]?["id"]?.integerValue }
        }
        #expect(!partitionsSeen[0].isEmpty && !partitionsSeen[1].isEmpty, "both members read")
        #expect(partitionsSeen[0].isDisjoint(with: partitionsSeen[1]), "no partition read by both")
        #expect(ids.count == total, "no record twice")
        #expect(Set(ids) == Set((0..<Int64(total))), "every record once")
    }

    @Test func anUnavailableRegistryMakesRecordsWaitInsteadOfGoingToTheDeadLetterTopic() async throws {
        let first = try await TestRegistry.start()
        let topic = try await KafkaTestCluster.createTopic("registry-down")
        let schemaID = try await first.register("user-v1", subject: "\(topic)-value")
        let producer = try FramedProducer()
        for id in 1...3 {
            try await producer.send(#"{"id":\#(id),"name":"n"}"#, schema: try ConsumerFixtures.schema("user-v1"), schemaID: schemaID, topic: topic)
        }
        await producer.close()
        await first.stop()

        // A client of its own: the one that registered the schema has it cached.
        let client = try SchemaRegistryClient(configuration: SchemaRegistryClientConfiguration(
            urls: [first.url], retry: .init(maxRetries: 0)))
        var configuration = try testConsumerConfiguration(topics: [topic])
        configuration.maxRegistryBackoff = .milliseconds(500)
        let output = CollectedOutput()
        let consumer = DecodingConsumer(configuration: configuration, registry: client, output: output, logger: KafkaTestCluster.logger())
        let running = Task { try await consumer.run() }
        let deadline = ContinuousClock.now + .seconds(30)
        while consumer.metrics.snapshot.registryRetries < 3, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(consumer.metrics.snapshot.registryRetries >= 3)
        #expect(output.lines.isEmpty)
        #expect(consumer.metrics.snapshot.deadLettered.isEmpty)

        let second = try await TestRegistry.start(port: first.port, topic: first.topic)
        while output.lines.count < 3, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        consumer.stop()
        try await running.value
        await second.stop()
        #expect(output.lines == (1...3).map { #"{"id":\#($0),"name":"n"}"# })
        #expect(consumer.metrics.snapshot.deadLettered.isEmpty)
    }
}

/// Each group member's current partitions, as its rebalance handler reports them.
final class Assignments: Sendable {
    private let owned = Mutex<[Int: Set<TopicPartition>]>([:])

    func apply(_ event: KafkaConsumerEvent, member: Int) {
        owned.withLock { owned in
            switch event {
            case .partitionsAssigned(let partitions): owned[member, default: []].formUnion(partitions)
            case .partitionsRevoked(let partitions), .partitionsLost(let partitions): owned[member, default: []].subtract(partitions)
            case .error: break
            }
        }
    }

    /// Both members own partitions, and together all `partitions` of the topic.
    func isSplit(partitions: Int) -> Bool {
        owned.withLock { owned in
            let sets = owned.values.filter { !$0.isEmpty }
            return sets.count == 2 && sets.reduce(0) { $0 + $1.count } == partitions
        }
    }
}
