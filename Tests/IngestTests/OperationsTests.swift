import Avro
import Foundation
import Ingest
import Kafka
import Testing
import TestSupport

/// Health, readiness, metrics, the schema description and the event status endpoint.
@Suite(.timeLimit(.minutes(2)))
struct OperationsTests {
    static let event = #"{"id": 1, "name": "Alice", "signedUpAt": 0}"#

    @Test func livenessAndReadinessAreUpWithABrokerAndARegistry() async throws {
        try await IngestHarness.with { harness in
            let live = try await harness.get("/health/live")
            #expect(live.status == 200)
            let ready = try await harness.get("/health/ready")
            #expect(ready.status == 200, "\(ready.text)")
            #expect(ready.json["checks"]?["broker"]?["status"] == .string("up"))
            #expect(ready.json["checks"]?["registry"]?["status"] == .string("up"))
        }
    }

    @Test func readinessIs503AndNamesTheBrokerWhenTheBrokerIsDown() async throws {
        let port = try FreePort.closed()
        try await IngestHarness.with({ $0.kafka.bootstrapServers = "127.0.0.1:\(port)"; $0.readinessTimeout = .seconds(1) }) { harness in
            let ready = try await harness.get("/health/ready")
            #expect(ready.status == 503, "\(ready.text)")
            #expect(ready.json["checks"]?["broker"]?["status"] == .string("down"))
            #expect(ready.json["checks"]?["registry"]?["status"] == .string("up"))
            #expect(ready.json["message"]?.stringValue?.contains("broker") == true)
            #expect(try await harness.get("/health/live").status == 200)
        }
    }

    @Test func readinessIs503AndNamesTheRegistryWhenTheRegistryIsDown() async throws {
        // Port 1: nothing listens there, and unlike a "free" port no parallel test can take it meanwhile.
        // A refused connection fails at once; the generous timeout is for the broker check on a loaded machine.
        try await IngestHarness.with({ $0.registry.urls = ["http://127.0.0.1:1"]; $0.readinessTimeout = .seconds(10) }) { harness in
            let ready = try await harness.get("/health/ready")
            #expect(ready.status == 503, "\(ready.text)")
            #expect(ready.json["checks"]?["registry"]?["status"] == .string("down"))
            #expect(ready.json["checks"]?["broker"]?["status"] == .string("up"))
            #expect(ready.json["message"]?.stringValue?.contains("registry") == true)
        }
    }

    @Test func metricsCountRequestsRecordsAndAcknowledgementLatency() async throws {
        try await IngestHarness.with { harness in
            let (topic, _) = try await harness.topicWithSchema("user.avsc")
            #expect(try await harness.post("/topics/\(topic)", "[\(Self.event), \(Self.event)]").status == 200)
            #expect(try await harness.post("/topics/\(topic)", "{\"id\": \"x\"}").status == 422)
            let metrics = try await harness.get("/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.header("Content-Type")?.hasPrefix("text/plain") == true)
            let text = metrics.text
            #expect(text.contains(#"avrogate_records_accepted_total{topic="\#(topic)"} 2"#), "\(text)")
            #expect(text.contains(#"avrogate_records_rejected_total{topic="\#(topic)",reason="invalid"} 1"#))
            #expect(text.contains(#"avrogate_http_requests_total{route="/topics/{topic}",method="POST",status="200"} 1"#) || text.contains(#"method="POST",status="200""#))
            // Observed once per request with acknowledged records, not per record.
            #expect(text.contains("avrogate_produce_ack_latency_seconds_count 1"), "\(text)")
            #expect(text.contains("avrogate_producer_queue_depth_records"))
            #expect(text.contains("avrogate_registry_cache_misses_total"))
        }
    }

    @Test func metricsIncludeLibrdkafkasBrokerStatistics() async throws {
        try await IngestHarness.with({ $0.kafka["statistics.interval.ms"] = "100" }) { harness in
            let (topic, _) = try await harness.topicWithSchema("user.avsc")
            #expect(try await harness.post("/topics/\(topic)", Self.event).status == 200)
            var text = ""
            let deadline = ContinuousClock.now + .seconds(30)
            // Round-trip times appear once a statistics window saw a request: keep producing until one did.
            while !text.contains("avrogate_kafka_broker_rtt_p99_seconds"), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(150))
                _ = try await harness.post("/topics/\(topic)", Self.event)
                text = try await harness.get("/metrics").text
            }
            let broker = try TestEnvironment.brokers().components(separatedBy: ",")[0]
            #expect(text.contains("avrogate_kafka_broker_up{broker=\"\(broker)/"), "\(text)")
            #expect(text.contains("avrogate_kafka_broker_rtt_p99_seconds{broker=\"\(broker)/"))
            #expect(text.contains("avrogate_kafka_broker_request_timeouts{broker=\"\(broker)/"))
            #expect(text.contains("avrogate_producer_queue_bytes"))
        }
    }

    @Test func theSchemaEndpointDescribesTheSchemaWithAnExampleThatIsAccepted() async throws {
        try await IngestHarness.with { harness in
            let (topic, id) = try await harness.topicWithSchema("user.avsc")
            let described = try await harness.get("/topics/\(topic)/schema")
            #expect(described.status == 200, "\(described.text)")
            #expect(described.json["subject"] == .string("\(topic)-value"))
            #expect(described.json["schema_id"]?.integerValue == Int64(id))
            #expect(described.json["version"]?.integerValue == 1)
            #expect(described.json["schema"]?["name"] == .string("User"))
            #expect(described.json["json_schema"]?["$defs"]?["com.avrogate.ingest.User"]?["required"] == .array([.string("id"), .string("name"), .string("signedUpAt")]))
            #expect(described.json["key"]?["format"] == .string("string"))
            let example = try #require(described.json["example"])
            let posted = try await harness.post("/topics/\(topic)", example.jsonText)
            #expect(posted.status == 200, "\(posted.text)")
        }
    }

    @Test func theEventStatusSaysAcknowledgedAndWhetherAGroupConsumedPastIt() async throws {
        try await IngestHarness.with { harness in
            let (topic, _) = try await harness.topicWithSchema("user.avsc")
            // Two requests: Tansu's high watermark of a partition can lag behind the last record of a batch.
            #expect(try await harness.post("/topics/\(topic)", Self.event).status == 200)
            #expect(try await harness.post("/topics/\(topic)", Self.event).status == 200)
            let group = TestEnvironment.uniqueName("ingest-status")
            var status = try await harness.get("/topics/\(topic)/partitions/0/offsets/1?group=\(group)")
            let deadline = ContinuousClock.now + .seconds(10)
            while status.json["status"] == .string("pending") && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(200))
                status = try await harness.get("/topics/\(topic)/partitions/0/offsets/1?group=\(group)")
            }
            #expect(status.status == 200, "\(status.text)")
            #expect(status.json["status"] == .string("acknowledged"))
            #expect(status.json["group"]?["consumed"] == .bool(false))
            #expect(status.json["group"]?["committed_offset"] == .null)
            let future = try await harness.get("/topics/\(topic)/partitions/0/offsets/99")
            #expect(future.json["status"] == .string("pending"))

            let consumer = try KafkaConsumer(configuration: try KafkaTestCluster.consumerConfiguration(group: group, topics: [topic]), logger: KafkaTestCluster.logger())
            var read: [KafkaConsumerMessage] = []
            let readDeadline = ContinuousClock.now + .seconds(30)
            while read.count < 2 && ContinuousClock.now < readDeadline {
                read += try await consumer.nextBatch(timeout: .milliseconds(300))
            }
            try consumer.storeOffsets(read)
            try await consumer.commit()
            await consumer.close()

            let consumed = try await harness.get("/topics/\(topic)/partitions/0/offsets/1?group=\(group)")
            #expect(consumed.json["group"]?["consumed"] == .bool(true), "\(consumed.text)")
            #expect(consumed.json["group"]?["committed_offset"]?.integerValue == 2)
            let missing = try await harness.get("/topics/\(topic)/partitions/5/offsets/0")
            #expect(missing.status == 404 && missing.errorCode == 40402)
        }
    }

    @Test func theRequestIDIsTakenFromTheRequestOrMadeUpAndAlwaysReturned() async throws {
        try await IngestHarness.with { harness in
            let given = try await harness.get("/health/live", headers: ["X-Request-Id": "trace-123"])
            #expect(given.header("X-Request-Id") == "trace-123")
            let made = try await harness.post("/topics/whatever", "{}", contentType: "text/csv")
            #expect(made.status == 415)
            #expect((made.header("X-Request-Id")?.count ?? 0) == 16)
            let unknown = try await harness.get("/nowhere")
            #expect(unknown.status == 404)
            #expect(unknown.header("X-Request-Id") != nil)
        }
    }

    @Test func anotherMethodOnAKnownPathIs405WithTheAllowedMethods() async throws {
        try await IngestHarness.with { harness in
            let get = try await harness.get("/topics/signups")
            #expect(get.status == 405 && get.errorCode == 40500, "\(get.text)")
            #expect(get.header("Allow") == "POST")
            let post = try await harness.post("/topics/signups/schema", "{}")
            #expect(post.status == 405 && post.header("Allow") == "GET, HEAD", "\(post.text)")
            let head = try await harness.send("HEAD", "/health/live", body: nil, contentType: nil, headers: [:])
            #expect(head.status == 200)
            let unknown = try await harness.get("/topics")
            #expect(unknown.status == 404 && unknown.errorCode == 40400, "\(unknown.text)")
        }
    }
}

