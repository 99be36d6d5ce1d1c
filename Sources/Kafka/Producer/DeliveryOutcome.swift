/// What happened to a message sent with ``KafkaProducer/sendWithoutWaiting(_:)``: delivered, or failed with
/// a ``KafkaError/Code/delivery`` error (librdkafka code `_PURGE_QUEUE` / `_PURGE_INFLIGHT` when
/// ``KafkaProducer/close(flushTimeout:)`` gave up waiting for it).
public struct DeliveryOutcome: Sendable {
    /// The message's ticket.
    public var ticket: DeliveryTicket
    /// The delivery report, or why the message was not delivered.
    public var result: Result<DeliveryReport, KafkaError>

    /// An outcome for the message with `ticket`.
    public init(ticket: DeliveryTicket, result: Result<DeliveryReport, KafkaError>) {
        self.ticket = ticket
        self.result = result
    }
}
