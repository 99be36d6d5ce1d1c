/// What one request may hold; beyond it the answer is 413 (size, count) or 400 (depth).
public struct IngestLimits: Sendable, Hashable {
    /// The largest request body, in bytes (`--max-body-bytes`).
    public var maxBodyBytes: Int
    /// The most records in one request (`--max-batch-records`).
    public var maxBatchRecords: Int
    /// The deepest nesting of arrays and objects in one event.
    public var maxDepth: Int
    /// The most errors reported for one record.
    public var maxErrorsPerRecord: Int
    /// The most record errors listed in one response (the count is always exact).
    public var maxReportedErrors: Int

    public init(maxBodyBytes: Int = 8 << 20, maxBatchRecords: Int = 10_000, maxDepth: Int = 64, maxErrorsPerRecord: Int = 20, maxReportedErrors: Int = 1000) {
        self.maxBodyBytes = maxBodyBytes
        self.maxBatchRecords = maxBatchRecords
        self.maxDepth = maxDepth
        self.maxErrorsPerRecord = maxErrorsPerRecord
        self.maxReportedErrors = maxReportedErrors
    }
}
