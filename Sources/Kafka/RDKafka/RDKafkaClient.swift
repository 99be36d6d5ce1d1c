import CRdKafka

/// Owns one `rd_kafka_t` and every call made on it. Producer, consumer and admin types sit above it and never
/// see a librdkafka pointer.
///
/// `@unchecked Sendable`: librdkafka documents `rd_kafka_t` and its queues as thread-safe; the pointers are
/// set once in `init` and freed only in `deinit`, when no other reference can exist.
final class RDKafkaClient: @unchecked Sendable {
    enum Kind {
        case producer, consumer
    }

    let kind: Kind
    /// `bootstrap.servers`, for error messages.
    let bootstrapServers: String
    let handlers: RDKafkaEventHandlers
    let handle: OpaquePointer
    private let mainQueue: OpaquePointer
    /// The consumer group's queue, which the main queue is forwarded to (consumers only).
    let consumerQueue: OpaquePointer?

    /// A client of `kind` configured with `properties`; `handlers` receive its callbacks.
    init(kind: Kind, properties: [String: String], handlers: RDKafkaEventHandlers) throws(KafkaError) {
        let conf = try RDKafkaConfig.make(properties: properties, handlers: handlers, consumer: kind == .consumer)
        var errorText = [CChar](repeating: 0, count: 512)
        guard let handle = rd_kafka_new(kind == .consumer ? RD_KAFKA_CONSUMER : RD_KAFKA_PRODUCER, conf, &errorText, errorText.count) else {
            rd_kafka_conf_destroy(conf)
            throw KafkaError(code: .configuration, message: "cannot create the Kafka client: \(errorText.nulTerminatedString)")
        }
        self.kind = kind
        self.bootstrapServers = properties["bootstrap.servers"] ?? properties["metadata.broker.list"] ?? "(no bootstrap.servers)"
        self.handlers = handlers
        self.handle = handle
        if kind == .consumer {
            // One queue to serve: records, rebalances, errors and logs all arrive through the consumer poll.
            rd_kafka_poll_set_consumer(handle)
            consumerQueue = rd_kafka_queue_get_consumer(handle)
        } else {
            consumerQueue = nil
        }
        mainQueue = rd_kafka_queue_get_main(handle)
    }

    deinit {
        let queues = [mainQueue] + (consumerQueue.map { [$0] } ?? [])
        RDKafkaDestroyer.destroy(.init(pointers: [handle] + queues), keepingAlive: handlers) { owned in
            for queue in owned.pointers.dropFirst() {
                rd_kafka_queue_destroy(queue)
            }
            rd_kafka_destroy(owned.pointers[0])
        }
    }

    /// The client's name (`client.id` plus an instance number), as librdkafka logs it.
    var name: String { String(cString: rd_kafka_name(handle)) }

    // MARK: Serving the main queue

    /// Serves the main queue: delivery reports and error callbacks. Blocks up to `timeoutMilliseconds`,
    /// returning as soon as events were served or ``wakeMainQueue()`` was called.
    func poll(timeoutMilliseconds: Int32) {
        rd_kafka_poll(handle, timeoutMilliseconds)
    }

    /// Makes a ``poll(timeoutMilliseconds:)`` in progress on another thread (or the next one) return at once.
    func wakeMainQueue() {
        rd_kafka_queue_yield(mainQueue)
    }

    // MARK: Producing

    /// Enqueues one message (librdkafka copies key, value and headers); `opaque` comes back in its delivery
    /// report. Never blocks: a full queue throws ``KafkaError/Code/queueFull`` at once.
    @inline(__always)
    func produce(_ message: KafkaProducerMessage, opaque: UInt) throws(KafkaError) {
        let error = produce(topic: message.topic, partition: message.partition, key: message.key, value: message.value, headers: message.headers, opaque: opaque)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(rdkafka: error, context: "cannot send to \(message.topic)", fallback: .other)
        }
    }

    @inline(__always)
    private func produce(topic: String, partition: Int32?, key: [UInt8]?, value: [UInt8]?, headers: [KafkaHeader], opaque: UInt) -> rd_kafka_resp_err_t {
        let rdHeaders = headers.isEmpty ? nil : Self.makeHeaders(headers)
        let opaque = UnsafeMutableRawPointer(bitPattern: opaque)
        // RD_KAFKA_PARTITION_UA (-1): let the partitioner choose.
        let partition = partition ?? -1
        let error = topic.withCString { topicName in
            Self.withBytes(key) { keyBytes, keyCount in
                Self.withBytes(value) { valueBytes, valueCount in
                    avrogate_produce(handle, topicName, partition, keyBytes, keyCount, valueBytes, valueCount, rdHeaders, opaque)
                }
            }
        }
        if error != RD_KAFKA_RESP_ERR_NO_ERROR, let rdHeaders {
            // The message owns its headers only once it was enqueued.
            rd_kafka_headers_destroy(rdHeaders)
        }
        return error
    }

    /// Waits until every message was acknowledged or failed, serving delivery reports meanwhile;
    /// throws ``KafkaError/Code/timeout`` when some are still outstanding after `timeout`.
    func flush(timeout: Duration) throws(KafkaError) {
        let error = rd_kafka_flush(handle, timeout.milliseconds)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(code: .timeout, rdkafka: error, context: "\(outstandingMessages) messages still unacknowledged after flushing for \(timeout)")
        }
    }

    /// Fails every message not yet acknowledged (their reports carry `_PURGE_QUEUE` / `_PURGE_INFLIGHT`).
    func purgeOutstandingMessages() {
        rd_kafka_purge(handle, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT)
    }

    /// Messages (and requests) not yet acknowledged.
    var outstandingMessages: Int { Int(rd_kafka_outq_len(handle)) }

    /// The client's fatal error, once it had one.
    var fatalError: KafkaError? { Self.fatalError(of: handle) }

    static func fatalError(of handle: OpaquePointer) -> KafkaError? {
        var text = [CChar](repeating: 0, count: 512)
        let error = rd_kafka_fatal_error(handle, &text, text.count)
        guard error != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        return KafkaError(code: .fatal, librdkafkaCode: error.rawValue, message: "fatal error \(String(cString: rd_kafka_err2name(error))): \(text.nulTerminatedString)")
    }

    @inline(__always)
    private static func withBytes<Result>(_ bytes: [UInt8]?, _ body: (UnsafeRawPointer?, Int) -> Result) -> Result {
        guard let bytes else { return body(nil, 0) }
        if bytes.isEmpty {
            // A non-null pointer with length 0 is an empty value; a null pointer would be a null (tombstone).
            return withUnsafeBytes(of: UInt8(0)) { body($0.baseAddress, 0) }
        }
        return bytes.withUnsafeBytes { body($0.baseAddress, $0.count) }
    }

    private static func makeHeaders(_ headers: [KafkaHeader]) -> OpaquePointer {
        let rdHeaders = rd_kafka_headers_new(headers.count)!
        for header in headers {
            withBytes(header.value) { bytes, count in
                _ = rd_kafka_header_add(rdHeaders, header.key, -1, bytes, count)
            }
        }
        return rdHeaders
    }
}
