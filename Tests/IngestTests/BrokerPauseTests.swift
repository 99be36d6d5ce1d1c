import Avro
import Foundation
import Ingest
import Kafka
import Testing
import TestSupport

/// A broker that stops answering for 10 s while clients keep posting: afterwards every event that
/// got a 2xx is in the topic exactly once, and every other request got an error answer.
///
/// The broker is a private one (started and stopped here), so pausing it disturbs no other test.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct BrokerPauseTests {
    @Test func eventsAnswered2xxAreStoredExactlyOnceAcrossABrokerPause() async throws {
        let broker = try PrivateBroker.start()
        defer { broker.stop() }
        var configuration = KafkaConfiguration(bootstrapServers: broker.address)
        configuration.clientID = "broker-pause-test"
        let admin = try KafkaAdmin(configuration: configuration, logger: KafkaTestCluster.logger())
        let topic = TestEnvironment.uniqueName("ingest-pause")
        try await admin.createTopic(NewTopic(name: topic, partitions: 1))
        await admin.close()
        _ = try await SharedRegistry.client().register(subject: "\(topic)-value", schema: try IngestHarness.fixtureText("user.avsc"))

        let (outcomes, recovery) = try await IngestHarness.with({ $0.kafka.bootstrapServers = broker.address; $0.deliveryTimeout = .seconds(5) }) { harness in
            var outcomes = try await Self.postWhilePausing(harness, topic: topic, broker: broker)
            // The gateway recovers once the broker is back: a request gets a 200 again without a restart
            // (the producer may have to be replaced: a pause can leave its producer id fenced).
            let resumed = ContinuousClock.now
            var recovery: Duration?
            var id: Int64 = 9_000_000
            while recovery == nil, ContinuousClock.now - resumed < .seconds(30) {
                let response = try await harness.post("/topics/\(topic)", #"{"id": \#(id), "name": "n", "signedUpAt": 0}"#)
                outcomes[id] = response.status
                if response.status == 200 { recovery = ContinuousClock.now - resumed } else { try await Task.sleep(for: .milliseconds(200)) }
                id += 1
            }
            return (outcomes, recovery)
        }
        #expect(recovery != nil, "no request succeeded within 30 s of the broker's return")
        let acknowledged = outcomes.filter { $0.value == 200 }.map(\.key)
        let failed = outcomes.filter { $0.value != 200 }
        #expect(!acknowledged.isEmpty)
        #expect(!failed.isEmpty, "the pause should have made some requests fail")
        #expect(failed.values.allSatisfy { $0 == 503 || $0 == 429 }, "\(Set(failed.values))")

        let stored = try await Self.readAll(topic, broker: broker.address, atLeast: acknowledged.count)
        var copies: [Int64: Int] = [:]
        for id in stored { copies[id, default: 0] += 1 }
        let failedStatuses = Dictionary(grouping: failed.values, by: { $0 }).mapValues(\.count)
        print("broker pause figures: \(outcomes.count) requests, \(acknowledged.count) acknowledged (200), failed by status \(failedStatuses), "
              + "\(stored.count) records in the topic, \(copies.count - acknowledged.count) stored among the failed ones, "
              + "first 200 \(recovery.map { "\($0)" } ?? "never") after the posting window")
        #expect(acknowledged.allSatisfy { copies[$0] == 1 }, "acknowledged but not stored once: \(acknowledged.filter { copies[$0] != 1 })")
        #expect(copies.values.allSatisfy { $0 == 1 }, "stored twice: \(copies.filter { $0.value > 1 }.keys)")
        #expect(Set(copies.keys).isSubset(of: Set(outcomes.keys)))
    }

    /// Four clients post one event each per request for 16 s; the broker is stopped from 3 s to 13 s.
    /// Returns each event id's HTTP status.
    private static func postWhilePausing(_ harness: IngestHarness, topic: String, broker: PrivateBroker) async throws -> [Int64: Int] {
        let start = ContinuousClock.now
        let pauser = Task {
            try await Task.sleep(until: start + .seconds(3))
            broker.signal(SIGSTOP)
            try await Task.sleep(until: start + .seconds(13))
            broker.signal(SIGCONT)
        }
        defer { broker.signal(SIGCONT) }
        let results = try await withThrowingTaskGroup(of: [Int64: Int].self) { group in
            for client in 0 ..< 4 {
                group.addTask {
                    var statuses: [Int64: Int] = [:]
                    var sequence: Int64 = 0
                    while ContinuousClock.now < start + .seconds(16) {
                        let id = Int64(client) * 1_000_000 + sequence
                        sequence += 1
                        let response = try await harness.post("/topics/\(topic)", #"{"id": \#(id), "name": "n", "signedUpAt": 0}"#)
                        statuses[id] = response.status
                    }
                    return statuses
                }
            }
            return try await group.reduce(into: [:]) { $0.merge($1) { first, _ in first } }
        }
        try await pauser.value
        return results
    }

    /// The ids of every record in the topic, read until at least `count` came and none came for 3 s.
    private static func readAll(_ topic: String, broker: String, atLeast count: Int) async throws -> [Int64] {
        var consumerConfiguration = KafkaConsumerConfiguration(groupID: TestEnvironment.uniqueName("pause-reader"), topics: [topic], kafka: KafkaConfiguration(bootstrapServers: broker))
        consumerConfiguration.sessionTimeout = .seconds(6)
        consumerConfiguration.maxPollInterval = .seconds(7)
        consumerConfiguration.kafka["heartbeat.interval.ms"] = "1000"
        let consumer = try KafkaConsumer(configuration: consumerConfiguration, logger: KafkaTestCluster.logger())
        let schema = try IngestHarness.fixtureText("user.avsc")
        var ids: [Int64] = []
        var lastArrival = ContinuousClock.now
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline && (ids.count < count || ContinuousClock.now - lastArrival < .seconds(3)) {
            let batch = try await consumer.nextBatch(timeout: .milliseconds(300))
            if !batch.isEmpty { lastArrival = .now }
            for record in batch {
                if let id = try TopicReader.decode(record.value, schema: schema).json["id"]?.integerValue { ids.append(id) }
            }
        }
        await consumer.close()
        return ids
    }
}

/// A Tansu broker of this test's own, started with scripts/broker.sh.
struct PrivateBroker {
    let state: URL
    let address: String
    let pid: pid_t

    static func start() throws -> PrivateBroker {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName("private-broker"))
        let status = run(["start", state.path])
        let read = { (name: String) in
            (try? String(contentsOf: state.appendingPathComponent(name), encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        }
        guard status == 0, !read("address").isEmpty, let pid = pid_t(read("tansu.pid")) else {
            throw PrivateBrokerError(output: "scripts/broker.sh exited \(status): \(read("tansu.log"))")
        }
        return PrivateBroker(state: state, address: read("address"), pid: pid)
    }

    func signal(_ signal: Int32) {
        kill(pid, signal)
    }

    func stop() {
        signal(SIGCONT)
        _ = Self.run(["stop", state.path])
        try? FileManager.default.removeItem(at: state)
    }

    /// Runs scripts/broker.sh and waits for it with waitpid (Foundation's Process can miss the exit
    /// of a child whose own child lives on).
    private static func run(_ arguments: [String]) -> Int32 {
        let argv = ["/bin/bash", TestEnvironment.packageRoot.appendingPathComponent("scripts/broker.sh").path] + arguments
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { for argument in cArguments { free(argument) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, "/bin/bash", nil, nil, &cArguments, environ) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return (status >> 8) & 0xFF
    }

    struct PrivateBrokerError: Error, CustomStringConvertible {
        let output: String
        var description: String { "the private broker did not start: \(output)" }
    }
}
