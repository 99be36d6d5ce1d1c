import Kafka
import Synchronization
import Testing
import TestSupport

@Suite struct ConsumerGroupTests {
    @Test(.timeLimit(.minutes(1)), arguments: [KafkaConsumerConfiguration.AssignmentStrategy.range, .cooperativeSticky])
    func twoConsumersInOneGroupSplitTheFourPartitions(strategy: KafkaConsumerConfiguration.AssignmentStrategy) async throws {
        let topic = try await KafkaTestCluster.createTopic("split", partitions: 4)
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(kafka: try KafkaTestCluster.configuration()), logger: KafkaTestCluster.logger())
        let perPartition = 50
        for partition in Int32(0)..<4 {
            for index in 0..<perPartition {
                try producer.sendWithoutWaiting(KafkaProducerMessage(topic: topic, partition: partition, value: Array("\(partition)-\(index)".utf8)))
            }
        }
        try await producer.flush(timeout: .seconds(10))
        await producer.close()

        let group = TestEnvironment.uniqueName("split")
        var configuration = try KafkaTestCluster.consumerConfiguration(group: group, topics: [topic])
        configuration.assignmentStrategy = strategy
        let first = try KafkaConsumer(configuration: configuration, logger: KafkaTestCluster.logger())
        let second = try KafkaConsumer(configuration: configuration, logger: KafkaTestCluster.logger())
        let total = 4 * perPartition

        // Both members poll until every record arrived and both own partitions: the first to join may read
        // everything before the second arrives, then hands partitions over on the rebalance (committing first).
        let records = RecordLog()
        let deadline = ContinuousClock.now + .seconds(40)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            for consumer in [first, second] {
                tasks.addTask {
                    while ContinuousClock.now < deadline {
                        let batch = try await consumer.nextBatch(timeout: .milliseconds(200))
                        try consumer.storeOffsets(batch)
                        records.append(batch.map { String(decoding: $0.value ?? [], as: UTF8.self) })
                        // Settled: a cooperative rebalance hands partitions over in two rounds, so both owning
                        // some is not enough; they must own all four between them, each once.
                        let owned = try (first.assignment(), second.assignment())
                        let split = !owned.0.isEmpty && !owned.1.isEmpty && Set(owned.0).isDisjoint(with: owned.1) && owned.0.count + owned.1.count == 4
                        if records.count >= total && split { return }
                    }
                }
            }
            try await tasks.waitForAll()
        }
        let firstAssignment = try first.assignment(), secondAssignment = try second.assignment()
        await first.close()
        await second.close()

        #expect(!firstAssignment.isEmpty)
        #expect(!secondAssignment.isEmpty)
        #expect(Set(firstAssignment).isDisjoint(with: secondAssignment))
        #expect(Set(firstAssignment + secondAssignment) == Set((0..<4).map { TopicPartition(topic: topic, partition: $0) }))
        let all = records.all
        #expect(all.count == total, "no record twice")
        #expect(Set(all).count == total, "every record once")
    }

    @Test(.timeLimit(.minutes(1)))
    func committedOffsetsSurviveAConsumerRestart() async throws {
        let topic = try await KafkaTestCluster.createTopic("restart", partitions: 1)
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(kafka: try KafkaTestCluster.configuration()), logger: KafkaTestCluster.logger())
        for index in 0..<100 {
            try producer.sendWithoutWaiting(KafkaProducerMessage(topic: topic, value: Array("\(index)".utf8)))
        }
        try await producer.flush(timeout: .seconds(10))
        await producer.close()

        let group = TestEnvironment.uniqueName("restart")
        let configuration = try KafkaTestCluster.consumerConfiguration(group: group, topics: [topic])
        // First run: process (store) records 0…39, read some more without storing them, close.
        let first = try KafkaConsumer(configuration: configuration, logger: KafkaTestCluster.logger())
        var firstRun: [Int64] = []
        let deadline = ContinuousClock.now + .seconds(30)
        while firstRun.count < 60 && ContinuousClock.now < deadline {
            for message in try await first.nextBatch(maxMessages: 60 - firstRun.count, timeout: .milliseconds(500)) {
                firstRun.append(message.offset)
                if message.offset < 40 { try first.storeOffset(message) }
            }
        }
        await first.close()
        #expect(firstRun == Array(0..<60))

        let admin = try KafkaAdmin(configuration: try KafkaTestCluster.configuration(), logger: KafkaTestCluster.logger())
        #expect(try await admin.committedOffsets(group: group, topic: topic) == [0: 40])
        await admin.close()

        // Second run, same group: resumes right after the last processed record, no gap; the duplicates are
        // exactly the read-but-not-processed window.
        let second = try KafkaConsumer(configuration: configuration, logger: KafkaTestCluster.logger())
        var secondRun: [Int64] = []
        while secondRun.count < 60 && ContinuousClock.now < deadline + .seconds(10) {
            secondRun += try await second.nextBatch(timeout: .milliseconds(500)).map(\.offset)
        }
        #expect(try await second.committedOffsets(for: [TopicPartition(topic: topic, partition: 0)]) == [TopicPartition(topic: topic, partition: 0): 40])
        await second.close()
        #expect(secondRun == Array(40..<100))
    }

    @Test(.timeLimit(.minutes(1)))
    func pausedPartitionsDeliverNothingUntilResumedAndSeekRereads() async throws {
        let topic = try await KafkaTestCluster.createTopic("pause-seek", partitions: 1)
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(kafka: try KafkaTestCluster.configuration()), logger: KafkaTestCluster.logger())
        for index in 0..<10 {
            _ = try await producer.send(KafkaProducerMessage(topic: topic, value: Array("\(index)".utf8)))
        }
        await producer.close()

        let consumer = try KafkaConsumer(configuration: try KafkaTestCluster.consumerConfiguration(group: TestEnvironment.uniqueName("pause-seek"), topics: [topic]), logger: KafkaTestCluster.logger())
        var events = consumer.events.makeAsyncIterator()
        var offsets: [Int64] = []
        let deadline = ContinuousClock.now + .seconds(30)
        while offsets.count < 5 && ContinuousClock.now < deadline {
            offsets += try await consumer.nextBatch(maxMessages: 5 - offsets.count, timeout: .milliseconds(500)).map(\.offset)
        }
        #expect(offsets == [0, 1, 2, 3, 4])
        let partition = TopicPartition(topic: topic, partition: 0)
        #expect(await events.next() == .partitionsAssigned([partition]))

        try consumer.pause([partition])
        #expect(try await consumer.nextBatch(timeout: .seconds(1)).isEmpty)
        try consumer.resume([partition])
        offsets = []
        while offsets.count < 5 && ContinuousClock.now < deadline {
            offsets += try await consumer.nextBatch(timeout: .milliseconds(500)).map(\.offset)
        }
        #expect(offsets == [5, 6, 7, 8, 9])

        try await consumer.seek(topic: topic, partition: 0, offset: 2)
        offsets = []
        while offsets.count < 8 && ContinuousClock.now < deadline {
            offsets += try await consumer.nextBatch(timeout: .milliseconds(500)).map(\.offset)
        }
        #expect(offsets == Array(2..<10))
        await consumer.close()
        await consumer.close()
        #expect(await events.next() == .partitionsRevoked([partition]))
        #expect(throws: KafkaError.self) { try consumer.poll(timeout: .zero) }
    }
}

@Suite struct AssignedConsumerTests {
    @Test(.timeLimit(.minutes(1)))
    func anAssignedConsumerReadsFromItsOffsetsWithoutJoiningAGroup() async throws {
        let topic = try await KafkaTestCluster.createTopic("assigned", partitions: 2)
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(kafka: try KafkaTestCluster.configuration()), logger: KafkaTestCluster.logger())
        for index in 0..<6 {
            _ = try await producer.send(KafkaProducerMessage(topic: topic, partition: Int32(index % 2), value: Array("\(index)".utf8)))
        }
        await producer.close()

        let started = ContinuousClock.now
        let configuration = KafkaConsumerConfiguration(
            assignment: [TopicPartition(topic: topic, partition: 0): KafkaConsumer.offsetBeginning, TopicPartition(topic: topic, partition: 1): 1],
            kafka: try KafkaTestCluster.configuration())
        let consumer = try KafkaConsumer(configuration: configuration, logger: KafkaTestCluster.logger())
        var records: [KafkaConsumerMessage] = []
        while records.count < 5 && ContinuousClock.now - started < .seconds(20) {
            records += try await consumer.nextBatch(timeout: .milliseconds(200))
        }
        #expect(Set(try consumer.assignment()) == [TopicPartition(topic: topic, partition: 0), TopicPartition(topic: topic, partition: 1)])
        await consumer.close()
        #expect(records.filter { $0.partition == 0 }.map(\.offset) == [0, 1, 2])
        #expect(records.filter { $0.partition == 1 }.map(\.offset) == [1, 2])
        // A group member would have seen its partitions assigned (and, on Tansu, waited ~3 s for the join).
        var events: [KafkaConsumerEvent] = []
        for await event in consumer.events { events.append(event) }
        #expect(events.isEmpty)
    }
}

/// Records read by several consumers at once.
final class RecordLog: Sendable {
    private let records = Mutex<[String]>([])

    func append(_ batch: [String]) {
        records.withLock { $0 += batch }
    }

    var count: Int { records.withLock { $0.count } }
    var all: [String] { records.withLock { $0 } }
}
