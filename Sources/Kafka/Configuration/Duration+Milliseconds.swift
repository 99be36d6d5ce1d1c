extension Duration {
    /// Whole milliseconds, rounded down and clamped to librdkafka's `int` timeouts.
    var milliseconds: Int32 {
        let (seconds, attoseconds) = components
        let total = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return Int32(clamping: total)
    }

    /// A duration from a librdkafka millisecond property value.
    init?(millisecondsProperty value: String?) {
        guard let value, let milliseconds = Int64(value) else { return nil }
        self = .milliseconds(milliseconds)
    }
}
