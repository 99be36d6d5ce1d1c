/// One partition of one topic.
public struct TopicPartition: Sendable, Hashable, CustomStringConvertible {
    /// The topic's name.
    public var topic: String
    /// The partition number.
    public var partition: Int32

    /// The partition `partition` of `topic`.
    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    /// `topic[partition]`.
    public var description: String { "\(topic)[\(partition)]" }
}
