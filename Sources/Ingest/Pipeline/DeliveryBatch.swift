import Kafka
import Synchronization

/// The delivery outcomes of one request's records, filled in as the broker acknowledges them;
/// ``wait()`` returns once every record has one.
final class DeliveryBatch: Sendable {
    private struct State {
        var results: [Result<DeliveryReport, KafkaError>?]
        var remaining: Int
        var waiter: CheckedContinuation<[Result<DeliveryReport, KafkaError>], Never>?
    }

    private let state: Mutex<State>
    /// The topic the records went to.
    let topic: String
    /// When the records were handed to the producer, for the acknowledgement latency.
    let sentAt: ContinuousClock.Instant
    private let onComplete: @Sendable () -> Void

    init(topic: String, count: Int, sentAt: ContinuousClock.Instant, onComplete: @escaping @Sendable () -> Void) {
        self.topic = topic
        self.state = Mutex(State(results: Array(repeating: nil, count: count), remaining: count))
        self.sentAt = sentAt
        self.onComplete = onComplete
        if count == 0 { onComplete() }
    }

    /// Records the outcome of record `index`.
    func resolve(_ index: Int, _ result: Result<DeliveryReport, KafkaError>) {
        let finished: (CheckedContinuation<[Result<DeliveryReport, KafkaError>], Never>?, [Result<DeliveryReport, KafkaError>])? = state.withLock { state in
            if case .some = state.results[index] { return nil }
            state.results[index] = result
            state.remaining -= 1
            guard state.remaining == 0 else { return nil }
            defer { state.waiter = nil }
            return (state.waiter, state.results.map { $0! })
        }
        if let (waiter, results) = finished {
            onComplete()
            waiter?.resume(returning: results)
        }
    }

    /// Every record's outcome, in the order they were sent.
    func wait() async -> [Result<DeliveryReport, KafkaError>] {
        await withCheckedContinuation { continuation in
            let ready: [Result<DeliveryReport, KafkaError>]? = state.withLock { state in
                if state.remaining == 0 { return state.results.map { $0! } }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
