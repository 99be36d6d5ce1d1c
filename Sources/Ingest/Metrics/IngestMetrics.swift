import Prometheus
import Registry
import Synchronization

/// The gateway's Prometheus metrics, in a registry of its own (one per server, so tests can run
/// several servers in one process): requests, records accepted and rejected, acknowledgement
/// latency, the producer's queue and the registry client's cache.
public final class IngestMetrics: Sendable {
    /// The registry `GET /metrics` exposes.
    public let registry: PrometheusCollectorRegistry
    private let requestDuration = Mutex<[String: DurationHistogram]>([:])
    private let requests = Mutex<[String: Counter]>([:])
    private let accepted = Mutex<[String: Counter]>([:])
    private let rejected = Mutex<[String: Counter]>([:])
    private let ackLatency: DurationHistogram
    private let queueDepth: Gauge
    private let queuedByGateway: Gauge
    private let cacheCounts = Mutex<[String: Int]>([:])

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        ackLatency = registry.makeDurationHistogram(
            descriptor: Self.name("produce_ack_latency", "seconds", "Time from handing a record to the producer to the broker's acknowledgement."),
            buckets: [.microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                      .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5), .seconds(30)])
        queueDepth = registry.makeGauge(descriptor: Self.name("producer_queue_depth", "records", "Records in librdkafka's queue, not yet acknowledged or failed."))
        queuedByGateway = registry.makeGauge(descriptor: Self.name("producer_admitted", "records", "Records requests sent and still await the acknowledgement of (bounded; beyond it requests get 429)."))
    }

    /// One answered request.
    func request(route: String, method: String, status: Int, duration: Duration) {
        let key = "\(route) \(method) \(status)"
        let counter = requests.withLock { table in
            if let counter = table[key] { return counter }
            let counter = registry.makeCounter(descriptor: Self.name("http_requests", "total", "HTTP requests answered, by route, method and status."),
                                               labels: [("route", route), ("method", method), ("status", String(status))])
            table[key] = counter
            return counter
        }
        counter.increment()
        let histogram = requestDuration.withLock { table in
            if let histogram = table[route] { return histogram }
            let histogram = registry.makeDurationHistogram(
                descriptor: Self.name("http_request_duration", "seconds", "Time to answer a request, by route."), labels: [("route", route)],
                buckets: [.milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
                          .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5), .seconds(30)])
            table[route] = histogram
            return histogram
        }
        histogram.record(duration)
    }

    /// Records acknowledged by the broker.
    func recordsAccepted(topic: String, count: Int) {
        guard count > 0 else { return }
        let counter = accepted.withLock { table in
            if let counter = table[topic] { return counter }
            let counter = registry.makeCounter(descriptor: Self.name("records_accepted", "total", "Records the broker acknowledged, by topic."), labels: [("topic", topic)])
            table[topic] = counter
            return counter
        }
        counter.increment(by: Int64(count))
    }

    /// Records not produced or not acknowledged, by why (`invalid`, `malformed_json`, `queue_full`, `delivery_timeout`, …).
    func recordsRejected(topic: String, reason: String, count: Int) {
        guard count > 0 else { return }
        let key = "\(topic)\u{0}\(reason)"
        let counter = rejected.withLock { table in
            if let counter = table[key] { return counter }
            let counter = registry.makeCounter(descriptor: Self.name("records_rejected", "total", "Records rejected or not acknowledged, by topic and reason."),
                                               labels: [("topic", topic), ("reason", reason)])
            table[key] = counter
            return counter
        }
        counter.increment(by: Int64(count))
    }

    /// One record's acknowledgement latency.
    func acknowledged(after latency: Duration) {
        ackLatency.record(latency)
    }

    /// Samples the values read rather than counted (queue depths, cache statistics) before an exposition.
    func sample(queueDepth: Int, admitted: Int, cache: SchemaRegistryCacheStatistics) {
        self.queueDepth.set(Int64(queueDepth))
        queuedByGateway.set(Int64(admitted))
        let caches = [("schemas_by_id", cache.schemasByID), ("lookups", cache.lookups), ("subject_versions", cache.subjectVersions)]
        for (name, counters) in caches {
            for (outcome, value) in [("hits", counters.hits + counters.notFoundHits), ("misses", counters.misses)] {
                let previous = cacheCounts.withLock { table in
                    defer { table["\(name) \(outcome)"] = value }
                    return table["\(name) \(outcome)"] ?? 0
                }
                guard value > previous else { continue }
                registry.makeCounter(descriptor: Self.name("registry_cache_\(outcome)", "total", "Schema registry client cache \(outcome), by cache."), labels: [("cache", name)])
                    .increment(by: Int64(value - previous))
            }
        }
    }

    /// The Prometheus text exposition of every metric.
    func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }

    private static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "avrogate", metricName: metric, unitName: unit, helpText: help)
    }
}
