import CRdKafka

/// An error from the Kafka layer: a stable avrogate code, plus librdkafka's own code and text when it has one.
public struct KafkaError: Error, Sendable, CustomStringConvertible {
    /// Stable classes of failure that callers branch on.
    public enum Code: String, Sendable {
        case unsupportedLibrary
        case configuration
        case queueFull
        case delivery
        case timeout
        case brokerUnavailable
        case unknownTopic
        case consumer
        case admin
        case closed
        case other
    }

    public var code: Code
    /// librdkafka's `rd_kafka_resp_err_t`, when the error came from librdkafka.
    public var librdkafkaCode: Int32?
    public var message: String

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

    public var description: String {
        if let librdkafkaCode {
            return "Kafka error (\(code.rawValue), librdkafka \(librdkafkaCode)): \(message)"
        }
        return "Kafka error (\(code.rawValue)): \(message)"
    }
}
