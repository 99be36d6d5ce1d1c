import CRdKafka

/// Owns an `rd_kafka_topic_partition_list_t`: built from Swift values, handed to one librdkafka call, read back.
final class RDKafkaTopicPartitionList {
    /// One element read back from a list.
    struct Entry {
        var topicPartition: TopicPartition
        var offset: Int64
        var error: rd_kafka_resp_err_t
    }

    let pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>

    init(capacity: Int = 1) {
        pointer = rd_kafka_topic_partition_list_new(Int32(clamping: max(capacity, 1)))
    }

    /// A list of `partitions`, each with `offset` (librdkafka ignores it where it does not apply).
    convenience init(_ partitions: [TopicPartition], offset: Int64 = RDKafkaTopicPartitionList.invalidOffset) {
        self.init(capacity: partitions.count)
        for partition in partitions {
            add(partition, offset: offset)
        }
    }

    /// A list of partitions with per-partition offsets.
    convenience init(_ offsets: [(TopicPartition, Int64)]) {
        self.init(capacity: offsets.count)
        for (partition, offset) in offsets {
            add(partition, offset: offset)
        }
    }

    deinit {
        rd_kafka_topic_partition_list_destroy(pointer)
    }

    /// `RD_KAFKA_OFFSET_INVALID`: no offset.
    static let invalidOffset: Int64 = -1001

    func add(_ partition: TopicPartition, offset: Int64) {
        let element = rd_kafka_topic_partition_list_add(pointer, partition.topic, partition.partition)
        element?.pointee.offset = offset
    }

    var entries: [Entry] { Self.entries(of: pointer) }

    /// The first per-partition error, if any.
    var firstError: Entry? { entries.first { $0.error != RD_KAFKA_RESP_ERR_NO_ERROR } }

    /// The elements of a list librdkafka owns (for example one passed to a callback).
    static func entries(of list: UnsafePointer<rd_kafka_topic_partition_list_t>) -> [Entry] {
        let count = Int(list.pointee.cnt)
        guard count > 0, let elements = list.pointee.elems else { return [] }
        return (0..<count).map { index in
            let element = elements[index]
            return Entry(
                topicPartition: TopicPartition(topic: String(cString: element.topic), partition: element.partition),
                offset: element.offset,
                error: element.err)
        }
    }
}
