import Avro
import Consumer
import Foundation
import Kafka
import Registry
import RegistryServer
import Synchronization
import Testing
import TestSupport

/// Our registry, served in process over the test broker with a topic of its own.
final class TestRegistry: Sendable {
    let server: RegistryServer
    let port: Int
    let topic: String
    let client: SchemaRegistryClient

    var url: String { "http://127.0.0.1:\(port)" }

    private init(server: RegistryServer, port: Int, topic: String) throws {
        self.server = server
        self.port = port
        self.topic = topic
        self.client = try SchemaRegistryClient(url: "http://127.0.0.1:\(port)")
    }

    /// Starts a registry on `port` (0: a free one) keeping its state in `topic` (default: a fresh one).
    static func start(port: Int = 0, topic: String? = nil) async throws -> TestRegistry {
        let topic = topic ?? TestEnvironment.uniqueName("schemas")
        var configuration = RegistryServerConfiguration(brokers: try TestEnvironment.brokers(), port: port, topic: topic)
        // The registry reads its topic as a group member: Tansu holds a join for the whole rebalance timeout.
        configuration.kafka["session.timeout.ms"] = "6000"
        configuration.kafka["max.poll.interval.ms"] = "7000"
        configuration.kafka["heartbeat.interval.ms"] = "1000"
        let server = RegistryServer(configuration: configuration, logger: KafkaTestCluster.logger("avrogate.tests.registry"))
        return try TestRegistry(server: server, port: try await server.start(), topic: topic)
    }

    /// The registry every test of the process shares (starting one takes seconds); it stops with the process.
    static func shared() async throws -> TestRegistry {
        try await sharedRegistry.value
    }

    private static let sharedRegistry = Task { try await TestRegistry.start() }

    /// Registers a fixture schema under `subject` and returns its id.
    func register(_ fixture: String, subject: String) async throws -> Int {
        try await client.register(subject: subject, schema: try ConsumerFixtures.schemaText(fixture))
    }

    func stop() async {
        await server.stop()
    }
}

/// Schemas of Tests/Fixtures/consumer and schemas/.
enum ConsumerFixtures {
    static func schemaText(_ name: String) throws -> String {
        let url = name.hasPrefix("schemas/")
            ? TestEnvironment.packageRoot.appendingPathComponent(name)
            : TestEnvironment.fixture("consumer/\(name).avsc")
        return try String(contentsOf: url, encoding: .utf8)
    }

    static func schema(_ name: String) throws -> AvroSchema {
        try AvroSchema(parsing: try schemaText(name))
    }
}

/// Produces Confluent wire-format records encoded from JSON, and raw ones, acknowledged one by one.
struct FramedProducer {
    let producer: KafkaProducer

    init() throws {
        producer = try KafkaProducer(configuration: KafkaProducerConfiguration(kafka: try KafkaTestCluster.configuration()), logger: KafkaTestCluster.logger())
    }

    /// The frame of `json` encoded with `schema` under `schemaID`.
    static func frame(_ json: String, schema: AvroSchema, schemaID: Int) throws -> [UInt8] {
        try AvroCodec(schema: schema).makeEncoder().encodeFramed(json: json, schemaID: UInt32(schemaID))
    }

    /// Sends `json` encoded with the fixture schema `schema` as written under `schemaID`.
    func send(_ json: String, schema: AvroSchema, schemaID: Int, topic: String, partition: Int32? = nil, key: String? = nil) async throws {
        try await sendRaw(try Self.frame(json, schema: schema, schemaID: schemaID), topic: topic, partition: partition, key: key.map { Array($0.utf8) })
    }

    /// Sends bytes as they are (`nil`: a tombstone).
    func sendRaw(_ value: [UInt8]?, topic: String, partition: Int32? = nil, key: [UInt8]? = nil, headers: [KafkaHeader] = []) async throws {
        _ = try await producer.send(KafkaProducerMessage(topic: topic, partition: partition, key: key, value: value, headers: headers))
    }

    /// Enqueues many records at once and waits for all of them.
    func sendAll(_ messages: [KafkaProducerMessage]) async throws {
        for message in messages { try producer.sendWithoutWaiting(message) }
        try await producer.flush(timeout: .seconds(30))
    }

    func close() async {
        await producer.close()
    }
}

/// Output lines kept in memory.
final class CollectedOutput: RecordOutput {
    private let bytes = Mutex<[UInt8]>([])

    func write(_ bytes: UnsafeRawBufferPointer) throws(OutputError) {
        self.bytes.withLock { $0.append(contentsOf: bytes) }
    }

    var lines: [String] {
        bytes.withLock { String(decoding: $0, as: UTF8.self) }.split(separator: "\n").map(String.init)
    }

    var values: [JSONValue] {
        get throws { try lines.map { try JSONValue.parse($0) } }
    }
}

/// Runs `consumer` until `done` holds for what it wrote (or `timeout` passes), then stops it and waits
/// for it to commit and leave.
func runUntil(_ consumer: DecodingConsumer, timeout: Duration = .seconds(40), _ done: @escaping @Sendable () throws -> Bool) async throws {
    let running = Task { try await consumer.run() }
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline, try !done() {
        try await Task.sleep(for: .milliseconds(100))
    }
    consumer.stop()
    try await running.value
}

/// A consumer configuration for the test broker (short group timeouts) reading `topics` from the start.
func testConsumerConfiguration(topics: [String], group: String = TestEnvironment.uniqueName("consume"), reader: ReaderSchemaSource = .writerSchema) throws -> DecodingConsumerConfiguration {
    var configuration = DecodingConsumerConfiguration(kafka: try KafkaTestCluster.consumerConfiguration(group: group, topics: topics), readerSchema: reader)
    configuration.commitInterval = .seconds(1)
    return configuration
}

/// Every record of `topic` up to `count`, read by a throwaway group.
func readTopic(_ topic: String, count: Int, timeout: Duration = .seconds(30)) async throws -> [KafkaConsumerMessage] {
    let consumer = try KafkaConsumer(configuration: try KafkaTestCluster.consumerConfiguration(group: TestEnvironment.uniqueName("reader"), topics: [topic]), logger: KafkaTestCluster.logger())
    var records: [KafkaConsumerMessage] = []
    let deadline = ContinuousClock.now + timeout
    while records.count < count && ContinuousClock.now < deadline {
        records += try await consumer.nextBatch(timeout: .milliseconds(200))
    }
    await consumer.close()
    return records
}
