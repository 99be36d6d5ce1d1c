import CRdKafka

/// Owns one librdkafka mock cluster (in-process fake brokers) and the client handle it lives on.
///
/// `@unchecked Sendable`: the mock cluster's functions hand their work to the cluster's own thread and are
/// safe to call from any thread; the pointer is set once and freed only in `deinit`.
final class RDKafkaMockCluster: @unchecked Sendable {
    private let client: RDKafkaClient
    private let cluster: OpaquePointer

    init(brokers: Int, handlers: RDKafkaEventHandlers) throws(KafkaError) {
        client = try RDKafkaClient(kind: .producer, properties: [:], handlers: handlers)
        guard let cluster = rd_kafka_mock_cluster_new(client.handle, Int32(brokers)) else {
            throw KafkaError(code: .other, message: "cannot create a librdkafka mock cluster")
        }
        self.cluster = cluster
    }

    deinit {
        // The client (and its handle) must outlive the cluster built on it.
        RDKafkaDestroyer.destroy(.init(pointers: [cluster]), keepingAlive: client) { owned in
            rd_kafka_mock_cluster_destroy(owned.pointers[0])
        }
    }

    var bootstrapServers: String { String(cString: rd_kafka_mock_cluster_bootstraps(cluster)) }

    func createTopic(_ name: String, partitions: Int32, replicationFactor: Int32) throws(KafkaError) {
        let error = rd_kafka_mock_topic_create(cluster, name, partitions, replicationFactor)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(rdkafka: error, context: "creating mock topic \(name)", fallback: .admin)
        }
    }

    /// Makes the next `count` Produce requests fail with `error`.
    func failProduceRequests(_ count: Int, with error: KafkaMockCluster.BrokerError) {
        let code: rd_kafka_resp_err_t = switch error {
        case .notEnoughReplicas: RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS
        case .requestTimedOut: RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT
        case .messageTooLarge: RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE
        case .topicAuthorizationFailed: RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED
        }
        let errors = [rd_kafka_resp_err_t](repeating: code, count: count)
        errors.withUnsafeBufferPointer {
            // 0 is the Produce API key.
            rd_kafka_mock_push_request_errors_array(cluster, 0, $0.count, $0.baseAddress)
        }
    }

    func setBroker(_ id: Int32, up: Bool) {
        _ = up ? rd_kafka_mock_broker_set_up(cluster, id) : rd_kafka_mock_broker_set_down(cluster, id)
    }
}
