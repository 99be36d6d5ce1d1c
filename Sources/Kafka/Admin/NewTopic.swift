/// A topic to create with ``KafkaAdmin/createTopic(_:ifNotExists:timeout:)``.
public struct NewTopic: Sendable, Hashable {
    /// The topic's name.
    public var name: String
    /// How many partitions it gets.
    public var partitions: Int32
    /// How many replicas each partition gets; `nil` uses the broker's `default.replication.factor`.
    public var replicationFactor: Int16?
    /// Topic configuration, for example `["cleanup.policy": "compact"]`.
    public var configs: [String: String]

    /// A topic named `name`.
    public init(name: String, partitions: Int32 = 1, replicationFactor: Int16? = nil, configs: [String: String] = [:]) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.configs = configs
    }
}
