import Kafka
import Synchronization

/// Hands each delivery report of the shared producer to the request that sent the record.
///
/// A report can arrive before its request has registered the ticket (the broker is fast, or the
/// send failed at once), so reports without a registered ticket wait here until it is.
final class DeliveryRouter: Sendable {
    private struct Waiting {
        var batch: DeliveryBatch
        var index: Int
    }

    /// A ticket of one producer generation (see ``ProducerPool``): tickets restart with each producer.
    struct Key: Hashable {
        var generation: Int
        var ticket: DeliveryTicket
    }

    private struct State {
        var waiting: [Key: Waiting] = [:]
        var early: [Key: Result<DeliveryReport, KafkaError>] = [:]
        var finished = false
    }

    private let state = Mutex(State())
    private let onOutcome: @Sendable (DeliveryBatch, Result<DeliveryReport, KafkaError>) -> Void

    /// `onOutcome` sees every outcome routed to a batch (for metrics).
    init(onOutcome: @escaping @Sendable (DeliveryBatch, Result<DeliveryReport, KafkaError>) -> Void) {
        self.onOutcome = onOutcome
    }

    /// Routes the outcomes of `tickets` (record index in `batch`, ticket of producer `generation`) to `batch`.
    func register(_ tickets: [(index: Int, ticket: DeliveryTicket)], generation: Int, to batch: DeliveryBatch) {
        let ready: [(Int, Result<DeliveryReport, KafkaError>)] = state.withLock { state in
            var ready: [(Int, Result<DeliveryReport, KafkaError>)] = []
            for (index, ticket) in tickets {
                let key = Key(generation: generation, ticket: ticket)
                if let result = state.early.removeValue(forKey: key) {
                    ready.append((index, result))
                } else if !state.finished {
                    state.waiting[key] = Waiting(batch: batch, index: index)
                } else {
                    ready.append((index, .failure(Self.closed)))
                }
            }
            return ready
        }
        for (index, result) in ready {
            onOutcome(batch, result)
            batch.resolve(index, result)
        }
    }

    /// One outcome from the delivery-report stream of producer `generation`.
    func deliver(_ outcome: DeliveryOutcome, generation: Int) {
        let key = Key(generation: generation, ticket: outcome.ticket)
        let waiting: Waiting? = state.withLock { state in
            if let waiting = state.waiting.removeValue(forKey: key) { return waiting }
            state.early[key] = outcome.result
            return nil
        }
        if let waiting {
            onOutcome(waiting.batch, outcome.result)
            waiting.batch.resolve(waiting.index, outcome.result)
        }
    }

    /// Every producer shut down: fails every record still waiting.
    func finish() {
        let waiting = state.withLock { state in
            state.finished = true
            defer { state.waiting.removeAll() }
            return state.waiting
        }
        for (_, entry) in waiting {
            onOutcome(entry.batch, .failure(Self.closed))
            entry.batch.resolve(entry.index, .failure(Self.closed))
        }
    }

    private static let closed = KafkaError(code: .closed, message: "the producer shut down before the record was acknowledged")
}
