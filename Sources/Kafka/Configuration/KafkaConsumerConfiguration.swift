/// A consumer's configuration: a ``KafkaConfiguration`` property bag with consumer defaults filled in, what
/// to read (a group subscription to topics, or an explicit assignment of partitions), and typed accessors
/// over the properties tuned most often.
///
/// Defaults (only where the bag does not set them already): `enable.auto.offset.store=false` (offsets are
/// stored only through ``KafkaConsumer/storeOffset(_:)``, "processed up to here"), `enable.auto.commit=true`
/// (stored offsets are committed every `auto.commit.interval.ms`, on revoke and on close) and
/// `auto.offset.reset=earliest` (a new group reads a topic from its start).
public struct KafkaConsumerConfiguration: Sendable {
    /// Where a partition without a committed offset starts (`auto.offset.reset`).
    public enum OffsetReset: String, Sendable {
        /// The partition's first record.
        case earliest
        /// Records written after the consumer joined.
        case latest
        /// Fail instead (the consumer reports an error event).
        case error
    }

    /// How partitions are shared in the group (`partition.assignment.strategy`).
    public enum AssignmentStrategy: String, Sendable {
        /// Eager: every rebalance revokes every partition.
        case range
        /// Eager, round robin.
        case roundRobin = "roundrobin"
        /// Cooperative (incremental): a rebalance only moves the partitions that change owner.
        case cooperativeSticky = "cooperative-sticky"
    }

    /// The underlying property bag.
    public var kafka: KafkaConfiguration
    /// The topics to subscribe to as a member of the group (ignored with an ``assignment``).
    public var topics: [String]
    /// Partitions to read directly, each from its offset (or ``KafkaConsumer/offsetBeginning`` /
    /// ``KafkaConsumer/offsetEnd``), without joining a group: no rebalances, no waiting for a join, no
    /// commits. For reading a whole topic, for example a state log at startup. `nil` for group consumption.
    public var assignment: [TopicPartition: Int64]?
    /// Called on the consumer's polling thread when partitions are assigned, revoked or lost, before the
    /// consumer commits and changes its assignment: store the offsets of what was processed here.
    public var rebalanceHandler: (@Sendable (KafkaConsumerEvent) -> Void)?

    /// A configuration for group `groupID` reading `topics`, with consumer defaults for the properties `kafka` leaves unset.
    public init(groupID: String, topics: [String], kafka: KafkaConfiguration = KafkaConfiguration()) {
        self.kafka = kafka
        self.topics = topics
        self.kafka["group.id"] = groupID
        let defaults = ["enable.auto.offset.store": "false", "enable.auto.commit": "true", "auto.offset.reset": "earliest"]
        for (key, value) in defaults where kafka[key] == nil {
            self.kafka[key] = value
        }
    }

    /// A configuration that reads `assignment` without joining a group (see ``assignment``).
    public init(assignment: [TopicPartition: Int64], kafka: KafkaConfiguration = KafkaConfiguration()) {
        self.kafka = kafka
        self.topics = []
        self.assignment = assignment
        // librdkafka only builds its consumer queue with a group id; without a subscription it never joins that group.
        let defaults = [
            "group.id": "avrogate-unjoined-\(UInt64.random(in: 0 ... .max))",
            "enable.auto.commit": "false", "enable.auto.offset.store": "false",
        ]
        for (key, value) in defaults where kafka[key] == nil {
            self.kafka[key] = value
        }
    }

    /// `group.id`.
    public var groupID: String {
        get { kafka["group.id"] ?? "" }
        set { kafka["group.id"] = newValue }
    }

    /// `auto.offset.reset`.
    public var offsetReset: OffsetReset {
        get {
            switch kafka["auto.offset.reset"] {
            case "latest", "largest", "end": .latest
            case "error": .error
            default: .earliest
            }
        }
        set { kafka["auto.offset.reset"] = newValue.rawValue }
    }

    /// `partition.assignment.strategy`; `nil` is librdkafka's default (range, roundrobin).
    public var assignmentStrategy: AssignmentStrategy? {
        get { kafka["partition.assignment.strategy"].flatMap(AssignmentStrategy.init(rawValue:)) }
        set { kafka["partition.assignment.strategy"] = newValue?.rawValue }
    }

    /// `session.timeout.ms`: how long the group waits for a silent member before rebalancing.
    public var sessionTimeout: Duration? {
        get { Duration(millisecondsProperty: kafka["session.timeout.ms"]) }
        set { kafka["session.timeout.ms"] = newValue.map { String($0.milliseconds) } }
    }

    /// `max.poll.interval.ms`: the longest gap between polls before the member leaves the group
    /// (also the rebalance timeout a joining member announces).
    public var maxPollInterval: Duration? {
        get { Duration(millisecondsProperty: kafka["max.poll.interval.ms"]) }
        set { kafka["max.poll.interval.ms"] = newValue.map { String($0.milliseconds) } }
    }

    /// `auto.commit.interval.ms`: how often stored offsets are committed.
    public var autoCommitInterval: Duration? {
        get { Duration(millisecondsProperty: kafka["auto.commit.interval.ms"]) }
        set { kafka["auto.commit.interval.ms"] = newValue.map { String($0.milliseconds) } }
    }
}
