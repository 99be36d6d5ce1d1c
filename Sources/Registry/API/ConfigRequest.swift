/// The body of `PUT /config` and `PUT /config/{subject}`, and the answer to them.
public struct ConfigRequest: Codable, Sendable, Hashable {
    /// A compatibility level's raw value; the server rejects unknown ones with 42203.
    public var compatibility: String

    public init(compatibility: String) {
        self.compatibility = compatibility
    }
}
