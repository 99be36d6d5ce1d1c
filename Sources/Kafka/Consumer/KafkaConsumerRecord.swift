import Foundation

/// A record of a ``KafkaConsumerBatch``, read in place: its key and value are views of librdkafka's buffer,
/// valid while the record (or its batch) is held. ``message`` copies it out.
public struct KafkaConsumerRecord: Sendable {
    private let batch: RDKafkaMessageBatch
    private let index: Int

    init(batch: RDKafkaMessageBatch, index: Int) {
        self.batch = batch
        self.index = index
    }

    /// The topic it was read from (one string per topic of the batch, shared by its records).
    public var topic: String { batch.topic(at: index) }
    /// The partition it was read from.
    public var partition: Int32 { batch.partition(at: index) }
    /// Its offset in that partition.
    public var offset: Int64 { batch.offset(at: index) }
    /// Its timestamp in epoch milliseconds, when the broker sent one.
    public var timestampMilliseconds: Int64? { batch.timestamp(at: index) }
    /// The key's bytes in place; `nil` is a null key. Valid while the record is held.
    public var key: UnsafeRawBufferPointer? { batch.key(at: index) }
    /// The value's bytes in place; `nil` is a tombstone. Valid while the record is held.
    public var value: UnsafeRawBufferPointer? { batch.value(at: index) }
    /// The headers, copied out; parsed only when asked for.
    public var headers: [KafkaHeader] { batch.headers(at: index) }
    /// The record's partition.
    public var topicPartition: TopicPartition { TopicPartition(topic: topic, partition: partition) }

    /// Whether `other` was read from the same topic and partition; for records of one batch, no string is compared.
    public func isSamePartition(as other: KafkaConsumerRecord) -> Bool {
        guard partition == other.partition else { return false }
        if batch === other.batch { return batch.topicIndex(at: index) == batch.topicIndex(at: other.index) }
        return topic == other.topic
    }

    /// The record copied out of librdkafka's buffer.
    public var message: KafkaConsumerMessage {
        KafkaConsumerMessage(
            topic: topic,
            partition: partition,
            offset: offset,
            timestamp: timestampMilliseconds.map { Date(timeIntervalSince1970: Double($0) / 1000) },
            key: key.map { [UInt8]($0) },
            value: value.map { [UInt8]($0) },
            headers: headers)
    }
}
