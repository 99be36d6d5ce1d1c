import Kafka
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
            descriptor: Self.name("produce_ack_latency", "seconds", "Per request: time from handing its records to the producer to the last one's acknowledgement or failure."),
            buckets: [.microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                      .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5), .seconds(30)])
        queueDepth = registry.makeGauge(descriptor: Self.name("producer_queue_depth", "records", "Records in librdkafka's queue, not yet acknowledged or failed."))
        queuedByGateway = registry.makeGauge(descriptor: Self.name("producer_admitted", "records", "Records requests sent and still await the acknowledgement of (bounded; beyond it requests get 429)."))
    }

    /// The producer was replaced after an error it could not recover from.
    func producerReplaced() {
        registry.makeCounter(descriptor: Self.name("producer_replacements", "total", "Times the Kafka producer was replaced after an error it cannot recover from (fenced, fatal).")).increment()
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

    /// One request's acknowledgement latency (its last record's). Per request, not per record: a batch's
    /// records are acknowledged together, and an observation each cost more than producing them.
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

    /// Samples librdkafka's latest statistics report: per broker whether it is up, round-trip times, requests in
    /// flight, and the running totals of send errors, retries, request timeouts and disconnects.
    func sample(statistics: KafkaStatistics?) {
        guard let statistics else { return }
        func gauge(_ metric: String, _ unit: String, _ help: String, _ broker: KafkaStatistics.Broker) -> Gauge {
            registry.makeGauge(descriptor: Self.name(metric, unit, help), labels: [("broker", broker.name)])
        }
        registry.makeGauge(descriptor: Self.name("producer_queue", "bytes", "Bytes of the records in librdkafka's queue (statistics)."))
            .set(statistics.queuedBytes)
        for broker in statistics.brokers {
            gauge("kafka_broker_up", "", "1 while the connection to the broker is up, else 0.", broker).set(to: broker.state == "UP" ? 1.0 : 0.0)
            if let rtt = broker.roundTrip, rtt.count > 0 {
                gauge("kafka_broker_rtt_average", "seconds", "Average request round-trip time to the broker in the last statistics window.", broker)
                    .set(Double(rtt.average) / 1e6)
                gauge("kafka_broker_rtt_p99", "seconds", "99th percentile request round-trip time to the broker in the last statistics window.", broker)
                    .set(Double(rtt.p99) / 1e6)
            }
            gauge("kafka_broker_requests_in_flight", "", "Requests sent to the broker and awaiting their response.", broker).set(broker.awaitingResponse)
            gauge("kafka_broker_send_errors", "", "Requests to the broker that failed to send, since start.", broker).set(broker.sendErrors)
            gauge("kafka_broker_retries", "", "Requests to the broker retried, since start.", broker).set(broker.retries)
            gauge("kafka_broker_request_timeouts", "", "Requests to the broker that timed out, since start.", broker).set(broker.requestTimeouts)
            gauge("kafka_broker_disconnects", "", "Times the connection to the broker was lost, since start.", broker).set(broker.disconnects)
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
