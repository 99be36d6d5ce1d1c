import Foundation
import Ingest
import Testing
import TestSupport

/// Records produced through the API decode field for field with Confluent's own Python client
/// (confluent-kafka's AvroDeserializer, writer schema from our registry by the id in the frame).
@Suite(.timeLimit(.minutes(1)))
struct IngestInteropTests {
    @Test func recordsProducedThroughTheAPIDecodeFieldForFieldWithConfluentsPythonClient() async throws {
        let events = TestEnvironment.fixture("ingest/reference-events.ndjson")
        let lines = try String(contentsOf: events, encoding: .utf8).split(separator: "\n").map(String.init)
        let schema = TestEnvironment.packageRoot.appendingPathComponent("schemas/reference.avsc")
        try await IngestHarness.with { harness in
            let topic = try await KafkaTestCluster.createTopic("ingest-interop")
            _ = try await harness.registry.register(subject: "\(topic)-value", schema: try String(contentsOf: schema, encoding: .utf8))
            let single = try await harness.post("/topics/\(topic)", lines[0])
            #expect(single.status == 200, "\(single.text)")
            let rest = try await harness.post("/topics/\(topic)", lines.dropFirst().joined(separator: "\n"), contentType: "application/x-ndjson")
            #expect(rest.status == 200, "\(rest.text)")

            let (status, output) = try await Self.python([
                TestEnvironment.packageRoot.appendingPathComponent("scripts/interop_ingest.py").path,
                "--brokers", try TestEnvironment.brokers(), "--registry", try await SharedRegistry.url(), "--topic", topic,
                "--schema", schema.path, "--events", events.path,
            ])
            #expect(status == 0, "interop_ingest.py: \(output)")
            #expect(output.contains("\(lines.count) records match"), "\(output)")
        }
    }

    /// Runs python3 with `arguments`; its exit status and its output (both streams). Waiting does
    /// not block a thread of the concurrency pool: the registry the script talks to runs on it.
    private static func python(_ arguments: [String]) async throws -> (Int32, String) {
        let script = Process()
        script.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        script.arguments = ["python3"] + arguments
        let output = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName("interop-ingest"))
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        script.standardOutput = handle
        script.standardError = handle
        let status = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int32, any Error>) in
            script.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try script.run()
            } catch {
                script.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        try? handle.close()
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: output)
        return (status, text)
    }
}
