import Foundation

/// A record read by a ``KafkaConsumer``.
public struct KafkaConsumerMessage: Sendable, Hashable {
    /// The topic it was read from.
    public var topic: String
    /// The partition it was read from.
    public var partition: Int32
    /// Its offset in that partition.
    public var offset: Int64
    /// Its timestamp (create or log-append time, as the topic is configured), when the broker sent one.
    public var timestamp: Date?
    /// The key; `nil` is a null key.
    public var key: [UInt8]?
    /// The value; `nil` is a tombstone.
    public var value: [UInt8]?
    /// The headers.
    public var headers: [KafkaHeader]

    /// A consumed record.
    public init(topic: String, partition: Int32, offset: Int64, timestamp: Date?, key: [UInt8]?, value: [UInt8]?, headers: [KafkaHeader]) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.timestamp = timestamp
        self.key = key
        self.value = value
        self.headers = headers
    }

    /// The record's partition.
    public var topicPartition: TopicPartition { TopicPartition(topic: topic, partition: partition) }
}
