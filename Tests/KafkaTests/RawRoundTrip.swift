import CRdKafka
import Kafka
import TestSupport

/// librdkafka's own round trip for one message, the baseline of the latency test: produce, then
/// `rd_kafka_poll` until the delivery report callback has run (poll returns as soon as it served one).
final class RawRoundTrip {
    private let handle: OpaquePointer
    private let topic: OpaquePointer
    /// Delivery reports served so far, counted by the callback through the configuration's opaque.
    private let delivered = UnsafeMutablePointer<Int>.allocate(capacity: 1)

    init(topic name: String) throws {
        let conf = rd_kafka_conf_new()
        var errorText = [CChar](repeating: 0, count: 512)
        for (key, value) in [("bootstrap.servers", try TestEnvironment.brokers()), ("linger.ms", "0")] {
            guard rd_kafka_conf_set(conf, key, value, &errorText, errorText.count) == RD_KAFKA_CONF_OK else {
                rd_kafka_conf_destroy(conf)
                throw KafkaError(code: .configuration, message: "raw producer: \(key) refused")
            }
        }
        delivered.initialize(to: 0)
        rd_kafka_conf_set_opaque(conf, delivered)
        rd_kafka_conf_set_dr_msg_cb(conf) { _, _, opaque in
            opaque?.assumingMemoryBound(to: Int.self).pointee += 1
        }
        guard let handle = rd_kafka_new(RD_KAFKA_PRODUCER, conf, &errorText, errorText.count) else {
            rd_kafka_conf_destroy(conf)
            throw KafkaError(code: .configuration, message: "raw producer: rd_kafka_new failed")
        }
        guard let topic = rd_kafka_topic_new(handle, name, nil) else {
            rd_kafka_destroy(handle)
            throw KafkaError(code: .configuration, message: "raw producer: rd_kafka_topic_new failed")
        }
        self.handle = handle
        self.topic = topic
    }

    deinit {
        rd_kafka_topic_destroy(topic)
        rd_kafka_destroy(handle)
        delivered.deallocate()
    }

    /// Produces `value` and waits until librdkafka has served its delivery report.
    func send(_ value: [UInt8]) throws {
        let before = delivered.pointee
        var payload = value
        let status = payload.withUnsafeMutableBytes { bytes in
            rd_kafka_produce(topic, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY, bytes.baseAddress, bytes.count, nil, 0, nil)
        }
        guard status == 0 else { throw KafkaError(code: .delivery, message: "raw producer: rd_kafka_produce failed") }
        let deadline = ContinuousClock.now + .seconds(10)
        while delivered.pointee == before {
            guard ContinuousClock.now < deadline else { throw KafkaError(code: .delivery, message: "raw producer: no delivery report within 10 s") }
            rd_kafka_poll(handle, 1000)
        }
    }
}
