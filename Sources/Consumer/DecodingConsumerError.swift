import Kafka
import Registry

/// Why a ``DecodingConsumer`` stopped before it was asked to. The offsets of every record written before
/// the failure are stored and committed; the record that failed and those after it are read again on restart.
public enum DecodingConsumerError: Error, Sendable, CustomStringConvertible {
    /// The Kafka client failed (configuration, a fatal broker error).
    case kafka(KafkaError)
    /// The registry refused in a way waiting will not fix (credentials, configuration, an unknown reader subject).
    case registry(SchemaRegistryError)
    /// The reader schema cannot be used for decoding.
    case readerSchema(String)
    /// Writing the output failed.
    case output(OutputError)
    /// A dead letter was not acknowledged by the broker.
    case deadLetter(KafkaError)
    /// A record could not be decoded and the policy is ``ErrorPolicy/fail``.
    case undecodable(UndecodableRecord, topic: String, partition: Int32, offset: Int64)

    public var description: String {
        switch self {
        case .kafka(let error): "Kafka: \(error.message)"
        case .registry(let error): error.description
        case .readerSchema(let message): "reader schema: \(message)"
        case .output(let error): "output: \(error.message)"
        case .deadLetter(let error): "dead-letter topic: \(error.message)"
        case .undecodable(let failure, let topic, let partition, let offset):
            "record \(topic)[\(partition)]@\(offset) cannot be decoded (\(failure.reason.rawValue)): \(failure.message)"
        }
    }
}
