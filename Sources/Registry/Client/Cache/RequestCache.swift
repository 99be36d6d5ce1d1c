/// Answers from the registry, kept for a while, with one request in flight per key: callers
/// that ask for a key already being fetched wait for that fetch instead of sending their own.
/// "Not found" answers (40401, 40402, 40403) are kept for a shorter time when `notFoundTTL` is set.
final class RequestCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private enum Entry {
        case value(Value, expires: ContinuousClock.Instant?)
        case notFound(SchemaRegistryError, expires: ContinuousClock.Instant)
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var inFlight: [Key: Task<Value, any Error>] = [:]
        var counters = SchemaRegistryCacheStatistics.Counters()
        /// Entry count after the last sweep of expired entries; the next sweep waits until it doubles.
        var sweptCount = 64
    }

    /// How long a value is kept.
    enum Retention: Sendable {
        /// For the cache's lifetime: the value can never change.
        case forever
        /// For this long; zero or less keeps nothing (requests are still shared while in flight).
        case timeToLive(Duration)
    }

    private enum Lookup {
        case hit(Value)
        case notFound(SchemaRegistryError)
        case wait(Task<Value, any Error>)
    }

    private let state = LockedState(State())
    private let retention: Retention
    private let notFoundTTL: Duration?

    /// `notFoundTTL`: how long "not found" answers are kept; `nil` or zero keeps none.
    init(retention: Retention, notFoundTTL: Duration?) {
        self.retention = retention
        self.notFoundTTL = notFoundTTL.flatMap { $0 > .zero ? $0 : nil }
    }

    var counters: SchemaRegistryCacheStatistics.Counters { state.withLock { $0.counters } }

    /// The cached value, or the fetched one; concurrent callers for one key share one fetch.
    func value(for key: Key, fetch: @escaping @Sendable () async throws(SchemaRegistryError) -> Value) async throws(SchemaRegistryError) -> Value {
        let now = ContinuousClock.now
        let lookup: Lookup = state.withLock { state in
            switch state.entries[key] {
            case .value(let value, let expires) where expires.map({ now < $0 }) ?? true:
                state.counters.hits += 1
                return .hit(value)
            case .notFound(let error, let expires) where now < expires:
                state.counters.notFoundHits += 1
                return .notFound(error)
            default:
                break
            }
            if let task = state.inFlight[key] {
                state.counters.coalesced += 1
                return .wait(task)
            }
            state.counters.misses += 1
            let task = Task<Value, any Error> { [self] in
                do {
                    let value = try await fetch()
                    finish(key, with: .success(value))
                    return value
                } catch {
                    finish(key, with: .failure(error))
                    throw error
                }
            }
            state.inFlight[key] = task
            return .wait(task)
        }
        switch lookup {
        case .hit(let value): return value
        case .notFound(let error): throw error
        case .wait(let task):
            do {
                return try await task.value
            } catch let error as SchemaRegistryError {
                throw error
            } catch {
                throw SchemaRegistryError(kind: .cancelled, message: "\(error)")
            }
        }
    }

    /// The cached value if there is a fresh one; counts nothing.
    func cachedValue(for key: Key) -> Value? {
        let now = ContinuousClock.now
        return state.withLock { state in
            if case .value(let value, let expires)? = state.entries[key], expires.map({ now < $0 }) ?? true { return value }
            return nil
        }
    }

    /// Stores a value learnt from another request.
    func store(_ value: Value, for key: Key) {
        guard let entry = entry(for: value, now: .now) else { return }
        state.withLock { $0.entries[key] = entry }
    }

    /// Forgets the entries whose keys match, found or not found.
    func removeAll(where matches: (Key) -> Bool) {
        state.withLock { state in
            for key in state.entries.keys where matches(key) { state.entries[key] = nil }
        }
    }

    /// Forgets the "not found" entries whose keys match, after a change that may have created them.
    func removeNotFound(where matches: (Key) -> Bool) {
        state.withLock { state in
            for (key, entry) in state.entries where matches(key) {
                if case .notFound = entry { state.entries[key] = nil }
            }
        }
    }

    private func finish(_ key: Key, with result: Result<Value, any Error>) {
        let now = ContinuousClock.now
        state.withLock { state in
            state.inFlight[key] = nil
            switch result {
            case .success(let value):
                guard let entry = entry(for: value, now: now) else { return }
                state.entries[key] = entry
            case .failure(let error as SchemaRegistryError) where Self.isCachedNotFound(error):
                guard let notFoundTTL else { return }
                state.entries[key] = .notFound(error, expires: now + notFoundTTL)
            case .failure:
                return
            }
            if state.entries.count >= 2 * state.sweptCount {
                state.entries = state.entries.filter { _, entry in
                    switch entry {
                    case .value(_, let expires): expires.map { now < $0 } ?? true
                    case .notFound(_, let expires): now < expires
                    }
                }
                state.sweptCount = max(64, state.entries.count)
            }
        }
    }

    /// The entry to keep for a value, or `nil` when values are not kept.
    private func entry(for value: Value, now: ContinuousClock.Instant) -> Entry? {
        switch retention {
        case .forever: .value(value, expires: nil)
        case .timeToLive(let ttl) where ttl > .zero: .value(value, expires: now + ttl)
        case .timeToLive: nil
        }
    }

    private static func isCachedNotFound(_ error: SchemaRegistryError) -> Bool {
        switch error.code {
        case .subjectNotFound, .versionNotFound, .schemaNotFound: true
        default: false
        }
    }
}
