import Avro
import Kafka
import Logging
import Registry
import ServiceLifecycle

/// Schema selection, encoding and producing, shared by the HTTP API and `avrogate produce`.
///
/// One idempotent `acks=all` producer serves every request. A request sends all its records
/// without waiting, then waits for all their delivery reports at once; ``send(_:)`` first reserves
/// room in a bounded queue, so an overloaded gateway refuses whole requests (429) instead of
/// growing without bound or failing requests half-way. A producer broken for good (fenced, fatal)
/// is replaced by a new one (see ``ProducerPool``). As a `Service`, it closes its producers on
/// graceful shutdown.
public final class IngestPipeline: Service, Sendable {
    /// The producer new records go to.
    public var producer: KafkaProducer { producers.current.producer }
    /// How many times a broken producer was replaced since start.
    public var producerReplacements: Int { producers.replacements }
    let selector: SchemaSelector
    let metrics: IngestMetrics?
    private let producers: ProducerPool
    private let admission: ProducerAdmission
    private let keyFields: [String: String]
    private let logger: Logger

    /// Creates the producer (it connects lazily) and, unless given one, a registry client.
    public init(configuration: IngestConfiguration, registry: SchemaRegistryClient? = nil, metrics: IngestMetrics? = nil, logger: Logger) throws {
        let registry = try registry ?? SchemaRegistryClient(configuration: configuration.registry, logger: logger)
        let limits = configuration.limits
        let options = AvroEncoder.Options(
            ignoreUnknownFields: configuration.ignoreUnknownFields, maxDepth: limits.maxDepth,
            maxInputBytes: limits.maxBodyBytes, maxErrors: limits.maxErrorsPerRecord)
        let admission = ProducerAdmission(maxRecords: configuration.maxQueuedRecords, maxBytes: configuration.maxQueuedBytes)
        self.producers = try ProducerPool(configuration: configuration.producer, logger: logger) { _ in
            metrics?.producerReplaced()
        }
        self.selector = SchemaSelector(registry: registry, strategy: configuration.subjectStrategy, valueRecordNames: configuration.valueRecordNames,
                                       encoderOptions: options, logger: logger)
        self.metrics = metrics
        self.admission = admission
        self.keyFields = configuration.keyFields
        self.logger = logger
    }

    /// Waits for graceful shutdown, then closes the producers (flushing what they hold).
    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }

    /// The registry client (read-only use).
    public var registry: SchemaRegistryClient { selector.registry }

    /// Records sent through ``send(_:)`` and not yet acknowledged or failed.
    public var admittedRecords: Int { admission.queuedRecords }

    /// The value schema `selection` names for `topic`.
    public func schema(topic: String, _ selection: SchemaSelection) async throws(IngestError) -> SelectedSchema {
        try await selector.select(selection, topic: topic)
    }

    /// How `topic`'s keys are serialized: with the latest `{topic}-key` schema when it exists, else as strings.
    public func keyFormat(topic: String) async throws(IngestError) -> KeyFormat {
        try await selector.keySchema(topic: topic).map(KeyFormat.avro) ?? .string
    }

    /// A REST Proxy body's key format: its `key_schema_id` or inline `key_schema`, else the topic's.
    func keyFormat(topic: String, schemaID: Int?, schemaText: String?) async throws(IngestError) -> KeyFormat {
        try await selector.keySchema(id: schemaID, text: schemaText, topic: topic).map(KeyFormat.avro) ?? .string
    }

    /// The configured key field of `topic`, if any (`--key-field`).
    public func keyField(topic: String) -> String? { keyFields[topic] }

    /// Runs `body` with an encoder for `topic`'s records, giving the encoders back afterwards.
    public func withRecordEncoder<Result>(
        topic: String, value: SelectedSchema, key: KeyFormat, keySource: KeySource,
        _ body: (RecordEncoder) async throws -> Result
    ) async throws -> Result {
        let encoder = try RecordEncoder(topic: topic, valueSchema: value, keyFormat: key, keySource: keySource)
        defer { encoder.release() }
        return try await body(encoder)
    }

    /// Hands `messages` to the producer without waiting; await ``PendingDelivery/outcomes()``.
    /// Throws 429 (nothing sent) when the gateway's queue has no room for all of them. A record the
    /// producer refuses at once (unknown partition, too large) gets its failure as its outcome.
    public func send(_ messages: [KafkaProducerMessage]) throws(IngestError) -> PendingDelivery {
        let bytes = messages.reduce(0) { $0 + ($1.value?.count ?? 0) + ($1.key?.count ?? 0) }
        guard admission.reserve(records: messages.count, bytes: bytes) else {
            throw IngestError(.producerQueueFull, "the producer queue is full (\(admission.maxRecords) records or \(admission.maxBytes) bytes awaiting acknowledgement); retry after the Retry-After delay", retryAfter: 1)
        }
        let admission = self.admission
        let metrics = self.metrics
        let count = messages.count
        let topic = messages.first?.topic ?? ""
        let sentAt = ContinuousClock.now
        let group = producers.current.producer.sendWithoutWaiting(messages) { group in
            admission.release(records: count, bytes: bytes)
            if let metrics { Self.record(group, topic: topic, sentAt: sentAt, in: metrics) }
        }
        return PendingDelivery(group: group)
    }

    /// A request's delivery outcomes in the metrics: counted once per request, not per record, and
    /// the acknowledgement latency observed once, for the last of its records.
    private static func record(_ group: DeliveryGroup, topic: String, sentAt: ContinuousClock.Instant, in metrics: IngestMetrics) {
        var acknowledged = 0
        var failed: [String: Int] = [:]
        for index in 0 ..< group.count {
            switch group.result(at: index) {
            case .success: acknowledged += 1
            case .failure(let error): failed[IngestErrorCode(delivery: error).reason, default: 0] += 1
            }
        }
        if acknowledged > 0 {
            metrics.recordsAccepted(topic: topic, count: acknowledged)
            metrics.acknowledged(after: .now - sentAt)
        }
        for (reason, count) in failed {
            metrics.recordsRejected(topic: topic, reason: reason, count: count)
        }
    }

    /// Flushes the producer (outstanding records get `flushTimeout` to be acknowledged) and stops it.
    public func shutdown(flushTimeout: Duration = .seconds(10)) async {
        await producers.close(flushTimeout: flushTimeout)
    }
}
