/// A producer's configuration: a ``KafkaConfiguration`` property bag with producer defaults filled in,
/// and typed accessors over the properties tuned most often.
///
/// Defaults (only where the bag does not set them already): `acks=all`, `enable.idempotence=true`,
/// `linger.ms=5`. The typed accessors read and write the same bag, so the last write wins whichever
/// way it was made; any other librdkafka producer property passes through `kafka`.
public struct KafkaProducerConfiguration: Sendable {
    /// Which acknowledgement the producer waits for (`acks`).
    public enum Acks: String, Sendable {
        /// No acknowledgement (`0`): fastest, messages can be lost silently.
        case none = "0"
        /// The partition leader wrote the message (`1`).
        case leader = "1"
        /// Every in-sync replica wrote the message (`all`).
        case all
    }

    /// Batch compression (`compression.type`).
    public enum Compression: String, Sendable, CaseIterable {
        /// No compression.
        case none
        /// gzip: smallest, slowest.
        case gzip
        /// Snappy.
        case snappy
        /// LZ4: fast, a good default for throughput.
        case lz4
        /// Zstandard: close to gzip's ratio at LZ4-like speed.
        case zstd
    }

    /// The underlying property bag.
    public var kafka: KafkaConfiguration

    /// A producer configuration over `kafka`, with producer defaults for the properties it leaves unset.
    public init(kafka: KafkaConfiguration = KafkaConfiguration()) {
        self.kafka = kafka
        let defaults = ["acks": Acks.all.rawValue, "enable.idempotence": "true", "linger.ms": "5"]
        for (key, value) in defaults where kafka[key] == nil {
            self.kafka[key] = value
        }
    }

    /// `acks`.
    public var acks: Acks {
        get { kafka["acks"].flatMap { Acks(rawValue: $0 == "-1" ? "all" : $0) } ?? .all }
        set { kafka["acks"] = newValue.rawValue }
    }

    /// `enable.idempotence`: exactly-once, in-order delivery per partition despite retries.
    public var idempotence: Bool {
        get { kafka["enable.idempotence"] == "true" }
        set { kafka["enable.idempotence"] = newValue ? "true" : "false" }
    }

    /// `compression.type` (librdkafka also accepts the alias `compression.codec`).
    public var compression: Compression {
        get { (kafka["compression.type"] ?? kafka["compression.codec"]).flatMap(Compression.init(rawValue:)) ?? .none }
        set {
            kafka["compression.codec"] = nil
            kafka["compression.type"] = newValue.rawValue
        }
    }

    /// `linger.ms`: how long a message may wait for others to fill its batch.
    public var linger: Duration {
        get { Duration(millisecondsProperty: kafka["linger.ms"] ?? kafka["queue.buffering.max.ms"]) ?? .milliseconds(5) }
        set {
            kafka["queue.buffering.max.ms"] = nil
            kafka["linger.ms"] = String(newValue.milliseconds)
        }
    }

    /// `batch.size`: the largest batch in bytes; `nil` is librdkafka's default.
    public var batchBytes: Int? {
        get { kafka["batch.size"].flatMap { Int($0) } }
        set { kafka["batch.size"] = newValue.map(String.init) }
    }

    /// `batch.num.messages`: the most messages in one batch; `nil` is librdkafka's default.
    public var batchMessages: Int? {
        get { kafka["batch.num.messages"].flatMap { Int($0) } }
        set { kafka["batch.num.messages"] = newValue.map(String.init) }
    }

    /// `queue.buffering.max.messages`: the most messages waiting for delivery before sends fail with
    /// ``KafkaError/Code/queueFull``; `nil` is librdkafka's default.
    public var queueMaxMessages: Int? {
        get { kafka["queue.buffering.max.messages"].flatMap { Int($0) } }
        set { kafka["queue.buffering.max.messages"] = newValue.map(String.init) }
    }

    /// `queue.buffering.max.kbytes`: the same bound in kilobytes.
    public var queueMaxKilobytes: Int? {
        get { kafka["queue.buffering.max.kbytes"].flatMap { Int($0) } }
        set { kafka["queue.buffering.max.kbytes"] = newValue.map(String.init) }
    }

    /// `message.timeout.ms`: how long a message may take to be acknowledged, retries included,
    /// before its delivery fails; `nil` is librdkafka's default (300 s).
    public var messageTimeout: Duration? {
        get { Duration(millisecondsProperty: kafka["message.timeout.ms"] ?? kafka["delivery.timeout.ms"]) }
        set {
            kafka["delivery.timeout.ms"] = nil
            kafka["message.timeout.ms"] = newValue.map { String($0.milliseconds) }
        }
    }

    /// `statistics.interval.ms`: how often librdkafka reports its statistics (``KafkaProducer/statistics``);
    /// `nil` or zero: no reports.
    public var statisticsInterval: Duration? {
        get { Duration(millisecondsProperty: kafka["statistics.interval.ms"]).flatMap { $0 > .zero ? $0 : nil } }
        set { kafka["statistics.interval.ms"] = newValue.map { String($0.milliseconds) } }
    }
}
