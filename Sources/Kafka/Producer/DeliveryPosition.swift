/// Where the broker wrote one acknowledged message of a ``DeliveryGroup``.
public struct DeliveryPosition: Sendable, Hashable {
    /// The partition it was written to.
    public var partition: Int32
    /// Its offset in that partition.
    public var offset: Int64

    /// The position `offset` in `partition`.
    public init(partition: Int32, offset: Int64) {
        self.partition = partition
        self.offset = offset
    }
}
