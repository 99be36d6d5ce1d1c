/// The answer to `POST /compatibility/subjects/{subject}/versions[/{version}]`; `messages`
/// holds the reasons when `?verbose=true` was asked.
public struct CompatibilityCheckResponse: Codable, Sendable, Hashable {
    public var isCompatible: Bool
    public var messages: [String]?

    public init(isCompatible: Bool, messages: [String]? = nil) {
        self.isCompatible = isCompatible
        self.messages = messages
    }

    private enum CodingKeys: String, CodingKey {
        case isCompatible = "is_compatible"
        case messages
    }
}
