import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport

/// `avrogate serve` as a process: configured from flags, the environment or a file; answers;
/// stops cleanly on SIGTERM.
@Suite(.timeLimit(.minutes(2)))
struct ServeCommandTests {
    static let event = #"{"id": 1, "name": "Alice", "signedUpAt": 0}"#

    /// `avrogate serve` started with `arguments` and `environment`, once `/health/live` answers.
    private final class Served {
        let process = Process()
        let url: String

        init(arguments: [String], environment: [String: String], port: Int) async throws {
            url = "http://127.0.0.1:\(port)"
            process.executableURL = try TestEnvironment.binary()
            process.arguments = ["serve"] + arguments
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = ContinuousClock.now + .seconds(30)
            while ContinuousClock.now < deadline {
                guard process.isRunning else { throw ServedRegistryFailure(message: "avrogate serve exited with \(process.terminationStatus)") }
                if let (_, response) = try? await URLSession.shared.data(from: URL(string: url + "/health/live")!),
                   (response as? HTTPURLResponse)?.statusCode == 200 {
                    return
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            terminate()
            throw ServedRegistryFailure(message: "avrogate serve did not answer within 30 s")
        }

        deinit { terminate() }

        /// SIGTERM, then the exit status (SIGKILL and -1 when it has not exited within 15 s).
        @discardableResult
        func terminate() -> Int32 {
            guard process.isRunning else { return process.terminationStatus }
            process.terminate()
            for _ in 0 ..< 150 where process.isRunning { usleep(100_000) }
            guard !process.isRunning else {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                return -1
            }
            process.waitUntilExit()
            return process.terminationStatus
        }

        func post(_ path: String, _ body: String, headers: [String: String] = [:]) async throws -> (Int, String) {
            var request = URLRequest(url: URL(string: url + path)!)
            request.httpMethod = "POST"
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
            let (data, response) = try await URLSession.shared.data(for: request)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
        }
    }

    private func registerUser(_ registry: ServedRegistry, topic: String) async throws {
        let schema = try String(contentsOf: TestEnvironment.fixture("ingest/user.avsc"), encoding: .utf8)
        var request = URLRequest(url: URL(string: "\(registry.url)/subjects/\(topic)-value/versions")!)
        request.httpMethod = "POST"
        request.setValue("application/vnd.schemaregistry.v1+json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: ["schema": schema])
        _ = try await URLSession.shared.data(for: request)
    }

    @Test func aServerStartedWithFlagsAcceptsEventsAndExitsZeroOnSIGTERM() async throws {
        let registry = try await ServedRegistry()
        let topic = try await KafkaTestCluster.createTopic("cli-serve")
        try await registerUser(registry, topic: topic)
        let port = try freePort()
        let served = try await Served(arguments: ["--listen", "127.0.0.1:\(port)", "--brokers", try TestEnvironment.brokers(), "--registry", registry.url], environment: [:], port: port)
        let (status, body) = try await served.post("/topics/\(topic)", "[\(Self.event), \(Self.event)]")
        #expect(status == 200, "\(body)")
        #expect(body.contains(#""offsets":[{"partition":0,"offset":0},{"partition":0,"offset":1}]"#), "\(body)")
        #expect(served.terminate() == 0)
    }

    @Test func withSchemaCacheZeroANewSchemaVersionIsUsedByTheNextRequest() async throws {
        let registry = try await ServedRegistry()
        let topic = try await KafkaTestCluster.createTopic("cli-serve-cache")
        try await registerUser(registry, topic: topic)
        let port = try freePort()
        let served = try await Served(
            arguments: ["--listen", "127.0.0.1:\(port)", "--brokers", try TestEnvironment.brokers(), "--registry", registry.url],
            environment: ["AVROGATE_SCHEMA_CACHE_MS": "0"], port: port)
        #expect(try await served.post("/topics/\(topic)", Self.event).0 == 200)
        // Version 2 adds a field with a default: events that carry it are unknown-field errors under version 1.
        let v1 = try String(contentsOf: TestEnvironment.fixture("ingest/user.avsc"), encoding: .utf8)
        let v2 = v1.replacingOccurrences(of: #"{"name": "tags""#, with: #"{"name": "tier", "type": "string", "default": "FREE"}, {"name": "tags""#)
        #expect(v2 != v1)
        var request = URLRequest(url: URL(string: "\(registry.url)/subjects/\(topic)-value/versions")!)
        request.httpMethod = "POST"
        request.setValue("application/vnd.schemaregistry.v1+json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: ["schema": v2])
        let (registered, _) = try await URLSession.shared.data(for: request)
        #expect(String(decoding: registered, as: UTF8.self).contains("\"id\""), "\(String(decoding: registered, as: UTF8.self))")
        let (status, body) = try await served.post("/topics/\(topic)", #"{"id": 2, "name": "Bo", "signedUpAt": 0, "tier": "PRO"}"#)
        #expect(status == 200, "\(body)")
        #expect(body.contains(#""version":2"#), "\(body)")
        #expect(served.terminate() == 0)
    }

    @Test func settingsComeFromTheEnvironmentAndAConfigFileWithFlagsWinning() async throws {
        let registry = try await ServedRegistry()
        let topic = try await KafkaTestCluster.createTopic("cli-serve")
        try await registerUser(registry, topic: topic)
        let directory = FileManager.default.temporaryDirectory
        let keys = directory.appendingPathComponent(TestEnvironment.uniqueName("keys"))
        try Data("k-allowed \(topic)\n".utf8).write(to: keys)
        let config = directory.appendingPathComponent(TestEnvironment.uniqueName("serve") + ".conf")
        try Data("""
            # avrogate serve settings
            registry = \(registry.url)
            api-keys-file = \(keys.path)
            max-batch-records = 1
            listen = 127.0.0.1:1
            """.utf8).write(to: config)
        let port = try freePort()
        let served = try await Served(
            arguments: ["--config", config.path],
            environment: ["AVROGATE_BROKERS": try TestEnvironment.brokers(), "AVROGATE_LISTEN": "127.0.0.1:\(port)"], port: port)
        #expect(try await served.post("/topics/\(topic)", Self.event).0 == 401)
        #expect(try await served.post("/topics/\(topic)", Self.event, headers: ["Authorization": "Bearer k-allowed"]).0 == 200)
        #expect(try await served.post("/topics/\(topic)", "[\(Self.event), \(Self.event)]", headers: ["Authorization": "Bearer k-allowed"]).0 == 413)
        #expect(served.terminate() == 0)
    }

    @Test func missingBrokersOrAnUnknownConfigSettingExitTwo() throws {
        let missing = try avrogate(["serve", "--registry", "http://127.0.0.1:1"], environment: ["AVROGATE_BROKERS": ""])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no brokers"), "\(missing.stderr)")
        let config = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName("bad") + ".conf")
        try Data("brokerz = x\n".utf8).write(to: config)
        let unknown = try avrogate(["serve", "--config", config.path])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown setting 'brokerz'"), "\(unknown.stderr)")
    }
}
