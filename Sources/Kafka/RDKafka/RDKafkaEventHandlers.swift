import CRdKafka
import Logging
import Synchronization

/// The Swift side of one client's librdkafka callbacks. librdkafka holds it as the configuration opaque
/// (unretained); the owning ``RDKafkaClient`` keeps it alive until after `rd_kafka_destroy`.
final class RDKafkaEventHandlers: Sendable {
    let logger: Logger
    /// Called for every delivery report, on the thread serving the main queue.
    let onDelivery: (@Sendable (RDKafkaDeliveryReport) -> Void)?
    /// Called on the polling thread before the consumer commits and changes its assignment.
    let onRebalance: (@Sendable (KafkaConsumerEvent) -> Void)?
    /// Called with each statistics report (`statistics.interval.ms`), on the thread serving the main queue.
    let onStatistics: (@Sendable (KafkaStatistics) -> Void)?
    private let secretValues: [String]
    private let lastError = Mutex<String?>(nil)

    init(
        logger: Logger,
        secretValues: [String],
        onDelivery: (@Sendable (RDKafkaDeliveryReport) -> Void)? = nil,
        onRebalance: (@Sendable (KafkaConsumerEvent) -> Void)? = nil,
        onStatistics: (@Sendable (KafkaStatistics) -> Void)? = nil
    ) {
        self.logger = logger
        self.secretValues = secretValues
        self.onDelivery = onDelivery
        self.onRebalance = onRebalance
        self.onStatistics = onStatistics
    }

    /// The last error librdkafka reported through the error callback (for example a refused connection),
    /// added to failures that librdkafka itself only reports as a timeout.
    var lastBrokerError: String? { lastError.withLock { $0 } }

    func log(level: Int32, facility: String, message: String) {
        logger.log(level: Self.logLevel(syslog: level), "\(redact(message))", metadata: ["rdkafka.facility": "\(facility)"])
    }

    func error(code: rd_kafka_resp_err_t, reason: String) {
        let reason = redact(reason)
        lastError.withLock { $0 = reason }
        // A failed connection was just logged by librdkafka itself (facility FAIL); do not say it twice.
        let level: Logger.Level = code == RD_KAFKA_RESP_ERR__TRANSPORT ? .debug : .warning
        logger.log(level: level, "librdkafka error: \(reason)", metadata: ["rdkafka.error": "\(String(cString: rd_kafka_err2name(code)))"])
    }

    func fatalError(_ error: KafkaError) {
        lastError.withLock { $0 = error.message }
        logger.critical("librdkafka fatal error, the client must be recreated: \(redact(error.message))")
    }

    /// librdkafka echoes some property values (for example in SASL failures): never a secret one.
    private func redact(_ text: String) -> String {
        secretValues.reduce(text) { $0.replacing($1, with: "[redacted]") }
    }

    private static func logLevel(syslog level: Int32) -> Logger.Level {
        switch level {
        case ...2: .critical
        case 3: .error
        case 4: .warning
        case 5: .notice
        case 6: .info
        default: .debug
        }
    }
}
