import Foundation

/// A record of a ``KafkaConsumerBatch``, read in place: its key and value are views of librdkafka's buffer,
/// valid while the record (or its batch) is held. ``message`` copies it out.
///
/// What a consumer reads of every record (partition, offset, value) is kept in the record itself and read
/// inline: a loop over records in place touches neither the batch nor its reference count.
public struct KafkaConsumerRecord: Sendable {
    private let batch: RDKafkaMessageBatch
    /// `nonisolated(unsafe)`: librdkafka's buffer, which the batch keeps alive and unchanged until it goes.
    @usableFromInline nonisolated(unsafe) let valueStart: UnsafeRawPointer?
    @usableFromInline let valueCount: Int
    /// Its offset in its partition.
    public let offset: Int64
    /// The partition it was read from.
    public let partition: Int32
    private let index: Int32
    /// Its topic's index in its batch: equal for records of the same topic in one batch.
    @usableFromInline let topicIndex: Int32
    /// Identifies its batch, for comparing records without touching the batch's reference count.
    @usableFromInline let batchIdentity: ObjectIdentifier

    init(batch: RDKafkaMessageBatch, index: Int) {
        self.batch = batch
        let value = batch.value(at: index)
        valueStart = value?.baseAddress
        valueCount = value?.count ?? 0
        offset = batch.offset(at: index)
        partition = batch.partition(at: index)
        self.index = Int32(index)
        topicIndex = batch.topicIndex(at: index)
        batchIdentity = ObjectIdentifier(batch)
    }

    /// The topic it was read from (one string per topic of the batch, shared by its records).
    public var topic: String { batch.topic(at: Int(index)) }
    /// Its timestamp in epoch milliseconds, when the broker sent one.
    public var timestampMilliseconds: Int64? { batch.timestamp(at: Int(index)) }
    /// The key's bytes in place; `nil` is a null key. Valid while the record is held.
    public var key: UnsafeRawBufferPointer? { batch.key(at: Int(index)) }
    /// The value's bytes in place; `nil` is a tombstone. Valid while the record is held.
    @inlinable
    public var value: UnsafeRawBufferPointer? { valueStart.map { UnsafeRawBufferPointer(start: $0, count: valueCount) } }
    /// The headers, copied out; parsed only when asked for.
    public var headers: [KafkaHeader] { batch.headers(at: Int(index)) }
    /// The record's partition.
    public var topicPartition: TopicPartition { TopicPartition(topic: topic, partition: partition) }

    /// Whether `other` was read from the same topic and partition; for records of one batch, no string is compared.
    @inlinable
    public func isSamePartition(as other: KafkaConsumerRecord) -> Bool {
        guard partition == other.partition else { return false }
        if batchIdentity == other.batchIdentity { return topicIndex == other.topicIndex }
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
