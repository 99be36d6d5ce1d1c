/// The answer to `GET /config` and `GET /config/{subject}`: a compatibility level's raw value
/// (`BACKWARD`, `FULL_TRANSITIVE`, …).
public struct ConfigResponse: Codable, Sendable, Hashable {
    public var compatibilityLevel: String

    public init(compatibilityLevel: String) {
        self.compatibilityLevel = compatibilityLevel
    }
}
