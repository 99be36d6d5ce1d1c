import Avro
import Foundation
import Ingest
import Registry
import RegistryServer
import Testing
import TestSupport

/// Answers when the gateway cannot do its job: a full producer queue (429), an unreachable
/// registry (503 unless the schema is known), a broker that does not acknowledge in time (503).
@Suite(.timeLimit(.minutes(2)))
struct ProduceFailureTests {
    static let event = #"{"id": 1, "name": "Alice", "signedUpAt": 0}"#

    @Test func aFullProducerQueueIsA429WithRetryAfterAndProducesNothing() async throws {
        let configure: (inout IngestConfiguration) -> Void = { configuration in
            configuration.maxQueuedRecords = 1
            // Records wait 3 s for their batch to fill: the first request holds the only slot meanwhile.
            configuration.kafka["linger.ms"] = "3000"
        }
        try await IngestHarness.with(configure) { harness in
            let (topic, _) = try await harness.topicWithSchema("user.avsc")
            async let first = harness.post("/topics/\(topic)", Self.event)
            try await Task.sleep(for: .milliseconds(500))
            let second = try await harness.post("/topics/\(topic)", Self.event)
            #expect(second.status == 429, "\(second.text)")
            #expect(second.errorCode == 42901)
            #expect(second.header("Retry-After") == "1")
            #expect(try await first.status == 200)
            try await expectWatermarks(topic, [0: 1])
        }
    }

    @Test func anUnreachableRegistryIsA503WhenTheSchemaIsNotCached() async throws {
        let closed = "http://127.0.0.1:\(try FreePort.closed())"
        try await IngestHarness.with({ $0.registry.urls = [closed]; $0.registry.retry.maxRetries = 0 }) { harness in
            let response = try await harness.post("/topics/anything", Self.event)
            #expect(response.status == 503, "\(response.text)")
            #expect(response.errorCode == 50301)
            #expect(response.header("Retry-After") != nil)
        }
    }

    @Test func aSchemaSeenBeforeIsStillUsedWhileTheRegistryIsDown() async throws {
        let registry = RegistryServer(configuration: RegistryServerConfiguration(
            brokers: try TestEnvironment.brokers(), port: 0, topic: TestEnvironment.uniqueName("ingest-outage-schemas")),
            logger: KafkaTestCluster.logger())
        let port = try await registry.start()
        let topic = try await KafkaTestCluster.createTopic("ingest-outage")
        _ = try await SchemaRegistryClient(url: "http://127.0.0.1:\(port)").register(subject: "\(topic)-value", schema: try IngestHarness.fixtureText("user.avsc"))
        let configure: (inout IngestConfiguration) -> Void = { configuration in
            configuration.registry.urls = ["http://127.0.0.1:\(port)"]
            configuration.registry.cache.subjectTTL = .zero
            configuration.registry.retry.maxRetries = 0
        }
        try await IngestHarness.with(configure) { harness in
            #expect(try await harness.post("/topics/\(topic)", Self.event).status == 200)
            await registry.stop()
            let cached = try await harness.post("/topics/\(topic)", Self.event)
            #expect(cached.status == 200, "\(cached.text)")
            let unknown = try await harness.post("/topics/\(topic)-other", Self.event)
            #expect(unknown.status == 503 && unknown.errorCode == 50301, "\(unknown.text)")
        }
    }

    @Test func aRecordTheBrokerDoesNotAcknowledgeInTimeIsA503ForThatRecord() async throws {
        let (topic, _) = try await IngestHarness.topicWithSchema("user.avsc")
        let configure: (inout IngestConfiguration) -> Void = { configuration in
            configuration.kafka.bootstrapServers = "127.0.0.1:\((try? FreePort.closed()) ?? 9)"
            configuration.deliveryTimeout = .seconds(2)
        }
        try await IngestHarness.with(configure) { harness in
            let response = try await harness.post("/topics/\(topic)", "[\(Self.event), \(Self.event)]")
            #expect(response.status == 503, "\(response.text)")
            #expect(response.errorCode == 50302)
            let offsets = response.json["offsets"]?.arrayValue ?? []
            #expect(offsets.count == 2)
            #expect(offsets.allSatisfy { $0["error_code"]?.integerValue == 50302 && $0["offset"] == .null })
        }
    }
}

/// Loopback ports for tests.
enum FreePort {
    /// A port nothing listens on: 1 (tcpmux). A port bound and released here could be taken by a server of a
    /// test running in parallel before it is used; servers in tests listen on ephemeral ports, never on 1.
    static func closed() throws -> Int {
        1
    }

}
