import Synchronization

/// The preparation of one writer schema id, running in its own task while the consumer keeps polling
/// (so a slow or unavailable registry never holds the consumer past `max.poll.interval.ms`).
final class SchemaFetch: Sendable {
    let schemaID: Int
    let started: ContinuousClock.Instant
    private let outcome = Mutex<WriterPlan.Preparation?>(nil)
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(schemaID: Int, prepare: @escaping @Sendable () async -> WriterPlan.Preparation) {
        self.schemaID = schemaID
        self.started = .now
        let running = Task { [self] in
            let result = await prepare()
            outcome.withLock { $0 = result }
        }
        task.withLock { $0 = running }
    }

    /// The preparation's result, once it finished.
    var result: WriterPlan.Preparation? { outcome.withLock { $0 } }

    /// Stops waiting for the registry.
    func cancel() {
        task.withLock { $0?.cancel() }
    }
}
