import Kafka
import Testing
import TestSupport

@Suite struct KafkaAdminTests {
    @Test(.timeLimit(.minutes(1)))
    func aCreatedCompactedTopicIsListedWithItsPartitionCount() async throws {
        let admin = try KafkaAdmin(configuration: try KafkaTestCluster.configuration(), logger: KafkaTestCluster.logger())
        let name = TestEnvironment.uniqueName("admin-compact")
        let created = try await admin.createTopic(NewTopic(name: name, partitions: 3, configs: ["cleanup.policy": "compact"]))
        #expect(created)
        #expect(try await admin.describeTopic(name).partitionCount == 3)
        #expect(try await admin.listTopics().contains { $0.name == name })
        await admin.close()
    }

    @Test(.timeLimit(.minutes(1)))
    func creatingAnExistingTopicIsReportedDistinctlyOrToleratedOnRequest() async throws {
        let admin = try KafkaAdmin(configuration: try KafkaTestCluster.configuration(), logger: KafkaTestCluster.logger())
        let topic = NewTopic(name: TestEnvironment.uniqueName("admin-exists"), partitions: 1)
        try await admin.createTopic(topic)
        let error = await #expect(throws: KafkaError.self) { try await admin.createTopic(topic) }
        #expect(error?.code == .topicAlreadyExists)
        #expect(try await admin.createTopic(topic, ifNotExists: true) == false)
        await admin.close()
    }

    @Test(.timeLimit(.minutes(1)))
    func describingAMissingTopicFailsWithUnknownTopic() async throws {
        let admin = try KafkaAdmin(configuration: try KafkaTestCluster.configuration(), logger: KafkaTestCluster.logger())
        let error = await #expect(throws: KafkaError.self) { try await admin.describeTopic(TestEnvironment.uniqueName("admin-missing")) }
        #expect(error?.code == .unknownTopic)
        await admin.close()
    }

    @Test(.timeLimit(.minutes(1)))
    func theProbeListsTheBrokerAndWatermarksFollowProducedRecords() async throws {
        let admin = try KafkaAdmin(configuration: try KafkaTestCluster.configuration(), logger: KafkaTestCluster.logger())
        let cluster = try await admin.probe(timeout: .seconds(5))
        let address = try TestEnvironment.brokers()
        #expect(cluster.brokers.contains { "\($0.host):\($0.port)" == address })

        let topic = try await KafkaTestCluster.createTopic("admin-watermarks", partitions: 2)
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(kafka: try KafkaTestCluster.configuration()), logger: KafkaTestCluster.logger())
        for index in 0..<3 {
            _ = try await producer.send(KafkaProducerMessage(topic: topic, partition: 1, value: Array("\(index)".utf8)))
        }
        await producer.close()
        // Tansu's high watermark may lag the acknowledged offsets briefly.
        var watermarks: [Int32: Int64] = [:]
        let deadline = ContinuousClock.now + .seconds(10)
        repeat {
            watermarks = try await admin.highWatermarks(topic: topic)
            if watermarks[1] == 3 { break }
            try await Task.sleep(for: .milliseconds(200))
        } while ContinuousClock.now < deadline
        #expect(watermarks == [0: 0, 1: 3])
        #expect(try await admin.committedOffsets(group: TestEnvironment.uniqueName("admin-no-commits"), topic: topic).isEmpty)
        await admin.close()
    }
}
