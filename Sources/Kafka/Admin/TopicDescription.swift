/// A topic as the cluster's metadata describes it.
public struct TopicDescription: Sendable, Hashable {
    /// One partition of the topic.
    public struct Partition: Sendable, Hashable {
        /// The partition number.
        public var id: Int32
        /// The broker leading the partition (`-1` when there is none).
        public var leader: Int32
        /// The brokers holding replicas.
        public var replicas: [Int32]
    }

    /// The topic's name.
    public var name: String
    /// Its partitions, by number.
    public var partitions: [Partition]

    /// How many partitions the topic has.
    public var partitionCount: Int { partitions.count }
}
