import Kafka
import Registry

/// Everything `avrogate serve` (and ``IngestPipeline``) needs: where to listen, which cluster and
/// registry, how subjects are named, keys, limits and authentication.
public struct IngestConfiguration: Sendable {
    /// The address to bind; loopback unless exposing the API is intended.
    public var host: String
    /// The port to bind; 0 picks a free one (``IngestServer/start()`` returns it).
    public var port: Int
    /// Connection, security and pass-through librdkafka properties (`--kafka-property`).
    public var kafka: KafkaConfiguration
    /// How the registry is reached (read-only: the ingest path never registers schemas).
    public var registry: SchemaRegistryClientConfiguration
    /// How a topic's value subject is named.
    public var subjectStrategy: SubjectNameStrategy
    /// The record full name per topic, for the record subject name strategies (`--value-record`).
    public var valueRecordNames: [String: String]
    /// The top-level event field whose value is the record key, per topic (`--key-field`).
    public var keyFields: [String: String]
    /// What one request may hold.
    public var limits: IngestLimits
    /// How long the broker may take to acknowledge a record (`message.timeout.ms`) before its
    /// request gets a 503 for it.
    public var deliveryTimeout: Duration
    /// Records sent and not yet acknowledged, over all requests; beyond it requests get 429.
    public var maxQueuedRecords: Int
    /// The same bound in bytes of keys and values: what bounds the gateway's memory under load.
    public var maxQueuedBytes: Int
    /// How long each readiness check may take.
    public var readinessTimeout: Duration
    /// The API keys; `nil` turns authentication off.
    public var apiKeys: APIKeys?
    /// Event fields the schema does not know are skipped instead of rejected.
    public var ignoreUnknownFields: Bool

    /// A configuration for the cluster at `brokers` and the registry at `registryURLs`.
    public init(brokers: String, registryURLs: [String], host: String = "127.0.0.1", port: Int = 8080) {
        self.host = host
        self.port = port
        self.kafka = KafkaConfiguration(bootstrapServers: brokers)
        self.registry = SchemaRegistryClientConfiguration(urls: registryURLs)
        self.subjectStrategy = .topicName
        self.valueRecordNames = [:]
        self.keyFields = [:]
        self.limits = IngestLimits()
        self.deliveryTimeout = .seconds(30)
        self.maxQueuedRecords = 100_000
        self.maxQueuedBytes = 64 << 20
        self.readinessTimeout = .seconds(2)
        self.apiKeys = nil
        self.ignoreUnknownFields = false
    }

    /// The producer's configuration: `acks=all`, idempotence, and a local queue larger than the
    /// admission bound, so that sends are refused by the gateway (429) before librdkafka's queue fills.
    /// `linger.ms` defaults to 1 rather than 5: a request's records are enqueued together and batch
    /// anyway, and every request waits for its acknowledgement, so lingering only adds latency.
    public var producer: KafkaProducerConfiguration {
        var kafka = kafka
        if kafka["linger.ms"] == nil && kafka["queue.buffering.max.ms"] == nil {
            kafka["linger.ms"] = "1"
        }
        // librdkafka's statistics feed GET /metrics (broker round trips, timeouts, errors) unless configured otherwise.
        if kafka["statistics.interval.ms"] == nil {
            kafka["statistics.interval.ms"] = "5000"
        }
        var producer = KafkaProducerConfiguration(kafka: kafka)
        producer.acks = .all
        producer.idempotence = true
        producer.messageTimeout = deliveryTimeout
        producer.queueMaxMessages = max(producer.queueMaxMessages ?? 0, maxQueuedRecords + maxQueuedRecords / 10)
        producer.queueMaxKilobytes = max(producer.queueMaxKilobytes ?? 0, (maxQueuedBytes + maxQueuedBytes / 10) / 1024)
        return producer
    }
}
