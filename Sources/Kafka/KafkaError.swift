import CRdKafka

/// An error from the Kafka layer: a stable avrogate code, plus librdkafka's own code and text when it has one.
public struct KafkaError: Error, Sendable, CustomStringConvertible {
    /// Stable classes of failure that callers branch on.
    public enum Code: String, Sendable {
        /// The loaded librdkafka is too old.
        case unsupportedLibrary
        /// A property is unknown or has an invalid value, or a properties file is malformed.
        case configuration
        /// The producer's local queue is full (`queue.buffering.max.messages` / `.kbytes`): back off and retry.
        case queueFull
        /// The broker did not acknowledge a message (it failed, or `message.timeout.ms` passed).
        case delivery
        /// A request did not complete within its timeout.
        case timeout
        /// No broker could be reached.
        case brokerUnavailable
        /// The topic or partition does not exist.
        case unknownTopic
        /// The topic already exists (creating a topic).
        case topicAlreadyExists
        /// The message is larger than `message.max.bytes`.
        case messageTooLarge
        /// A consumer operation failed (subscribe, store offsets, commit, seek, pause).
        case consumer
        /// An admin operation failed.
        case admin
        /// The client is closing or closed.
        case closed
        /// The client hit an unrecoverable error (for example an idempotence violation) and must be recreated.
        case fatal
        /// Anything else.
        case other
    }

    /// The stable class of the failure.
    public var code: Code
    /// librdkafka's `rd_kafka_resp_err_t`, when the error came from librdkafka.
    public var librdkafkaCode: Int32?
    /// A human-readable explanation, including librdkafka's own text.
    public var message: String

    /// An error with an explicit code and text.
    public init(code: Code, librdkafkaCode: Int32? = nil, message: String) {
        self.code = code
        self.librdkafkaCode = librdkafkaCode
        self.message = message
    }

    init(code: Code, rdkafka error: rd_kafka_resp_err_t, context: String) {
        self.code = code
        self.librdkafkaCode = error.rawValue
        self.message = "\(context): \(String(cString: rd_kafka_err2str(error)))"
    }

    /// An error whose stable code is derived from the librdkafka code, `fallback` when there is no closer match.
    init(rdkafka error: rd_kafka_resp_err_t, context: String, fallback: Code) {
        self.init(code: Self.code(for: error, fallback: fallback), rdkafka: error, context: context)
    }

    static func code(for error: rd_kafka_resp_err_t, fallback: Code) -> Code {
        switch error {
        case RD_KAFKA_RESP_ERR__QUEUE_FULL: .queueFull
        case RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE: .messageTooLarge
        case RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC, RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART, RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION: .unknownTopic
        case RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS: .topicAlreadyExists
        case RD_KAFKA_RESP_ERR__TIMED_OUT, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT: .timeout
        case RD_KAFKA_RESP_ERR__TRANSPORT, RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, RD_KAFKA_RESP_ERR__RESOLVE: .brokerUnavailable
        case RD_KAFKA_RESP_ERR__FATAL: .fatal
        case RD_KAFKA_RESP_ERR__DESTROY: .closed
        default: fallback
        }
    }

    /// librdkafka's symbolic name for ``librdkafkaCode`` (for example `_QUEUE_FULL`), when there is one.
    public var librdkafkaName: String? {
        librdkafkaCode.map { String(cString: rd_kafka_err2name(rd_kafka_resp_err_t(rawValue: $0))) }
    }

    /// Code, librdkafka code and message, for logs.
    public var description: String {
        if let librdkafkaCode {
            return "Kafka error (\(code.rawValue), librdkafka \(librdkafkaCode)): \(message)"
        }
        return "Kafka error (\(code.rawValue)): \(message)"
    }
}
