/// The records of one consumer poll, read in place from librdkafka's buffers rather than copied out: see
/// ``KafkaConsumer/nextRawBatch(maxMessages:timeout:)``.
///
/// The buffers live as long as the batch or any of its ``KafkaConsumerRecord``s; the key and value views
/// of a record must not be used once neither is held any more.
public struct KafkaConsumerBatch: Sendable, RandomAccessCollection {
    let storage: RDKafkaMessageBatch

    init(storage: RDKafkaMessageBatch) {
        self.storage = storage
    }

    /// Always 0.
    public var startIndex: Int { 0 }
    /// The number of records.
    public var endIndex: Int { storage.count }

    /// The record at `index`.
    public subscript(index: Int) -> KafkaConsumerRecord {
        precondition(index >= 0 && index < storage.count, "record index out of range")
        return KafkaConsumerRecord(batch: storage, index: index)
    }

    /// Every record copied out, as ``KafkaConsumer/nextBatch(maxMessages:timeout:)`` returns them.
    public var messages: [KafkaConsumerMessage] { map(\.message) }
}
