import Avro
import Consumer
import Foundation
import Kafka
import Testing
import TestSupport

/// Records produced by Confluent's own client (Python confluent-kafka's AvroSerializer, against our registry)
/// decode field for field.
@Suite(.timeLimit(.minutes(1))) struct ConsumerInteropTests {
    @Test func recordsSerializedByConfluentsPythonClientDecodeFieldForField() async throws {
        let registry = try await TestRegistry.shared()
        let topic = try await KafkaTestCluster.createTopic("interop")
        let events = TestEnvironment.fixture("consumer/reference-events.ndjson")
        let expected = try String(contentsOf: events, encoding: .utf8).split(separator: "\n").map { try JSONValue.parse(String($0)) }

        let script = Process()
        script.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        script.arguments = ["python3", TestEnvironment.packageRoot.appendingPathComponent("scripts/interop_consume.py").path,
                            "--brokers", try TestEnvironment.brokers(), "--registry", registry.url, "--topic", topic,
                            "--schema", TestEnvironment.packageRoot.appendingPathComponent("schemas/reference.avsc").path,
                            "--events", events.path]
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName("interop-stderr"))
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        script.standardError = try FileHandle(forWritingTo: errors)
        script.standardOutput = FileHandle.nullDevice
        // Waiting must not block a thread of the concurrency pool: the registry the script talks to runs on it.
        let status = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int32, any Error>) in
            script.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try script.run()
            } catch {
                script.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        let stderr = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: errors)
        try #require(status == 0, "interop_consume.py: \(stderr)")

        let output = CollectedOutput()
        var configuration = try testConsumerConfiguration(topics: [topic])
        configuration.output.envelope = true
        let consumer = DecodingConsumer(configuration: configuration, registry: registry.client, output: output, logger: KafkaTestCluster.logger())
        try await runUntil(consumer) { output.lines.count >= expected.count }

        let envelopes = try output.values
        #expect(envelopes.map { $0["value"] } == expected.map { $0 })
        #expect(envelopes.map { $0["key"] } == expected.indices.map { .string(String($0)) })
        let registered = try await registry.client.latest(subject: "\(topic)-value")
        #expect(envelopes.allSatisfy { $0["schemaId"] == .integer(Int64(registered.id)) })
    }
}
