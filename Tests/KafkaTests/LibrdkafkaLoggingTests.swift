import Kafka
import Logging
import Synchronization
import Testing
import TestSupport

@Suite struct LibrdkafkaLoggingTests {
    @Test(.timeLimit(.minutes(1)))
    func librdkafkaLogsReachSwiftLogWithoutSecrets() async throws {
        let secret = "hunter2-\(UInt32.random(in: 0 ... .max))"
        let lines = CapturedLines()
        var logger = Logger(label: "capture") { _ in CapturingLogHandler(lines: lines) }
        logger.logLevel = .debug
        let configuration = KafkaProducerConfiguration(kafka: KafkaConfiguration([
            "bootstrap.servers": "127.0.0.1:1",
            "security.protocol": "SASL_PLAINTEXT", "sasl.mechanism": "PLAIN",
            "sasl.username": "alice", "sasl.password": secret,
            // Makes librdkafka dump its whole configuration into the log.
            "debug": "conf,security",
        ]))
        let producer = try KafkaProducer(configuration: configuration, logger: logger)
        await producer.close(flushTimeout: .milliseconds(100))

        let all = lines.all
        #expect(all.contains { $0.contains("sasl.username") || $0.contains("alice") }, "librdkafka's configuration dump was routed to the logger")
        #expect(!all.contains { $0.contains(secret) })
    }
}

/// Log lines captured from several threads.
final class CapturedLines: Sendable {
    private let lines = Mutex<[String]>([])

    func append(_ line: String) {
        lines.withLock { $0.append(line) }
    }

    var all: [String] { lines.withLock { $0 } }
}

/// A LogHandler that keeps every message and its metadata as text.
struct CapturingLogHandler: LogHandler {
    let lines: CapturedLines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lines.append("\(event.message) \(event.metadata ?? [:]) \(metadata)")
    }
}
