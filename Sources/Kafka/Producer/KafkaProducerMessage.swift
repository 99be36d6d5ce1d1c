/// A record to produce.
public struct KafkaProducerMessage: Sendable, Hashable {
    /// The topic to write to.
    public var topic: String
    /// The partition to write to; `nil` lets the partitioner choose from the key (librdkafka's
    /// `consistent_random` by default: the same key goes to the same partition).
    public var partition: Int32?
    /// The key; `nil` is a null key.
    public var key: [UInt8]?
    /// The value; `nil` is a tombstone (deletes the key in a compacted topic).
    public var value: [UInt8]?
    /// The headers.
    public var headers: [KafkaHeader]

    /// A record for `topic`.
    public init(topic: String, partition: Int32? = nil, key: [UInt8]? = nil, value: [UInt8]?, headers: [KafkaHeader] = []) {
        self.topic = topic
        self.partition = partition
        self.key = key
        self.value = value
        self.headers = headers
    }
}
