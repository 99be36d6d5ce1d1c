import CRdKafka

extension RDKafkaClient {
    /// Subscribes the group consumer to `topics`.
    func subscribe(_ topics: [String]) throws(KafkaError) {
        let list = RDKafkaTopicPartitionList(topics.map { TopicPartition(topic: $0, partition: -1) })
        let error = rd_kafka_subscribe(handle, list.pointer)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(rdkafka: error, context: "subscribing to \(topics.joined(separator: ", "))", fallback: .consumer)
        }
    }

    /// Reads `partitions` from the given offsets without joining the consumer group.
    func assign(_ partitions: [TopicPartition: Int64]) throws(KafkaError) {
        let list = RDKafkaTopicPartitionList(partitions.map { ($0.key, $0.value) })
        let error = rd_kafka_assign(handle, list.pointer)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(rdkafka: error, context: "assigning \(partitions.keys.map(\.description).sorted().joined(separator: ", "))", fallback: .consumer)
        }
    }

    /// Up to `maxMessages` records, waiting up to `timeout` for the first; serves rebalances, errors and logs
    /// on the calling thread meanwhile. Returns the consumer errors met on the way (partition EOFs dropped).
    func consumeBatch(maxMessages: Int, timeout: Duration) throws(KafkaError) -> (messages: RDKafkaMessageBatch, errors: [KafkaError]) {
        guard let consumerQueue else { throw KafkaError(code: .consumer, message: "not a consumer") }
        if let fatalError { throw fatalError }
        var pointers = [UnsafeMutablePointer<rd_kafka_message_t>?](repeating: nil, count: max(maxMessages, 1))
        let count = pointers.withUnsafeMutableBufferPointer { buffer in
            rd_kafka_consume_batch_queue(consumerQueue, timeout.milliseconds, buffer.baseAddress, buffer.count)
        }
        guard count >= 0 else {
            throw KafkaError(rdkafka: rd_kafka_last_error(), context: "polling the consumer", fallback: .consumer)
        }
        var errors: [KafkaError] = []
        let messages = pointers.withUnsafeBufferPointer { buffer in
            RDKafkaMessageBatch(polled: UnsafeBufferPointer(rebasing: buffer.prefix(count)), client: self, errors: &errors)
        }
        return (messages, errors)
    }

    /// Makes a ``consumeBatch(maxMessages:timeout:)`` in progress on another thread return at once.
    func wakeConsumer() {
        if let consumerQueue {
            rd_kafka_queue_yield(consumerQueue)
        }
    }

    /// Stores the offsets to commit: for each partition the offset of the next record to read.
    func storeOffsets(_ offsets: [(TopicPartition, Int64)]) throws(KafkaError) {
        let list = RDKafkaTopicPartitionList(offsets)
        let error = rd_kafka_offsets_store(handle, list.pointer)
        if let failed = list.firstError {
            throw KafkaError(rdkafka: failed.error, context: "storing the offset of \(failed.topicPartition) (is it assigned to this consumer?)", fallback: .consumer)
        }
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(rdkafka: error, context: "storing offsets", fallback: .consumer)
        }
    }

    /// Commits the stored offsets of the current assignment and waits for the broker's answer.
    func commitStoredOffsets() throws(KafkaError) {
        let error = rd_kafka_commit(handle, nil, 0)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR || error == RD_KAFKA_RESP_ERR__NO_OFFSET else {
            throw KafkaError(rdkafka: error, context: "committing offsets", fallback: .consumer)
        }
    }

    /// The partitions currently assigned to this consumer.
    func assignment() throws(KafkaError) -> [TopicPartition] {
        var pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        let error = rd_kafka_assignment(handle, &pointer)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR, let pointer else {
            throw KafkaError(rdkafka: error, context: "reading the assignment", fallback: .consumer)
        }
        defer { rd_kafka_topic_partition_list_destroy(pointer) }
        return RDKafkaTopicPartitionList.entries(of: pointer).map(\.topicPartition)
    }

    /// Stops (`pause: true`) or restarts fetching from `partitions`.
    func setPaused(_ pause: Bool, _ partitions: [TopicPartition]) throws(KafkaError) {
        let list = RDKafkaTopicPartitionList(partitions)
        let error = pause ? rd_kafka_pause_partitions(handle, list.pointer) : rd_kafka_resume_partitions(handle, list.pointer)
        if let failed = list.firstError {
            throw KafkaError(rdkafka: failed.error, context: "\(pause ? "pausing" : "resuming") \(failed.topicPartition)", fallback: .consumer)
        }
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(rdkafka: error, context: pause ? "pausing partitions" : "resuming partitions", fallback: .consumer)
        }
    }

    /// Moves the fetch position of an assigned partition; waits up to `timeout` for it to take effect.
    func seek(_ partition: TopicPartition, to offset: Int64, timeout: Duration) throws(KafkaError) {
        let list = RDKafkaTopicPartitionList([(partition, offset)])
        if let error = rd_kafka_seek_partitions(handle, list.pointer, timeout.milliseconds) {
            defer { rd_kafka_error_destroy(error) }
            throw KafkaError(code: .consumer, librdkafkaCode: rd_kafka_error_code(error).rawValue, message: "seeking \(partition) to \(offset): \(String(cString: rd_kafka_error_string(error)))")
        }
        if let failed = list.firstError {
            throw KafkaError(rdkafka: failed.error, context: "seeking \(partition) to \(offset)", fallback: .consumer)
        }
    }

    /// The offsets this consumer's group committed for `partitions`, asked from the group coordinator.
    func committed(_ partitions: [TopicPartition], timeout: Duration) throws(KafkaError) -> [TopicPartition: Int64] {
        let list = RDKafkaTopicPartitionList(partitions)
        let error = rd_kafka_committed(handle, list.pointer, timeout.milliseconds)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(rdkafka: error, context: "reading committed offsets", fallback: .consumer)
        }
        return Dictionary(list.entries.map { ($0.topicPartition, $0.offset) }, uniquingKeysWith: { $1 })
    }

    /// Leaves the group: revokes the assignment (committing stored offsets) and commits a last time.
    func closeConsumer() throws(KafkaError) {
        let error = rd_kafka_consumer_close(handle)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(rdkafka: error, context: "closing the consumer", fallback: .consumer)
        }
    }
}
