import CRdKafka

extension RDKafkaClient {
    /// The cluster's brokers and, with `allTopics`, every topic; throws when no broker answers within `timeout`.
    func metadata(allTopics: Bool, timeout: Duration) throws(KafkaError) -> (cluster: ClusterDescription, topics: [TopicDescription]) {
        var pointer: UnsafePointer<rd_kafka_metadata>?
        let error = rd_kafka_metadata(handle, allTopics ? 1 : 0, nil, &pointer, timeout.milliseconds)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata = pointer else {
            // The callers of this function run on the thread serving the main queue: serve the errors
            // queued while it was blocked here, so that the reason below is the current one.
            if kind == .producer { poll(timeoutMilliseconds: 0) }
            let unreachable = error == RD_KAFKA_RESP_ERR__TRANSPORT || error == RD_KAFKA_RESP_ERR__TIMED_OUT
            var failure = KafkaError(
                code: unreachable ? .brokerUnavailable : .admin, rdkafka: error,
                context: "no broker of \(bootstrapServers) answered a metadata request within \(timeout)")
            if let reason = handlers.lastBrokerError { failure.message += " (last broker error: \(reason))" }
            throw failure
        }
        defer { rd_kafka_metadata_destroy(metadata) }
        let md = metadata.pointee
        let brokers = (0..<Int(md.broker_cnt)).map { index in
            let broker = md.brokers[index]
            return ClusterDescription.Broker(id: broker.id, host: String(cString: broker.host), port: broker.port)
        }
        let topics = (0..<Int(md.topic_cnt)).compactMap { index -> TopicDescription? in
            let topic = md.topics[index]
            guard topic.err == RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
            let partitions = (0..<Int(topic.partition_cnt)).map { index in
                let partition = topic.partitions[index]
                let replicas = (0..<Int(partition.replica_cnt)).map { partition.replicas[$0] }
                return TopicDescription.Partition(id: partition.id, leader: partition.leader, replicas: replicas)
            }
            return TopicDescription(name: String(cString: topic.topic), partitions: partitions.sorted { $0.id < $1.id })
        }
        return (ClusterDescription(brokers: brokers, respondingBrokerID: md.orig_broker_id), topics)
    }

    /// The low and high watermark offsets of one partition, asked from its leader.
    func watermarks(of partition: TopicPartition, timeout: Duration) throws(KafkaError) -> (low: Int64, high: Int64) {
        var low: Int64 = -1
        var high: Int64 = -1
        let error = rd_kafka_query_watermark_offsets(handle, partition.topic, partition.partition, &low, &high, timeout.milliseconds)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(rdkafka: error, context: "querying the watermarks of \(partition)", fallback: .admin)
        }
        return (low, high)
    }
}
