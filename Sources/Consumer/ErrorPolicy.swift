/// What the consumer does with a record it cannot decode (see ``UndecodableRecord``).
public enum ErrorPolicy: String, Sendable, CaseIterable {
    /// Stop consuming, with the record's offset not stored, so the group reads it again on restart.
    case fail
    /// Count it, log it, and go on as if it had been written.
    case skip
    /// Send it, with headers saying why, to the dead-letter topic and go on once the broker acknowledged it.
    case dlq
}
