import ArgumentParser
import Avro
import CRdKafka
import Foundation
import Kafka
import Logging
import Registry

/// `avrogate-bench consume --brokers HOST:PORT`: fills a topic with framed reference records, then reads it
/// with `avrogate consume` (the built binary next to this one: unframe, schema by id, decode, JSON to
/// /dev/null, offsets stored per batch) and with librdkafka's C API and no decoding, and compares the rates,
/// each measured from the first record to the last.
struct ConsumeBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consume",
        abstract: "Decoding consumer throughput: `avrogate consume` vs. a raw librdkafka consumer on the same topic. Run from the package root.")

    @Option(help: "The Kafka bootstrap servers.")
    var brokers: String

    @Option(help: "Records in the topic.")
    var count = 1_000_000

    @Option(help: "Partitions of the topic.")
    var partitions: Int32 = 1

    @Option(help: "A running registry's URL; default: start `avrogate registry serve` for the run.")
    var registry: String?

    @Option(help: "The avrogate binary; default: the one next to avrogate-bench.")
    var binary: String?

    @Option(help: "The schema of every record.")
    var schema = "schemas/reference.avsc"

    @Option(help: "The event encoded into every record.")
    var example = "schemas/reference.example.json"

    @Option(help: "Runs per consumer, in ABBA order; medians are compared (one pair of runs on a shared machine varies by ±15 %).")
    var rounds = 3

    @Option(help: "Read this topic, filled by an earlier run (its records, schema and registry), instead of filling a new one.")
    var topic: String?

    @Option(help: "Measure only one side: raw or ours.")
    var only: String?

    @Option(name: .customLong("kafka-property"), help: "Extra librdkafka property key=value for both consumers and the registry (repeatable); wins over the short group timeouts set by default.")
    var kafkaProperties: [String] = []

    /// Group timeouts short enough that a join costs seconds, not the minute Tansu holds one for with
    /// librdkafka's defaults (it waits out the rebalance timeout); harmless against Kafka.
    static let groupTimeouts = ["session.timeout.ms=6000", "max.poll.interval.ms=7000", "heartbeat.interval.ms=1000"]

    /// ``groupTimeouts`` the user did not set, then the user's properties.
    private var consumerProperties: [String] {
        let given = Set(kafkaProperties.map { $0.split(separator: "=", maxSplits: 1).first.map(String.init) ?? $0 })
        return Self.groupTimeouts.filter { !given.contains(String($0.split(separator: "=")[0])) } + kafkaProperties
    }

    func run() async throws {
        var logger = Logger(label: "avrogate-bench")
        logger.logLevel = .warning
        // The properties are consumer tuning (Tansu needs short group timeouts): the producer and admin go without.
        let kafka = KafkaConfiguration(bootstrapServers: brokers)
        let binary = URL(fileURLWithPath: self.binary ?? Bundle.main.executableURL!.deletingLastPathComponent().appendingPathComponent("avrogate").path)
        print("avrogate-bench consume: librdkafka \(LibraryVersion.loadedString), brokers \(brokers), \(count) records, partitions \(partitions)")

        let servedRegistry: Process?
        let registryURL: String
        if let registry {
            registryURL = registry
            servedRegistry = nil
        } else {
            let port = try ConsumeBenchmarkSupport.freePort()
            registryURL = "http://127.0.0.1:\(port)"
            servedRegistry = try ConsumeBenchmarkSupport.launch(binary, ["registry", "serve", "--listen", "127.0.0.1:\(port)", "--brokers", brokers,
                                                                         "--topic", "bench-schemas-\(UInt32.random(in: 0 ... .max))"] + propertyArguments)
        }
        let client = try SchemaRegistryClient(url: registryURL)
        let topic = self.topic ?? "bench-consume-\(UInt32.random(in: 0 ... .max))"
        if self.topic == nil {
            let schemaText = try String(contentsOfFile: schema, encoding: .utf8)
            let schemaID = try await ConsumeBenchmarkSupport.register(schemaText, subject: "\(topic)-value", client: client)
            let frame = try AvroCodec(schema: try AvroSchema(parsing: schemaText)).makeEncoder()
                .encodeFramed(json: try String(contentsOfFile: example, encoding: .utf8), schemaID: UInt32(schemaID))
            print("  record: \(frame.count) B framed, schema id \(schemaID), registry \(registryURL), topic \(topic)")

            let admin = try KafkaAdmin(configuration: kafka, logger: logger)
            try await admin.createTopic(NewTopic(name: topic, partitions: partitions))
            await admin.close()
            let fillStart = ContinuousClock.now
            try await fill(topic: topic, frame: frame, kafka: kafka, logger: logger)
            print("  filled in \(ContinuousClock.now - fillStart)")
        }

        // CPU seconds per million records, whole run (start and group join included): what each side costs,
        // which other load on the machine distorts far less than the rates.
        var raw: [Double] = [], ours: [Double] = [], rawCPU: [Double] = [], ourCPU: [Double] = []
        let perMillion = 1_000_000 / Double(count)
        for round in 0..<rounds {
            for rawFirst in round.isMultiple(of: 2) ? [true, false] : [false, true] where only == nil || only == (rawFirst ? "raw" : "ours") {
                if rawFirst {
                    let cpuBefore = ProcessCPUTime.ownSeconds
                    raw.append(try await rawRate(topic: topic, kafka: kafka))
                    rawCPU.append((ProcessCPUTime.ownSeconds - cpuBefore) * perMillion)
                    print(String(format: "  raw librdkafka     %10.0f records/s, %.2f CPU-s per 1M records", raw.last!, rawCPU.last!))
                } else {
                    let cpuBefore = ProcessCPUTime.exitedChildrenSeconds
                    ours.append(try await ourRate(topic: topic, registry: registryURL, binary: binary))
                    ourCPU.append((ProcessCPUTime.exitedChildrenSeconds - cpuBefore) * perMillion)
                    print(String(format: "  avrogate consume   %10.0f records/s, %.2f CPU-s per 1M records", ours.last!, ourCPU.last!))
                }
            }
        }
        if only == nil {
            let medianRaw = ConsumeBenchmarkSupport.median(raw), medianOurs = ConsumeBenchmarkSupport.median(ours)
            print(String(format: "  ratio avrogate consume / raw: %.1f %% (target ≥ 80 %%)", 100 * medianOurs / medianRaw))
            print(String(format: "  CPU per 1M records (medians): avrogate consume %.2f s, raw librdkafka %.2f s",
                         ConsumeBenchmarkSupport.median(ourCPU), ConsumeBenchmarkSupport.median(rawCPU)))
        }
        servedRegistry?.terminate()
    }

    private var propertyArguments: [String] { consumerProperties.flatMap { ["--kafka-property", $0] } }

    private func fill(topic: String, frame: [UInt8], kafka: KafkaConfiguration, logger: Logger) async throws {
        var configuration = KafkaProducerConfiguration(kafka: kafka)
        configuration.linger = .milliseconds(20)
        let producer = try KafkaProducer(configuration: configuration, logger: logger)
        let message = KafkaProducerMessage(topic: topic, value: frame)
        var sent = 0
        while sent < count {
            if try ConsumeBenchmarkSupport.enqueue(message, on: producer) {
                sent += 1
            } else {
                try await Task.sleep(for: .milliseconds(1))
            }
        }
        try await producer.flush(timeout: .seconds(600))
        await producer.close()
    }

    /// `avrogate consume` to /dev/null for `count` records: the rate it reports from its first record to its last.
    private func ourRate(topic: String, registry: String, binary: URL) async throws -> Double {
        let arguments = ["consume", "--brokers", brokers, "--registry", registry, "--topic", topic,
                         "--group", "bench-ours-\(UInt32.random(in: 0 ... .max))", "--from-beginning",
                         "--max-messages", String(count), "--output", "/dev/null", "--log-level", "info"] + propertyArguments
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("bench-consume-\(UInt32.random(in: 0 ... .max)).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = try ConsumeBenchmarkSupport.launch(binary, arguments, stderr: try FileHandle(forWritingTo: log))
        while process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: log)
        let summary = text.split(separator: "\n").last { $0.hasSuffix("records/s") }
        guard process.terminationStatus == 0, let summary, let rate = summary.split(separator: " ").dropLast().last.flatMap({ Double($0) }) else {
            throw ConsumeBenchmarkFailure("avrogate consume exited with \(process.terminationStatus) and no rate: \(text.suffix(2000))")
        }
        return rate
    }

    /// librdkafka's batch consume API on a fresh group, no decoding: records per second from the first record to the last.
    private func rawRate(topic: String, kafka: KafkaConfiguration) async throws -> Double {
        var consumerKafka = kafka
        try consumerKafka.apply(propertyArguments: consumerProperties)
        var properties = consumerKafka.properties
        properties["group.id"] = "bench-raw-\(UInt32.random(in: 0 ... .max))"
        properties["auto.offset.reset"] = "earliest"
        properties["enable.auto.commit"] = "false"
        let consumer = try RawKafkaConsumer(properties: properties, topic: topic)
        let count = count
        return try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try consumer.consume(count: count) }) }.start()
        }
    }
}

/// Process, port and registry helpers of ``ConsumeBenchmark``.
enum ConsumeBenchmarkSupport {
    static func launch(_ binary: URL, _ arguments: [String], stderr: FileHandle = FileHandle.nullDevice) throws -> Process {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = stderr
        try process.run()
        return process
    }

    /// Hands `message` to `producer`; `false` when its queue is full.
    static func enqueue(_ message: KafkaProducerMessage, on producer: KafkaProducer) throws(KafkaError) -> Bool {
        do {
            try producer.sendWithoutWaiting(message)
            return true
        } catch where error.code == .queueFull {
            return false
        }
    }

    /// Registers `schema`, retrying for up to 60 s while the registry is still starting.
    static func register(_ schema: String, subject: String, client: SchemaRegistryClient) async throws -> Int {
        let deadline = ContinuousClock.now + .seconds(60)
        var lastError: SchemaRegistryError?
        while ContinuousClock.now < deadline {
            do {
                return try await client.register(subject: subject, schema: schema)
            } catch {
                lastError = error
                try await Task.sleep(for: .milliseconds(250))
            }
        }
        throw ConsumeBenchmarkFailure("cannot register the schema: \(lastError.map(String.init(describing:)) ?? "timeout")")
    }

    /// A loopback port nobody listens on right now.
    static func freePort() throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        let address = UnsafeMutablePointer<sockaddr_in>.allocate(capacity: 1)
        defer { address.deallocate() }
        address.initialize(to: sockaddr_in())
        address.pointee.sin_family = sa_family_t(AF_INET)
        address.pointee.sin_addr.s_addr = inet_addr("127.0.0.1")
        let generic = UnsafeMutableRawPointer(address).assumingMemoryBound(to: sockaddr.self)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        guard bind(socket, generic, length) == 0, getsockname(socket, generic, &length) == 0 else {
            throw ConsumeBenchmarkFailure("no free port")
        }
        return Int(UInt16(bigEndian: address.pointee.sin_port))
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count.isMultiple(of: 2) ? (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2 : sorted[sorted.count / 2]
    }
}

/// The baseline: a group consumer over librdkafka's C API reading batches of 1,000 and dropping them.
///
/// `@unchecked Sendable`: made on one thread, then used by the one thread running ``consume(count:)``;
/// the handle and queue are freed only in `deinit`.
final class RawKafkaConsumer: @unchecked Sendable {
    private let handle: OpaquePointer
    private let queue: OpaquePointer

    init(properties: [String: String], topic: String) throws {
        let conf = rd_kafka_conf_new()
        var errorText = [CChar](repeating: 0, count: 512)
        for (key, value) in properties where rd_kafka_conf_set(conf, key, value, &errorText, errorText.count) != RD_KAFKA_CONF_OK {
            rd_kafka_conf_destroy(conf)
            throw ConsumeBenchmarkFailure("raw consumer: \(key)=\(value) rejected")
        }
        guard let handle = rd_kafka_new(RD_KAFKA_CONSUMER, conf, &errorText, errorText.count) else {
            rd_kafka_conf_destroy(conf)
            throw ConsumeBenchmarkFailure("raw consumer: rd_kafka_new failed")
        }
        rd_kafka_poll_set_consumer(handle)
        let topics = rd_kafka_topic_partition_list_new(1)
        rd_kafka_topic_partition_list_add(topics, topic, RD_KAFKA_PARTITION_UA)
        let subscribed = rd_kafka_subscribe(handle, topics)
        rd_kafka_topic_partition_list_destroy(topics)
        guard subscribed == RD_KAFKA_RESP_ERR_NO_ERROR, let queue = rd_kafka_queue_get_consumer(handle) else {
            rd_kafka_destroy(handle)
            throw ConsumeBenchmarkFailure("raw consumer: subscribing to \(topic) failed")
        }
        self.handle = handle
        self.queue = queue
    }

    deinit {
        rd_kafka_queue_destroy(queue)
        rd_kafka_consumer_close(handle)
        rd_kafka_destroy(handle)
    }

    /// Reads until `count` records arrived; records per second from the first to the last.
    func consume(count: Int) throws -> Double {
        var messages = [UnsafeMutablePointer<rd_kafka_message_t>?](repeating: nil, count: 1000)
        var received = 0
        var first: ContinuousClock.Instant?
        let deadline = ContinuousClock.now + .seconds(600)
        while received < count {
            guard ContinuousClock.now < deadline else { throw ConsumeBenchmarkFailure("raw consumer: \(received) of \(count) records after 600 s") }
            let got = rd_kafka_consume_batch_queue(queue, 100, &messages, messages.count)
            for index in 0..<max(got, 0) {
                guard let message = messages[index] else { continue }
                if message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR {
                    if first == nil { first = .now }
                    received += 1
                }
                rd_kafka_message_destroy(message)
            }
        }
        guard let start = first else { return 0 }
        let elapsed = ContinuousClock.now - start
        return Double(received) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }
}

struct ConsumeBenchmarkFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
