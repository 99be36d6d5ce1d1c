import Foundation
import Kafka

/// A record that could not be decoded, as it goes to the dead-letter topic: the original key, value and
/// headers untouched, plus `avrogate.*` headers saying where it came from and why it is there.
public struct DeadLetter: Sendable, Hashable {
    /// Header names, stable: tools that replay dead letters read them.
    public enum Header {
        /// The ``UndecodableRecord/Reason`` raw value, e.g. `truncated`.
        public static let errorClass = "avrogate.error.class"
        /// What exactly went wrong, for people.
        public static let errorMessage = "avrogate.error.message"
        /// The topic the record was read from.
        public static let sourceTopic = "avrogate.source.topic"
        /// Its partition, in decimal.
        public static let sourcePartition = "avrogate.source.partition"
        /// Its offset, in decimal.
        public static let sourceOffset = "avrogate.source.offset"
        /// Its timestamp in epoch milliseconds, when it had one.
        public static let sourceTimestamp = "avrogate.source.timestamp"
        /// The writer schema id its frame names, when the frame got that far.
        public static let schemaID = "avrogate.schema.id"
    }

    /// The record as it was read.
    public var record: KafkaConsumerMessage
    /// Why it could not be decoded.
    public var failure: UndecodableRecord
    /// The topic it goes to.
    public var topic: String

    /// The dead letter of `record`, for `topic`.
    public init(record: KafkaConsumerMessage, failure: UndecodableRecord, topic: String) {
        self.record = record
        self.failure = failure
        self.topic = topic
    }

    /// The message to produce: same key (so the same key lands in the same dead-letter partition), same
    /// value bytes, the original headers followed by the `avrogate.*` ones.
    public var message: KafkaProducerMessage {
        var headers = record.headers
        headers.append(KafkaHeader(key: Header.errorClass, string: failure.reason.rawValue))
        headers.append(KafkaHeader(key: Header.errorMessage, string: failure.message))
        headers.append(KafkaHeader(key: Header.sourceTopic, string: record.topic))
        headers.append(KafkaHeader(key: Header.sourcePartition, string: String(record.partition)))
        headers.append(KafkaHeader(key: Header.sourceOffset, string: String(record.offset)))
        if let timestamp = record.timestamp {
            headers.append(KafkaHeader(key: Header.sourceTimestamp, string: String(Int64((timestamp.timeIntervalSince1970 * 1000).rounded()))))
        }
        if let schemaID = failure.schemaID {
            headers.append(KafkaHeader(key: Header.schemaID, string: String(schemaID)))
        }
        return KafkaProducerMessage(topic: topic, key: record.key, value: record.value, headers: headers)
    }

    /// The dead-letter topic of `sourceTopic` under `template`, where `{topic}` stands for the source topic.
    public static func topic(for sourceTopic: String, template: String) -> String {
        template.replacingOccurrences(of: "{topic}", with: sourceTopic)
    }
}
