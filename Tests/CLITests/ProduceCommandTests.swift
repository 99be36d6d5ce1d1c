import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport

/// `avrogate produce` through the built binary: NDJSON in, Avro out, each bad line reported.
@Suite(.timeLimit(.minutes(2)))
struct ProduceCommandTests {
    static let alice = #"{"id": 1, "name": "Alice", "signedUpAt": "2024-05-17T09:31:27.412Z"}"#
    static let bob = #"{"id": 2, "name": "Bob", "signedUpAt": 0}"#
    static let nameless = #"{"id": 3, "signedUpAt": 0}"#

    /// A registry with `{topic}-value` registered from Tests/Fixtures/ingest/user.avsc, and the topic.
    private func topicWithSchema(_ registry: ServedRegistry) async throws -> String {
        let topic = try await KafkaTestCluster.createTopic("cli-produce")
        let schema = try String(contentsOf: TestEnvironment.fixture("ingest/user.avsc"), encoding: .utf8)
        var request = URLRequest(url: URL(string: "\(registry.url)/subjects/\(topic)-value/versions")!)
        request.httpMethod = "POST"
        request.setValue("application/vnd.schemaregistry.v1+json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: ["schema": schema])
        let (_, response) = try await URLSession.shared.data(for: request)
        try #require((response as? HTTPURLResponse)?.statusCode == 200)
        return topic
    }

    private func file(_ lines: [String]) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName("events") + ".ndjson")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url)
        return url.path
    }

    private func produce(_ topic: String, _ registry: ServedRegistry, file: String, _ extra: [String] = []) throws -> SchemaCommandRun {
        try avrogate(["produce", "--brokers", try TestEnvironment.brokers(), "--registry", registry.url, "--topic", topic, "--file", file] + extra)
    }

    /// The names of the records in `topic`, read back with `avrogate consume`.
    private func names(in topic: String, _ registry: ServedRegistry, expecting count: Int) throws -> [String] {
        let run = try avrogate(["consume", "--brokers", try TestEnvironment.brokers(), "--registry", registry.url, "--topic", topic,
                                "--group", TestEnvironment.uniqueName("cli-produce-check"), "--from-beginning",
                                "--max-messages", String(count), "--idle-timeout", "15", "--log-level", "error",
                                // Tansu holds a join for the whole rebalance timeout: keep it short.
                                "--kafka-property", "max.poll.interval.ms=7000", "--kafka-property", "session.timeout.ms=6000",
                                "--kafka-property", "heartbeat.interval.ms=1000"])
        if run.status != 0 { Issue.record("avrogate consume exited \(run.status): \(run.stderr)") }
        return run.lines.compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["name"] as? String
        }
    }

    @Test func validLinesAreProducedAcknowledgedAndSummarizedWithExitZero() async throws {
        let registry = try await ServedRegistry()
        let topic = try await topicWithSchema(registry)
        let run = try produce(topic, registry, file: try file([Self.alice, "", Self.bob]))
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("2 of 2 records produced"), "\(run.stderr)")
        #expect(try names(in: topic, registry, expecting: 2) == ["Alice", "Bob"])
    }

    @Test func theFirstInvalidLineStopsProductionAndExitsOneWithItsErrors() async throws {
        let registry = try await ServedRegistry()
        let topic = try await topicWithSchema(registry)
        let run = try produce(topic, registry, file: try file([Self.alice, Self.nameless, Self.bob]))
        #expect(run.status == 1)
        #expect(run.stderr.contains("line 2: $.name: expected string, got nothing"), "\(run.stderr)")
        #expect(run.stderr.contains("1 of 2 records produced"), "\(run.stderr)")
        #expect(run.stderr.contains("stopped at the first invalid line"))
        #expect(try names(in: topic, registry, expecting: 1) == ["Alice"])
    }

    @Test func withPartialInvalidLinesAreReportedAndSkipped() async throws {
        let registry = try await ServedRegistry()
        let topic = try await topicWithSchema(registry)
        let run = try produce(topic, registry, file: try file([Self.alice, Self.nameless, "{not json", Self.bob]), ["--partial"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("line 2: $.name"), "\(run.stderr)")
        #expect(run.stderr.contains("line 3: $: expected valid JSON"), "\(run.stderr)")
        #expect(run.stderr.contains("2 of 4 records produced"), "\(run.stderr)")
        #expect(try names(in: topic, registry, expecting: 2) == ["Alice", "Bob"])
    }

    @Test func anUnknownSubjectExitsThreeWithoutProducing() async throws {
        let registry = try await ServedRegistry()
        let run = try produce(TestEnvironment.uniqueName("cli-no-subject"), registry, file: try file([Self.alice]))
        #expect(run.status == 3)
        #expect(run.stderr.contains("does not exist in the registry"), "\(run.stderr)")
    }
}
