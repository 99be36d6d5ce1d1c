import Registry

/// A ``SchemaLog`` held in memory: for unit tests, and for running the server without a broker.
/// Several stores may share one instance, as several servers share one topic.
final class InMemorySchemaLog: SchemaLog {
    private struct State {
        var records: [LoggedRecord] = []
        var readers: [Int: AsyncThrowingStream<LoggedRecord, any Error>.Continuation] = [:]
        var nextReader = 0
        var closed = false
    }

    private let state = LockedState(State())

    init() {}

    func append(_ records: [LogRecord]) async throws -> [Int64] {
        try state.withLock { state in
            guard !state.closed else { throw SchemaLogClosed() }
            var offsets: [Int64] = []
            for record in records {
                let logged = LoggedRecord(offset: Int64(state.records.count), key: record.key, value: record.value)
                state.records.append(logged)
                offsets.append(logged.offset)
                for reader in state.readers.values { reader.yield(logged) }
            }
            return offsets
        }
    }

    func records(from offset: Int64) -> AsyncThrowingStream<LoggedRecord, any Error> {
        let (stream, continuation) = AsyncThrowingStream<LoggedRecord, any Error>.makeStream()
        state.withLock { state in
            for record in state.records where record.offset >= offset { continuation.yield(record) }
            guard !state.closed else {
                continuation.finish()
                return
            }
            let id = state.nextReader
            state.nextReader += 1
            state.readers[id] = continuation
            continuation.onTermination = { [weak self] _ in
                _ = self?.state.withLock { $0.readers.removeValue(forKey: id) }
            }
        }
        return stream
    }

    func close() async {
        let readers = state.withLock { state in
            state.closed = true
            defer { state.readers = [:] }
            return Array(state.readers.values)
        }
        for reader in readers { reader.finish() }
    }

    /// Every record appended so far, for tests that inspect the stored bytes.
    var allRecords: [LoggedRecord] { state.withLock { $0.records } }
}

/// The log was closed.
struct SchemaLogClosed: Error, CustomStringConvertible {
    var description: String { "the schema log is closed" }
}
