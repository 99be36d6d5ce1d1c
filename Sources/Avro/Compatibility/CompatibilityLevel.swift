/// A subject's schema evolution rule, as Confluent's Schema Registry names them.
public enum CompatibilityLevel: String, Sendable, Hashable, CaseIterable {
    /// Any schema may follow any other.
    case none = "NONE"
    /// The new schema can read data written with the latest existing schema.
    case backward = "BACKWARD"
    /// The new schema can read data written with every existing schema.
    case backwardTransitive = "BACKWARD_TRANSITIVE"
    /// The latest existing schema can read data written with the new schema.
    case forward = "FORWARD"
    /// Every existing schema can read data written with the new schema.
    case forwardTransitive = "FORWARD_TRANSITIVE"
    /// Both backward and forward against the latest existing schema.
    case full = "FULL"
    /// Both backward and forward against every existing schema.
    case fullTransitive = "FULL_TRANSITIVE"

    /// Whether the new schema must read data written with the existing ones.
    public var checksBackward: Bool {
        switch self {
        case .backward, .backwardTransitive, .full, .fullTransitive: true
        case .none, .forward, .forwardTransitive: false
        }
    }

    /// Whether the existing schemas must read data written with the new one.
    public var checksForward: Bool {
        switch self {
        case .forward, .forwardTransitive, .full, .fullTransitive: true
        case .none, .backward, .backwardTransitive: false
        }
    }

    /// Whether every existing schema is checked, not only the latest.
    public var isTransitive: Bool {
        switch self {
        case .backwardTransitive, .forwardTransitive, .fullTransitive: true
        case .none, .backward, .forward, .full: false
        }
    }

    /// The `{compatibility: 'LEVEL'}` line Confluent's registry appends to verbose messages.
    public var confluentMessage: String { "{compatibility: '\(rawValue)'}" }
}
