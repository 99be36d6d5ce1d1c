import Kafka

/// Records handed to the producer for one request; ``outcomes()`` waits for the broker's answer on each.
public struct PendingDelivery: Sendable {
    let batch: DeliveryBatch

    /// Each record's delivery report, or why it was not delivered, in the order they were sent.
    public func outcomes() async -> [Result<DeliveryReport, KafkaError>] {
        await batch.wait()
    }
}
