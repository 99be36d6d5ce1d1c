import Kafka
import Synchronization

/// What the decoding consumer has done so far: records decoded, tombstones, records dead-lettered or
/// skipped by reason, the position reached in each partition, and how long decoding a record takes.
/// Rendered in the Prometheus text format by ``prometheusText(highWatermarks:)``.
public final class ConsumerMetrics: Sendable {
    /// The decode-latency histogram's bucket bounds, in seconds.
    public static let latencyBuckets: [Double] = [0.000_005, 0.000_01, 0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.01, 0.1]

    /// A copy of every count at one moment.
    public struct Snapshot: Sendable, Hashable {
        /// Records written (tombstones included), by source topic.
        public var written: [String: Int] = [:]
        /// Tombstones written, by source topic.
        public var tombstones: [String: Int] = [:]
        /// Records sent to the dead-letter topic, by reason.
        public var deadLettered: [UndecodableRecord.Reason: Int] = [:]
        /// Undecodable records skipped (``ErrorPolicy/skip``), by reason.
        public var skipped: [UndecodableRecord.Reason: Int] = [:]
        /// The offset processing resumes at, by partition (last processed + 1).
        public var positions: [TopicPartition: Int64] = [:]
        /// Times a schema fetch failed because the registry was unavailable and was retried.
        public var registryRetries: Int = 0
        /// Decode-latency observations per bucket of ``ConsumerMetrics/latencyBuckets`` (not cumulative), then above the last.
        public var latencyCounts: [Int] = Array(repeating: 0, count: ConsumerMetrics.latencyBuckets.count + 1)
        /// The sum of the observed decode latencies, in seconds.
        public var latencySum: Double = 0
        /// When the first batch with records started being processed.
        public var firstBatchStarted: ContinuousClock.Instant?
        /// When the last batch with records was done (written, dead letters acknowledged, offsets stored).
        public var lastBatchFinished: ContinuousClock.Instant?

        /// The time from the first record's batch to the last one's end: what throughput is measured over.
        public var busyDuration: Duration? {
            guard let firstBatchStarted, let lastBatchFinished else { return nil }
            return lastBatchFinished - firstBatchStarted
        }

        /// Every record handled: written, dead-lettered or skipped.
        public var handled: Int {
            written.values.reduce(0, +) + deadLettered.values.reduce(0, +) + skipped.values.reduce(0, +)
        }
    }

    private let state = Mutex(Snapshot())

    /// All counts at zero.
    public init() {}

    /// The counts now.
    public var snapshot: Snapshot { state.withLock { $0 } }

    /// Adds one batch's counts (one lock per batch, not per record).
    func add(_ tally: BatchTally) {
        state.withLock { snapshot in
            for (topic, count) in tally.written { snapshot.written[topic, default: 0] += count }
            for (topic, count) in tally.tombstones { snapshot.tombstones[topic, default: 0] += count }
            for (reason, count) in tally.deadLettered { snapshot.deadLettered[reason, default: 0] += count }
            for (reason, count) in tally.skipped { snapshot.skipped[reason, default: 0] += count }
            for (partition, offset) in tally.positions { snapshot.positions[partition] = offset }
            for index in tally.latencyCounts.indices { snapshot.latencyCounts[index] += tally.latencyCounts[index] }
            snapshot.latencySum += tally.latencySum
            if tally.handled > 0 {
                snapshot.firstBatchStarted = snapshot.firstBatchStarted ?? tally.started
                snapshot.lastBatchFinished = .now
            }
        }
    }

    func registryRetried() {
        state.withLock { $0.registryRetries += 1 }
    }

    /// The metrics in the Prometheus text exposition format; lag per partition is `highWatermarks` minus
    /// the position reached, for the partitions both know.
    public func prometheusText(highWatermarks: [TopicPartition: Int64] = [:]) -> String {
        let snapshot = self.snapshot
        var out = ""
        func family(_ name: String, _ type: String, _ help: String) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
        }
        family("avrogate_consumer_records_written_total", "counter", "Records decoded and written, tombstones included.")
        for (topic, count) in snapshot.written.sorted(by: { $0.key < $1.key }) {
            out += "avrogate_consumer_records_written_total{topic=\"\(Self.escape(topic))\"} \(count)\n"
        }
        family("avrogate_consumer_tombstones_total", "counter", "Records with a null value, written as null.")
        for (topic, count) in snapshot.tombstones.sorted(by: { $0.key < $1.key }) {
            out += "avrogate_consumer_tombstones_total{topic=\"\(Self.escape(topic))\"} \(count)\n"
        }
        family("avrogate_consumer_records_dead_lettered_total", "counter", "Undecodable records sent to the dead-letter topic, by reason.")
        for reason in UndecodableRecord.Reason.allCases {
            out += "avrogate_consumer_records_dead_lettered_total{reason=\"\(reason.rawValue)\"} \(snapshot.deadLettered[reason] ?? 0)\n"
        }
        family("avrogate_consumer_records_skipped_total", "counter", "Undecodable records skipped, by reason.")
        for reason in UndecodableRecord.Reason.allCases {
            out += "avrogate_consumer_records_skipped_total{reason=\"\(reason.rawValue)\"} \(snapshot.skipped[reason] ?? 0)\n"
        }
        family("avrogate_consumer_registry_retries_total", "counter", "Schema fetches retried because the registry was unavailable.")
        out += "avrogate_consumer_registry_retries_total \(snapshot.registryRetries)\n"
        family("avrogate_consumer_position", "gauge", "The next offset to process, by partition.")
        let partitions = snapshot.positions.keys.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
        for partition in partitions {
            out += "avrogate_consumer_position{\(Self.labels(partition))} \(snapshot.positions[partition] ?? 0)\n"
        }
        family("avrogate_consumer_lag", "gauge", "Records in the partition not yet processed (high watermark minus position).")
        for partition in partitions {
            guard let high = highWatermarks[partition], let position = snapshot.positions[partition] else { continue }
            out += "avrogate_consumer_lag{\(Self.labels(partition))} \(max(0, high - position))\n"
        }
        family("avrogate_consumer_decode_seconds", "histogram", "Time to decode, resolve and format one record.")
        var cumulative = 0
        for (index, bound) in Self.latencyBuckets.enumerated() {
            cumulative += snapshot.latencyCounts[index]
            out += "avrogate_consumer_decode_seconds_bucket{le=\"\(bound)\"} \(cumulative)\n"
        }
        cumulative += snapshot.latencyCounts[Self.latencyBuckets.count]
        out += "avrogate_consumer_decode_seconds_bucket{le=\"+Inf\"} \(cumulative)\n"
        out += "avrogate_consumer_decode_seconds_sum \(snapshot.latencySum)\n"
        out += "avrogate_consumer_decode_seconds_count \(cumulative)\n"
        return out
    }

    private static func labels(_ partition: TopicPartition) -> String {
        "topic=\"\(escape(partition.topic))\",partition=\"\(partition.partition)\""
    }

    private static func escape(_ value: String) -> String {
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}

/// One batch's counts, gathered without locking and added to ``ConsumerMetrics`` at the end of the batch.
struct BatchTally {
    var started = ContinuousClock.now
    var written: [String: Int] = [:]
    var tombstones: [String: Int] = [:]
    var deadLettered: [UndecodableRecord.Reason: Int] = [:]
    var skipped: [UndecodableRecord.Reason: Int] = [:]
    var positions: [TopicPartition: Int64] = [:]
    var latencyCounts: [Int] = Array(repeating: 0, count: ConsumerMetrics.latencyBuckets.count + 1)
    var latencySum: Double = 0

    /// Observes `count` records that each took `duration`.
    mutating func observeLatency(_ duration: Duration, count: Int) {
        let seconds = duration / .seconds(1)
        latencySum += seconds * Double(count)
        let bucket = ConsumerMetrics.latencyBuckets.firstIndex { seconds <= $0 } ?? ConsumerMetrics.latencyBuckets.count
        latencyCounts[bucket] += count
    }

    /// Adds the latency observations of `other`.
    mutating func addLatencies(of other: BatchTally) {
        for index in latencyCounts.indices { latencyCounts[index] += other.latencyCounts[index] }
        latencySum += other.latencySum
    }

    var handled: Int {
        written.values.reduce(0, +) + deadLettered.values.reduce(0, +) + skipped.values.reduce(0, +)
    }
}
