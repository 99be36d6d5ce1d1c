import Kafka
import Testing
import TestSupport

@Suite struct ExactlyOnceConsumptionTests {
    static let count = 100_000

    @Test(.timeLimit(.minutes(1)))
    func hundredThousandIdempotentMessagesAreConsumedExactlyOnceByOneGroup() async throws {
        let clock = ContinuousClock()
        let started = clock.now
        let topic = try await KafkaTestCluster.createTopic("exactly-once", partitions: 4)
        var configuration = KafkaProducerConfiguration(kafka: try KafkaTestCluster.configuration())
        #expect(configuration.idempotence && configuration.acks == .all)
        configuration.compression = .lz4
        let (producer, reports) = try KafkaProducer.makeProducerWithDeliveryReports(configuration: configuration, logger: KafkaTestCluster.logger())
        let outcomes = Task {
            var delivered = 0, failed = 0, outOfOrder = 0
            var lastTicket: [Int32: DeliveryTicket] = [:]
            for await outcome in reports {
                guard case .success(let report) = outcome.result else {
                    failed += 1
                    continue
                }
                delivered += 1
                // Within a partition, reports arrive in the order the messages were sent.
                if let last = lastTicket[report.partition], last > report.ticket { outOfOrder += 1 }
                lastTicket[report.partition] = report.ticket
            }
            return (delivered, failed, outOfOrder)
        }

        var expectedSum = 0
        for id in 0..<Self.count {
            let message = KafkaProducerMessage(topic: topic, key: Self.bytes(of: id), value: Self.bytes(of: id) + Self.padding)
            expectedSum &+= id
            try await Self.send(message, through: producer)
        }
        try await producer.flush(timeout: .seconds(30))
        await producer.close()
        let (delivered, failed, outOfOrder) = await outcomes.value
        #expect(delivered == Self.count)
        #expect(failed == 0)
        #expect(outOfOrder == 0)
        let produced = clock.now

        let consumer = try KafkaConsumer(
            configuration: try KafkaTestCluster.consumerConfiguration(group: TestEnvironment.uniqueName("exactly-once"), topics: [topic]),
            logger: KafkaTestCluster.logger())
        var seen = [Bool](repeating: false, count: Self.count)
        var received = 0, duplicates = 0, sum = 0
        let deadline = clock.now + .seconds(40)
        while received < Self.count && clock.now < deadline {
            let batch = try await consumer.nextBatch(maxMessages: 5000, timeout: .milliseconds(500))
            for message in batch {
                let id = Self.id(of: message.value ?? [])
                if seen[id] { duplicates += 1 } else { seen[id] = true }
                received += 1
                sum &+= id
            }
            try consumer.storeOffsets(batch)
        }
        // Anything beyond the 100,000 would be a duplicate: give it a moment to show up.
        received += try await consumer.nextBatch(timeout: .seconds(1)).count
        await consumer.close()

        #expect(received == Self.count)
        #expect(duplicates == 0)
        #expect(sum == expectedSum)
        #expect(seen.allSatisfy { $0 })
        print("[exactly-once] produced in \(produced - started), consumed in \(clock.now - produced)")
    }

    /// Sends without waiting, backing off while the local queue is full.
    static func send(_ message: KafkaProducerMessage, through producer: KafkaProducer) async throws {
        while true {
            do {
                try producer.sendWithoutWaiting(message)
                return
            } catch {
                guard error.code == .queueFull else { throw error }
                try await Task.sleep(for: .milliseconds(5))
            }
        }
    }

    static let padding = [UInt8](repeating: 0x61, count: 92)

    static func bytes(of id: Int) -> [UInt8] {
        withUnsafeBytes(of: UInt64(id).bigEndian, Array.init)
    }

    static func id(of value: [UInt8]) -> Int {
        Int(value.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
    }
}
