/// The broker acknowledged a message: where it was written.
public struct DeliveryReport: Sendable, Hashable {
    /// The message's ticket.
    public var ticket: DeliveryTicket
    /// The topic it was written to.
    public var topic: String
    /// The partition it was written to.
    public var partition: Int32
    /// Its offset in that partition.
    public var offset: Int64

    /// A report of a delivered message.
    public init(ticket: DeliveryTicket, topic: String, partition: Int32, offset: Int64) {
        self.ticket = ticket
        self.topic = topic
        self.partition = partition
        self.offset = offset
    }
}
