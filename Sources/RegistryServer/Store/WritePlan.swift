/// What a write decided after looking at the current state.
enum WritePlan<Result: Sendable>: Sendable {
    /// Nothing to write: the answer is already known (for example, the schema is registered).
    case done(Result)
    /// Append these records; once they are applied, `outcome` reads the answer from the state,
    /// or returns `nil` when another instance's record won and the write must be planned again.
    case append([LogRecord], outcome: @Sendable (RegistryState) -> Result?)
}
