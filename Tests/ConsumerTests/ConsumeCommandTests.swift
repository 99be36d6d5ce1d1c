import Avro
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Kafka
import Testing
import TestSupport

/// `avrogate consume`, the built binary, against the test broker and our registry.
@Suite(.timeLimit(.minutes(1))) struct ConsumeCommandTests {
    @Test func aConsumerKilledMidStreamAndRestartedSkipsNoRecord() async throws {
        let registry = try await TestRegistry.shared()
        let topic = try await KafkaTestCluster.createTopic("kill-restart", partitions: 2)
        let schemaID = try await registry.register("user-v1", subject: "\(topic)-value")
        let schema = try ConsumerFixtures.schema("user-v1")
        let total = 30_000
        let producer = try FramedProducer()
        let messages = try (0..<total).map { id in
            KafkaProducerMessage(topic: topic, partition: Int32(id % 2), value: try FramedProducer.frame(#"{"id":\#(id),"name":"user \#(id)"}"#, schema: schema, schemaID: schemaID))
        }
        let upfront = 3000
        try await producer.sendAll(Array(messages[..<upfront]))

        let group = TestEnvironment.uniqueName("kill-restart")
        let base = try ConsumeProcess.consumeArguments(topic: topic, group: group, registry: registry) + ["--commit-interval", "0.2"]
        let first = try ConsumeProcess(base + ["--batch-size", "50"])
        let deadline = ContinuousClock.now + .seconds(25)
        while ConsumeProcess.lines(of: first.stdout).isEmpty, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        // The rest arrives while the first run consumes, paced over about three seconds, so that the kill
        // lands mid-stream however fast the consumer is.
        let feeding = Task {
            for chunk in stride(from: upfront, to: total, by: 500) {
                try await producer.sendAll(Array(messages[chunk ..< min(chunk + 500, total)]))
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        while ConsumeProcess.lines(of: first.stdout).count < 3 * upfront, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        // Killed once the group has committed something: the restart must resume from that commit.
        let admin = try KafkaAdmin(configuration: try KafkaTestCluster.configuration(), logger: KafkaTestCluster.logger())
        var committedBeforeKill = 0
        while committedBeforeKill == 0, ContinuousClock.now < deadline {
            committedBeforeKill = Int((try? await admin.committedOffsets(group: group, topic: topic))?.values.reduce(0, +) ?? 0)
            if committedBeforeKill == 0 { try await Task.sleep(for: .milliseconds(20)) }
        }
        await admin.close()
        first.send(SIGKILL)
        #expect(try await first.exit(within: .seconds(5)) != nil)
        try await feeding.value
        await producer.close()
        #expect(committedBeforeKill > 0, "the first run committed before it was killed")
        let firstRun = ConsumeProcess.lines(of: first.stdout)
        #expect(firstRun.count >= 3 * upfront, "the first run got going: \(first.errors)")
        #expect(firstRun.count < total, "the first run was killed mid-stream")

        // The restart decodes batches of up to 1,000 records in two slices on two tasks.
        let second = try ConsumeProcess(base + ["--decode-tasks", "2", "--idle-timeout", "12"])
        let status = try await second.exit(within: .seconds(35))
        #expect(status == 0, "\(second.errors)")
        let secondRun = ConsumeProcess.lines(of: second.stdout)
        let ids = (firstRun + secondRun).compactMap { line in (try? JSONValue.parse(line))?["id"]?.integerValue }
        #expect(Set(ids) == Set((0..<Int64(total))), "every record in one run or the other")
        #expect(ids.count - total <= firstRun.count - committedBeforeKill, "duplicates bounded by what the first run wrote since its last commit")
        print("kill -9 figures: \(total) records, first run wrote \(firstRun.count) lines and committed at least \(committedBeforeKill) before SIGKILL, second run \(secondRun.count), "
              + "\(Set(ids).count) distinct ids seen, \(ids.count - Set(ids).count) duplicates")
    }

    @Test func sigtermExitsZeroAfterCommittingWhatWasWritten() async throws {
        let registry = try await TestRegistry.shared()
        let topic = try await KafkaTestCluster.createTopic("sigterm")
        let subject = "\(topic)-value"
        _ = try await registry.register("user-v1", subject: subject)
        let v2 = try await registry.register("user-v2", subject: subject)
        let schema = try ConsumerFixtures.schema("user-v2")
        let producer = try FramedProducer()
        try await producer.sendAll(try (0..<50).map { id in
            KafkaProducerMessage(topic: topic, key: Array("k\(id)".utf8), value: try FramedProducer.frame(#"{"id":\#(id),"name":"n","tier":"PRO"}"#, schema: schema, schemaID: v2))
        })
        await producer.close()

        let group = TestEnvironment.uniqueName("sigterm")
        let consumer = try ConsumeProcess(try ConsumeProcess.consumeArguments(topic: topic, group: group, registry: registry)
            + ["--commit-interval", "600", "--reader-subject", subject, "--reader-version", "1", "--envelope"])
        let deadline = ContinuousClock.now + .seconds(30)
        while ConsumeProcess.lines(of: consumer.stdout).count < 50, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        consumer.send(SIGTERM)
        #expect(try await consumer.exit(within: .seconds(15)) == 0, "\(consumer.errors)")

        let lines = ConsumeProcess.lines(of: consumer.stdout)
        #expect(lines.count == 50)
        let first = try JSONValue.parse(try #require(lines.first))
        #expect(first["value"] == (try JSONValue.parse(#"{"id":0,"name":"n"}"#)), "in the v1 reader's shape")
        #expect(first["key"] == .string("k0"))
        #expect(first["schemaId"] == .integer(Int64(v2)))
        let admin = try KafkaAdmin(configuration: try KafkaTestCluster.configuration(), logger: KafkaTestCluster.logger())
        #expect(try await admin.committedOffsets(group: group, topic: topic) == [0: 50], "committed on SIGTERM, not after the 600 s interval")
        await admin.close()
    }

    @Test func metricsListenServesPrometheusCountsAndLagAndHealthWhileConsuming() async throws {
        let registry = try await TestRegistry.shared()
        let topic = try await KafkaTestCluster.createTopic("metrics-listen")
        let schemaID = try await registry.register("user-v1", subject: "\(topic)-value")
        let schema = try ConsumerFixtures.schema("user-v1")
        let producer = try FramedProducer()
        try await producer.sendAll(try (0..<20).map { id in
            KafkaProducerMessage(topic: topic, value: try FramedProducer.frame(#"{"id":\#(id),"name":"n"}"#, schema: schema, schemaID: schemaID))
        } + [KafkaProducerMessage(topic: topic, value: [9, 9, 9])])
        await producer.close()

        let consumer = try ConsumeProcess(try ConsumeProcess.consumeArguments(topic: topic, group: TestEnvironment.uniqueName("metrics-listen"), registry: registry)
            + ["--metrics-listen", "127.0.0.1:0", "--log-level", "notice"])
        defer { consumer.send(SIGKILL) }
        let deadline = ContinuousClock.now + .seconds(30)
        var metricsURL: URL?
        while metricsURL == nil || ConsumeProcess.lines(of: consumer.stdout).count < 20, ContinuousClock.now < deadline {
            if metricsURL == nil, let range = consumer.errors.range(of: #"http://127\.0\.0\.1:[0-9]+/metrics"#, options: .regularExpression) {
                metricsURL = URL(string: String(consumer.errors[range]))
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let url = try #require(metricsURL, "the bound address is logged: \(consumer.errors)")
        #expect(ConsumeProcess.lines(of: consumer.stdout).count == 20)

        var text = ""
        while !text.contains("avrogate_consumer_position{topic=\"\(topic)\",partition=\"0\"} 21\n"), ContinuousClock.now < deadline {
            let (data, response) = try await URLSession.shared.data(from: url)
            #expect((response as? HTTPURLResponse)?.statusCode == 200)
            text = String(decoding: data, as: UTF8.self)
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(text.contains("avrogate_consumer_records_written_total{topic=\"\(topic)\"} 20\n"), "\(text)")
        #expect(text.contains("avrogate_consumer_records_dead_lettered_total{reason=\"wrong-magic-byte\"} 1\n"))
        #expect(text.contains("avrogate_consumer_position{topic=\"\(topic)\",partition=\"0\"} 21\n"))
        #expect(text.contains("avrogate_consumer_lag{topic=\"\(topic)\",partition=\"0\"} "))
        #expect(text.contains("avrogate_consumer_decode_seconds_count 20\n"))

        let (_, health) = try await URLSession.shared.data(from: url.deletingLastPathComponent().appendingPathComponent("health"))
        #expect((health as? HTTPURLResponse)?.statusCode == 200)

        consumer.send(SIGTERM)
        #expect(try await consumer.exit(within: .seconds(15)) == 0, "\(consumer.errors)")
    }
}
