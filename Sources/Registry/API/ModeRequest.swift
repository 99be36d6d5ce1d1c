/// The body of `PUT /mode` and `PUT /mode/{subject}`, and the answer to them.
public struct ModeRequest: Codable, Sendable, Hashable {
    /// A ``Mode`` raw value; the server rejects unknown ones with 42204.
    public var mode: String

    public init(mode: Mode) {
        self.mode = mode.rawValue
    }

    /// A body with a mode given by its raw value (one another registry may know and this package not).
    public init(rawMode: String) {
        self.mode = rawMode
    }

    /// The mode, when it is one this package knows.
    public var knownMode: Mode? { Mode(rawValue: mode) }
}
