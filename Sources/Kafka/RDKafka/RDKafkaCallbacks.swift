import CRdKafka

/// The C callbacks installed on every configuration. Each finds its client's ``RDKafkaEventHandlers``
/// through the configuration opaque.
enum RDKafkaCallbacks {
    private static func handlers(_ opaque: UnsafeMutableRawPointer?) -> RDKafkaEventHandlers? {
        opaque.map { Unmanaged<RDKafkaEventHandlers>.fromOpaque($0).takeUnretainedValue() }
    }

    /// Delivery reports: called on the thread serving the main queue, once per produced message.
    static let delivery: @convention(c) (OpaquePointer?, UnsafePointer<rd_kafka_message_t>?, UnsafeMutableRawPointer?) -> Void = { _, message, opaque in
        guard let message, let handlers = handlers(opaque) else { return }
        let failed = message.pointee.err != RD_KAFKA_RESP_ERR_NO_ERROR
        handlers.onDelivery?(RDKafkaDeliveryReport(message: message, lastBrokerError: failed ? handlers.lastBrokerError : nil))
    }

    /// Statistics reports: called on the thread serving the main queue. Returning 0 lets librdkafka free the text.
    static let statistics: @convention(c) (OpaquePointer?, UnsafeMutablePointer<CChar>?, Int, UnsafeMutableRawPointer?) -> Int32 = { _, json, length, opaque in
        guard let json, let handlers = handlers(opaque), let onStatistics = handlers.onStatistics else { return 0 }
        let bytes = [UInt8](UnsafeRawBufferPointer(start: json, count: length))
        do {
            onStatistics(try KafkaStatistics(json: bytes))
        } catch {
            handlers.logger.debug("Unreadable librdkafka statistics report: \(error)")
        }
        return 0
    }

    /// librdkafka's log lines: called from librdkafka's own threads.
    static let log: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Void = { client, level, facility, message in
        guard let client, let handlers = handlers(rd_kafka_opaque(client)) else { return }
        handlers.log(level: level, facility: facility.map { String(cString: $0) } ?? "", message: message.map { String(cString: $0) } ?? "")
    }

    /// Client-level errors (connection failures, fatal errors): called on the thread serving the main queue.
    static let error: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Void = { client, code, reason, opaque in
        guard let client, let handlers = handlers(opaque) else { return }
        let error = rd_kafka_resp_err_t(rawValue: code)
        if error == RD_KAFKA_RESP_ERR__FATAL {
            handlers.fatalError(RDKafkaClient.fatalError(of: client) ?? KafkaError(code: .fatal, rdkafka: error, context: "fatal error"))
        } else {
            handlers.error(code: error, reason: reason.map { String(cString: $0) } ?? "")
        }
    }

    /// Group rebalances: called on the thread polling the consumer. Handles both protocols: eager
    /// (assign / assign(NULL)) and cooperative (incremental assign / unassign). Stored offsets are committed
    /// before partitions are given up, unless they were lost to another member already: here, with a
    /// blocking commit, when automatic commits are off; with `enable.auto.commit`, librdkafka commits the
    /// removed partitions' stored offsets itself while it completes the unassignment, so the callback never
    /// waits for the network (a consumer may poll from a task without waiting, see
    /// ``KafkaConsumer/pollRaw(maxMessages:timeout:)``).
    static let rebalance: @convention(c) (OpaquePointer?, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?, UnsafeMutableRawPointer?) -> Void = { client, code, partitions, opaque in
        guard let client, let handlers = handlers(opaque) else { return }
        let changed = partitions.map { RDKafkaTopicPartitionList.entries(of: $0).map(\.topicPartition) } ?? []
        let cooperative = String(cString: rd_kafka_rebalance_protocol(client)) == "COOPERATIVE"
        switch code {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
            handlers.logger.info("Partitions assigned: \(changed.map(\.description).joined(separator: ", "))")
            handlers.onRebalance?(.partitionsAssigned(changed))
            if cooperative {
                report(rd_kafka_incremental_assign(client, partitions), "incremental assign", handlers)
            } else {
                report(rd_kafka_assign(client, partitions), "assign", handlers)
            }
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
            let lost = rd_kafka_assignment_lost(client) != 0
            handlers.logger.info("Partitions \(lost ? "lost" : "revoked"): \(changed.map(\.description).joined(separator: ", "))")
            handlers.onRebalance?(lost ? .partitionsLost(changed) : .partitionsRevoked(changed))
            if !lost && !commitsAutomatically(client) {
                let committed = rd_kafka_commit(client, nil, 0)
                if committed != RD_KAFKA_RESP_ERR_NO_ERROR && committed != RD_KAFKA_RESP_ERR__NO_OFFSET {
                    handlers.logger.warning("Committing offsets on revoke failed: \(String(cString: rd_kafka_err2str(committed)))")
                }
            }
            if cooperative {
                report(rd_kafka_incremental_unassign(client, partitions), "incremental unassign", handlers)
            } else {
                report(rd_kafka_assign(client, nil), "unassign", handlers)
            }
        default:
            handlers.logger.error("Rebalance failed: \(String(cString: rd_kafka_err2str(code)))")
            report(rd_kafka_assign(client, nil), "unassign", handlers)
        }
    }

    /// Whether the client's `enable.auto.commit` is on (librdkafka's default).
    private static func commitsAutomatically(_ client: OpaquePointer) -> Bool {
        var value = [CChar](repeating: 0, count: 16)
        var size = value.count
        guard rd_kafka_conf_get(rd_kafka_conf(client), "enable.auto.commit", &value, &size) == RD_KAFKA_CONF_OK else { return true }
        return value.nulTerminatedString == "true"
    }

    private static func report(_ error: rd_kafka_resp_err_t, _ action: String, _ handlers: RDKafkaEventHandlers) {
        guard error != RD_KAFKA_RESP_ERR_NO_ERROR else { return }
        handlers.logger.error("Rebalance \(action) failed: \(String(cString: rd_kafka_err2str(error)))")
    }

    private static func report(_ error: OpaquePointer?, _ action: String, _ handlers: RDKafkaEventHandlers) {
        guard let error else { return }
        handlers.logger.error("Rebalance \(action) failed: \(String(cString: rd_kafka_error_string(error)))")
        rd_kafka_error_destroy(error)
    }
}
