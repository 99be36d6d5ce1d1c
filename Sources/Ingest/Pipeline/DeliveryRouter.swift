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

    private struct State {
        var waiting: [DeliveryTicket: Waiting] = [:]
        var early: [DeliveryTicket: Result<DeliveryReport, KafkaError>] = [:]
        var finished = false
    }

    private let state = Mutex(State())
    private let onOutcome: @Sendable (DeliveryBatch, Result<DeliveryReport, KafkaError>) -> Void

    /// `onOutcome` sees every outcome routed to a batch (for metrics).
    init(onOutcome: @escaping @Sendable (DeliveryBatch, Result<DeliveryReport, KafkaError>) -> Void) {
        self.onOutcome = onOutcome
    }

    /// Routes the outcomes of `tickets` (record index in `batch`, ticket) to `batch`.
    func register(_ tickets: [(index: Int, ticket: DeliveryTicket)], to batch: DeliveryBatch) {
        let ready: [(Int, Result<DeliveryReport, KafkaError>)] = state.withLock { state in
            var ready: [(Int, Result<DeliveryReport, KafkaError>)] = []
            for (index, ticket) in tickets {
                if let result = state.early.removeValue(forKey: ticket) {
                    ready.append((index, result))
                } else if !state.finished {
                    state.waiting[ticket] = Waiting(batch: batch, index: index)
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

    /// One outcome from the producer's delivery-report stream.
    func deliver(_ outcome: DeliveryOutcome) {
        let waiting: Waiting? = state.withLock { state in
            if let waiting = state.waiting.removeValue(forKey: outcome.ticket) { return waiting }
            state.early[outcome.ticket] = outcome.result
            return nil
        }
        if let waiting {
            onOutcome(waiting.batch, outcome.result)
            waiting.batch.resolve(waiting.index, outcome.result)
        }
    }

    /// The stream ended (the producer shut down): fails every record still waiting.
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
