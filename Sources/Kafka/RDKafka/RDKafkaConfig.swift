import CRdKafka

/// Builds librdkafka configuration objects from property bags.
enum RDKafkaConfig {
    /// A new `rd_kafka_conf_t` with `properties` set and every callback that `handlers` serves installed.
    /// The caller owns the result: it must hand it to `rd_kafka_new` (which takes it on success) or destroy it.
    static func make(properties: [String: String], handlers: RDKafkaEventHandlers, consumer: Bool) throws(KafkaError) -> OpaquePointer {
        let conf = rd_kafka_conf_new()!
        var errorText = [CChar](repeating: 0, count: 512)
        // Sorted: librdkafka applies some properties on top of others (aliases), so order must not vary per run.
        for (key, value) in properties.sorted(by: { $0.key < $1.key }) {
            let result = rd_kafka_conf_set(conf, key, value, &errorText, errorText.count)
            guard result == RD_KAFKA_CONF_OK else {
                rd_kafka_conf_destroy(conf)
                var reason = errorText.nulTerminatedString
                var shown = value
                if KafkaConfiguration.isSecret(key) {
                    // librdkafka quotes the rejected value.
                    shown = "[redacted]"
                    reason = value.isEmpty ? reason : reason.replacing(value, with: shown)
                }
                throw KafkaError(code: .configuration, message: "Kafka property \(key)=\(shown) rejected: \(reason)")
            }
        }
        rd_kafka_conf_set_opaque(conf, Unmanaged.passUnretained(handlers).toOpaque())
        rd_kafka_conf_set_log_cb(conf, RDKafkaCallbacks.log)
        rd_kafka_conf_set_error_cb(conf, RDKafkaCallbacks.error)
        if handlers.onDelivery != nil {
            rd_kafka_conf_set_dr_msg_cb(conf, RDKafkaCallbacks.delivery)
        }
        if handlers.onStatistics != nil {
            rd_kafka_conf_set_stats_cb(conf, RDKafkaCallbacks.statistics)
        }
        if consumer {
            rd_kafka_conf_set_rebalance_cb(conf, RDKafkaCallbacks.rebalance)
        }
        return conf
    }
}
