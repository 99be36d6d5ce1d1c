import Kafka
import Synchronization

/// Rebalance events, recorded by the consumer's rebalance handler while it polls and read by the loop
/// right after the poll returns, before the records of that poll are queued.
final class RebalanceLog: Sendable {
    private let events = Mutex<[KafkaConsumerEvent]>([])

    func append(_ event: KafkaConsumerEvent) {
        events.withLock { $0.append(event) }
    }

    /// The events since the last call, oldest first.
    func drain() -> [KafkaConsumerEvent] {
        events.withLock { events in
            defer { events.removeAll() }
            return events
        }
    }
}
