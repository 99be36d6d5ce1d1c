import Kafka

/// Records handed to the producer for one request; ``outcomes()`` waits for the broker's answer on each.
public struct PendingDelivery: Sendable {
    let group: DeliveryGroup

    /// Each record's position in its partition, or why it was not delivered, in the order they were sent.
    public func outcomes() async -> [Result<DeliveryPosition, KafkaError>] {
        await group.wait()
        return group.results
    }
}
