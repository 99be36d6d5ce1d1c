/// The append-only log the registry keeps its state in: a Kafka topic with one partition in
/// production, memory in unit tests. Offsets are dense and start at the log's first record.
protocol SchemaLog: Sendable {
    /// Appends records in order and returns the offset of each once the log acknowledged it.
    func append(_ records: [LogRecord]) async throws -> [Int64]
    /// Every record from `offset` on, in log order, then each new one as it is appended;
    /// the sequence ends only when the log is closed or fails.
    func records(from offset: Int64) -> AsyncThrowingStream<LoggedRecord, any Error>
    /// Stops reading and writing; open record sequences end.
    func close() async
}

/// A record to append: key and value bytes exactly as they are stored (a `nil` value is a tombstone).
struct LogRecord: Sendable, Hashable {
    var key: [UInt8]
    var value: [UInt8]?
}

/// A record read back from the log, with its offset.
struct LoggedRecord: Sendable, Hashable {
    var offset: Int64
    var key: [UInt8]?
    var value: [UInt8]?
}
