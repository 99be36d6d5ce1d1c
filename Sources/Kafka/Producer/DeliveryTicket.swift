/// Identifies one message handed to ``KafkaProducer/sendWithoutWaiting(_:)``; its ``DeliveryOutcome``
/// carries the same ticket. Tickets of one producer increase in the order the messages were sent.
public struct DeliveryTicket: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The producer-local sequence number.
    public let rawValue: UInt64

    /// A ticket with the given sequence number.
    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    /// Sent earlier.
    public static func < (lhs: DeliveryTicket, rhs: DeliveryTicket) -> Bool { lhs.rawValue < rhs.rawValue }

    /// `#` and the sequence number.
    public var description: String { "#\(rawValue)" }
}
