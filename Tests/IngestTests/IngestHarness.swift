import Avro
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Ingest
import Kafka
import Registry
import RegistryServer
import Testing
import TestSupport

/// The registry every ingest test shares: one in-process server over the test broker, on its
/// own state topic. Tests use subjects of their own topics, so they do not see each other.
enum SharedRegistry {
    private static let started = Task<String, any Error> {
        let server = RegistryServer(configuration: RegistryServerConfiguration(
            brokers: try TestEnvironment.brokers(), port: 0, topic: TestEnvironment.uniqueName("ingest-schemas")),
            logger: KafkaTestCluster.logger("avrogate.tests.registry"))
        let port = try await server.start()
        return "http://127.0.0.1:\(port)"
    }

    /// The registry's URL, once it answers.
    static func url() async throws -> String {
        try await started.value
    }

    /// A client for registering the tests' schemas.
    static func client() async throws -> SchemaRegistryClient {
        try SchemaRegistryClient(url: try await url())
    }
}

/// An ingest server in process on a free loopback port, with its own metrics, and an HTTP client for it.
struct IngestHarness {
    let server: IngestServer
    let baseURL: String
    let registry: SchemaRegistryClient

    /// Starts a server against the test broker and the shared registry; `configure` adjusts its configuration.
    static func start(_ configure: (inout IngestConfiguration) -> Void = { _ in }) async throws -> IngestHarness {
        var configuration = IngestConfiguration(brokers: try TestEnvironment.brokers(), registryURLs: [try await SharedRegistry.url()], port: 0)
        configuration.deliveryTimeout = .seconds(15)
        configure(&configuration)
        let server = IngestServer(configuration: configuration, logger: KafkaTestCluster.logger("avrogate.tests.ingest"))
        let port = try await server.start()
        return IngestHarness(server: server, baseURL: "http://127.0.0.1:\(port)", registry: try await SharedRegistry.client())
    }

    /// Runs `body` with a started server, stopping it afterwards.
    static func with<T>(_ configure: (inout IngestConfiguration) -> Void = { _ in }, _ body: (IngestHarness) async throws -> T) async throws -> T {
        let harness = try await start(configure)
        do {
            let result = try await body(harness)
            await harness.server.stop()
            return result
        } catch {
            await harness.server.stop()
            throw error
        }
    }

    /// A fresh topic with `{topic}-value` registered from a fixture under Tests/Fixtures/ingest; returns the topic and the schema id.
    func topicWithSchema(_ fixture: String, partitions: Int32 = 1) async throws -> (topic: String, schemaID: Int) {
        try await Self.topicWithSchema(fixture, partitions: partitions)
    }

    static func topicWithSchema(_ fixture: String, partitions: Int32 = 1) async throws -> (topic: String, schemaID: Int) {
        let topic = try await KafkaTestCluster.createTopic("ingest", partitions: partitions)
        let id = try await SharedRegistry.client().register(subject: "\(topic)-value", schema: try fixtureText(fixture))
        return (topic, id)
    }

    static func fixtureText(_ name: String) throws -> String {
        try String(contentsOf: TestEnvironment.fixture("ingest/\(name)"), encoding: .utf8)
    }

    func post(_ path: String, _ body: String, contentType: String? = "application/json", headers: [String: String] = [:]) async throws -> HTTPResult {
        try await send("POST", path, body: Data(body.utf8), contentType: contentType, headers: headers)
    }

    func get(_ path: String, headers: [String: String] = [:]) async throws -> HTTPResult {
        try await send("GET", path, body: nil, contentType: nil, headers: headers)
    }

    func send(_ method: String, _ path: String, body: Data?, contentType: String?, headers: [String: String]) async throws -> HTTPResult {
        try await HTTPResult.send(method, URL(string: baseURL + path)!, body: body, contentType: contentType, headers: headers)
    }
}

/// An HTTP answer.
struct HTTPResult {
    let status: Int
    let headers: [String: String]
    let body: Data

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as JSON (`null` when it is not JSON).
    var json: JSONValue { (try? JSONValue.parse(text)) ?? .null }

    func header(_ name: String) -> String? {
        headers.first { $0.key.lowercased() == name.lowercased() }?.value
    }

    /// The `error_code` of an error body.
    var errorCode: Int64? { json["error_code"]?.integerValue }

    /// `offsets[i]` as (partition, offset) pairs, where present.
    var offsets: [(partition: Int64, offset: Int64)?] {
        (json["offsets"]?.arrayValue ?? []).map { entry in
            guard let partition = entry["partition"]?.integerValue, let offset = entry["offset"]?.integerValue else { return nil }
            return (partition, offset)
        }
    }

    static func send(_ method: String, _ url: URL, body: Data?, contentType: String?, headers: [String: String] = [:], timeout: TimeInterval = 60) async throws -> HTTPResult {
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = method
        request.httpBody = body
        if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            fields["\(name)"] = "\(value)"
        }
        return HTTPResult(status: http.statusCode, headers: fields, body: data)
    }
}

/// Reads back what was produced.
enum TopicReader {
    /// The records of `topic`, read by a fresh group from the beginning, until `count` came or `timeout` passed.
    static func read(_ topic: String, count: Int, timeout: Duration = .seconds(30)) async throws -> [KafkaConsumerMessage] {
        let consumer = try KafkaConsumer(
            configuration: try KafkaTestCluster.consumerConfiguration(group: TestEnvironment.uniqueName("ingest-reader"), topics: [topic]),
            logger: KafkaTestCluster.logger())
        var received: [KafkaConsumerMessage] = []
        let deadline = ContinuousClock.now + timeout
        while received.count < count && ContinuousClock.now < deadline {
            received += try await consumer.nextBatch(timeout: .milliseconds(300))
        }
        await consumer.close()
        return received
    }

    /// The high watermark of each partition. Tansu's can lag (it may end at the first record of the
    /// last batch), so this waits up to 5 s for `expected`; only "nothing was written" (0) is exact.
    static func highWatermarks(_ topic: String, expecting expected: [Int32: Int64]? = nil) async throws -> [Int32: Int64] {
        let admin = try KafkaAdmin(configuration: try KafkaTestCluster.configuration(), logger: KafkaTestCluster.logger())
        let deadline = ContinuousClock.now + .seconds(5)
        var watermarks = try await admin.highWatermarks(topic: topic)
        while let expected, watermarks != expected, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            watermarks = try await admin.highWatermarks(topic: topic)
        }
        await admin.close()
        return watermarks
    }

    /// A Confluent-framed Avro value decoded with `schema` into natural JSON, with the id in its frame.
    static func decode(_ value: [UInt8]?, schema: String) throws -> (schemaID: UInt32, json: JSONValue) {
        let codec = try AvroCodec(schema: try AvroSchema(parsing: schema))
        let (id, decoded) = try codec.makeDecoder().decodeFramed(value ?? [])
        return (id, try JSONValue.parse(AvroJSONWriter(codec: codec).json(decoded)))
    }
}

/// Expects the partitions of `topic` to hold `expected` records (high watermarks).
func expectWatermarks(_ topic: String, _ expected: [Int32: Int64], sourceLocation: SourceLocation = #_sourceLocation) async throws {
    let watermarks = try await TopicReader.highWatermarks(topic, expecting: expected)
    #expect(watermarks == expected, "high watermarks \(watermarks.sorted { $0.key < $1.key })", sourceLocation: sourceLocation)
}
