/// Something that happened to a ``KafkaConsumer`` besides records arriving.
public enum KafkaConsumerEvent: Sendable, Hashable {
    /// The group gave this member these partitions (with the cooperative protocol: in addition to those it has).
    case partitionsAssigned([TopicPartition])
    /// The group took these partitions away; stored offsets are committed right after this event.
    case partitionsRevoked([TopicPartition])
    /// These partitions were lost (the member was thrown out of the group); their offsets are not committed,
    /// another member may already own them.
    case partitionsLost([TopicPartition])
    /// A non-fatal consumer error (librdkafka keeps retrying).
    case error(code: KafkaError.Code, message: String)
}
