import Logging
import Registry

/// Keeps a ``RegistryState`` in step with a ``SchemaLog`` and performs writes on it.
///
/// A reader task applies every record of the log, from its start, as it arrives. A write runs
/// alone among this instance's writes: it catches up with the log's end (by appending a NOOP
/// marker and waiting until it is applied), plans against the state, appends its records, and
/// waits until they are applied before answering, so a client reads its own writes. If the state
/// then shows another instance's record won (see ``RegistryState``), the write is planned again.
final class SchemaStore: Sendable {
    private struct Shared {
        var registry = RegistryState()
        var waiters: [Int: (offset: Int64, continuation: CheckedContinuation<Void, any Error>)] = [:]
        var nextWaiter = 0
        /// Set when the reader stopped: every wait fails with it.
        var failure: (any Error)?
        var reader: Task<Void, Never>?
    }

    let log: any SchemaLog
    private let shared = LockedState(Shared())
    private let gate = AsyncSerialGate()
    private let logger: Logger
    /// How long a write waits for its records to come back from the log.
    let applyTimeout: Duration
    /// How many times a write is planned again after losing a race, before giving up.
    let maxAttempts: Int

    init(log: any SchemaLog, logger: Logger, applyTimeout: Duration = .seconds(30), maxAttempts: Int = 20) {
        self.log = log
        self.logger = logger
        self.applyTimeout = applyTimeout
        self.maxAttempts = maxAttempts
    }

    /// Starts applying the log and returns once everything written before the call is applied.
    func start() async throws {
        let records = log.records(from: 0)
        let task = Task { [weak self] in
            do {
                for try await record in records {
                    guard let self else { return }
                    self.apply(record)
                }
                self?.stopReading(with: SchemaLogClosed())
            } catch {
                self?.stopReading(with: error)
            }
        }
        shared.withLock { $0.reader = task }
        try await catchUp()
    }

    /// Stops reading and closes the log.
    func stop() async {
        let reader = shared.withLock { $0.reader }
        await log.close()
        reader?.cancel()
        stopReading(with: SchemaLogClosed())
    }

    /// Reads the current state.
    func read<T>(_ body: (RegistryState) throws -> T) rethrows -> T {
        try shared.withLock { try body($0.registry) }
    }

    /// Plans, appends and confirms a write; see the type's description.
    func write<T: Sendable>(_ plan: @escaping @Sendable (RegistryState) throws -> WritePlan<T>) async throws -> T {
        try await gate.run {
            for attempt in 1 ... self.maxAttempts {
                // After a lost race the state is applied through this write's own record, which is
                // as current as a marker would make it; skipping the marker shortens the retry and
                // lets the instance that lost go first next time.
                if attempt == 1 { try await self.catchUp() }
                switch try self.read(plan) {
                case .done(let result):
                    return result
                case .append(let records, let outcome):
                    let offsets = try await self.append(records)
                    if let last = offsets.last { try await self.waitApplied(last) }
                    if let result = self.read(outcome) { return result }
                    self.logger.debug("write lost a race with another instance; planning again", metadata: ["attempt": "\(attempt)"])
                }
            }
            throw RegistryHTTPError.storeError("Error while writing to the Kafka store: \(self.maxAttempts) attempts lost to concurrent writes")
        }
    }

    /// Waits until everything in the log before this call is applied.
    func catchUp() async throws {
        let offsets = try await append([LogRecord(key: RecordKey.noop.bytes, value: nil)])
        try await waitApplied(offsets[0])
    }

    private func append(_ records: [LogRecord]) async throws -> [Int64] {
        do {
            return try await log.append(records)
        } catch let error as RegistryHTTPError {
            throw error
        } catch {
            throw RegistryHTTPError.storeError("Error while writing to the Kafka store: \(error)")
        }
    }

    private func apply(_ record: LoggedRecord) {
        let ready = shared.withLock { shared in
            shared.registry.apply(record)
            let applied = shared.registry.appliedOffset
            let ready = shared.waiters.filter { $0.value.offset <= applied }
            for id in ready.keys { shared.waiters[id] = nil }
            return ready.values.map(\.continuation)
        }
        for continuation in ready { continuation.resume() }
    }

    private func stopReading(with error: any Error) {
        let waiting = shared.withLock { shared in
            if shared.failure == nil { shared.failure = error }
            defer { shared.waiters = [:] }
            return shared.waiters.values.map(\.continuation)
        }
        if !waiting.isEmpty { logger.error("schema log reader stopped", metadata: ["error": "\(error)"]) }
        for continuation in waiting { continuation.resume(throwing: RegistryHTTPError.storeError("Error while reading the Kafka store: \(error)")) }
    }

    /// Waits until the record at `offset` is applied.
    private func waitApplied(_ offset: Int64) async throws {
        let id: Int? = try shared.withLock { shared in
            if let failure = shared.failure { throw RegistryHTTPError.storeError("Error while reading the Kafka store: \(failure)") }
            guard shared.registry.appliedOffset < offset else { return nil }
            defer { shared.nextWaiter += 1 }
            return shared.nextWaiter
        }
        guard let id else { return }
        let timeout = Task { [weak self, applyTimeout] in
            try? await Task.sleep(for: applyTimeout)
            guard !Task.isCancelled, let self else { return }
            let waiter = self.shared.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.continuation.resume(throwing: RegistryHTTPError.operationTimeout(
                "Write to the Kafka store timed out while waiting for offset \(offset) to be read back"))
        }
        defer { timeout.cancel() }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let resumeNow: (any Error)?? = shared.withLock { shared in
                if let failure = shared.failure { return .some(RegistryHTTPError.storeError("Error while reading the Kafka store: \(failure)")) }
                if shared.registry.appliedOffset >= offset { return .some(nil) }
                shared.waiters[id] = (offset, continuation)
                return .none
            }
            switch resumeNow {
            case .some(.some(let error)): continuation.resume(throwing: error)
            case .some(.none): continuation.resume()
            case .none: break
            }
        }
    }
}
