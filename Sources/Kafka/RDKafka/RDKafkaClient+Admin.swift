import CRdKafka

extension RDKafkaClient {
    /// Creates one topic and waits for the broker's answer.
    func createTopic(_ topic: NewTopic, timeout: Duration) throws(KafkaError) {
        var errorText = [CChar](repeating: 0, count: 512)
        guard let newTopic = rd_kafka_NewTopic_new(topic.name, topic.partitions, Int32(topic.replicationFactor ?? -1), &errorText, errorText.count) else {
            throw KafkaError(code: .admin, message: "invalid topic \(topic.name): \(errorText.nulTerminatedString)")
        }
        defer { rd_kafka_NewTopic_destroy(newTopic) }
        for (key, value) in topic.configs.sorted(by: { $0.key < $1.key }) {
            let error = rd_kafka_NewTopic_set_config(newTopic, key, value)
            guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
                throw KafkaError(rdkafka: error, context: "invalid config \(key)=\(value) for topic \(topic.name)", fallback: .admin)
            }
        }
        var topics: [OpaquePointer?] = [newTopic]
        let event = try adminRequest(RD_KAFKA_ADMIN_OP_CREATETOPICS, expecting: RD_KAFKA_EVENT_CREATETOPICS_RESULT, timeout: timeout, what: "creating topic \(topic.name)") { options, queue in
            rd_kafka_CreateTopics(handle, &topics, 1, options, queue)
        }
        defer { rd_kafka_event_destroy(event) }
        var count = 0
        guard let results = rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(event), &count) else { return }
        for index in 0..<count {
            let error = rd_kafka_topic_result_error(results[index])
            guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
                let detail = rd_kafka_topic_result_error_string(results[index]).map { String(cString: $0) } ?? ""
                throw KafkaError(rdkafka: error, context: "creating topic \(topic.name) failed (\(detail))", fallback: .admin)
            }
        }
    }

    /// The offsets group `group` committed for `partitions` (`-1001`, invalid, where it committed none).
    func committedOffsets(group: String, partitions: [TopicPartition], timeout: Duration) throws(KafkaError) -> [TopicPartition: Int64] {
        let list = RDKafkaTopicPartitionList(partitions)
        guard let request = rd_kafka_ListConsumerGroupOffsets_new(group, list.pointer) else {
            throw KafkaError(code: .admin, message: "invalid offsets request for group \(group)")
        }
        defer { rd_kafka_ListConsumerGroupOffsets_destroy(request) }
        var requests: [OpaquePointer?] = [request]
        let event = try adminRequest(RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS, expecting: RD_KAFKA_EVENT_LISTCONSUMERGROUPOFFSETS_RESULT, timeout: timeout, what: "listing the offsets of group \(group)") { options, queue in
            rd_kafka_ListConsumerGroupOffsets(handle, &requests, 1, options, queue)
        }
        defer { rd_kafka_event_destroy(event) }
        var count = 0
        guard let groups = rd_kafka_ListConsumerGroupOffsets_result_groups(rd_kafka_event_ListConsumerGroupOffsets_result(event), &count), count > 0 else {
            throw KafkaError(code: .admin, message: "no result listing the offsets of group \(group)")
        }
        if let error = rd_kafka_group_result_error(groups[0]) {
            throw KafkaError(code: .admin, librdkafkaCode: rd_kafka_error_code(error).rawValue, message: "listing the offsets of group \(group): \(String(cString: rd_kafka_error_string(error)))")
        }
        var offsets: [TopicPartition: Int64] = [:]
        if let result = rd_kafka_group_result_partitions(groups[0]) {
            for entry in RDKafkaTopicPartitionList.entries(of: result) where entry.error == RD_KAFKA_RESP_ERR_NO_ERROR {
                offsets[entry.topicPartition] = entry.offset
            }
        }
        return offsets
    }

    /// Runs one admin request on a private queue and returns its result event (which the caller destroys),
    /// after checking the request-level error.
    private func adminRequest(
        _ operation: rd_kafka_admin_op_t,
        expecting eventType: Int32,
        timeout: Duration,
        what: String,
        _ start: (OpaquePointer, OpaquePointer) -> Void
    ) throws(KafkaError) -> OpaquePointer {
        var errorText = [CChar](repeating: 0, count: 512)
        guard let options = rd_kafka_AdminOptions_new(handle, operation) else {
            throw KafkaError(code: .admin, message: "\(what): admin operation not supported")
        }
        defer { rd_kafka_AdminOptions_destroy(options) }
        _ = rd_kafka_AdminOptions_set_request_timeout(options, timeout.milliseconds, &errorText, errorText.count)
        if operation == RD_KAFKA_ADMIN_OP_CREATETOPICS {
            _ = rd_kafka_AdminOptions_set_operation_timeout(options, timeout.milliseconds, &errorText, errorText.count)
        }
        let queue = rd_kafka_queue_new(handle)!
        defer { rd_kafka_queue_destroy(queue) }
        start(options, queue)
        // The request times itself out; the extra second only guards against a lost result event.
        guard let event = rd_kafka_queue_poll(queue, timeout.milliseconds + 1000) else {
            throw KafkaError(code: .timeout, message: "\(what): no answer within \(timeout)")
        }
        let error = rd_kafka_event_error(event)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR, rd_kafka_event_type(event) == eventType else {
            let detail = rd_kafka_event_error_string(event).map { String(cString: $0) } ?? ""
            rd_kafka_event_destroy(event)
            throw KafkaError(code: KafkaError.code(for: error, fallback: .admin), librdkafkaCode: error.rawValue, message: "\(what): \(detail)")
        }
        return event
    }
}
