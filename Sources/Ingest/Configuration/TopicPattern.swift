/// A topic name pattern where `*` matches any run of characters (`orders.*`, `*`).
public struct TopicPattern: Sendable, Hashable, CustomStringConvertible {
    public let text: String
    private let parts: [Substring]

    public init(_ text: String) {
        self.text = text
        self.parts = text.split(separator: "*", omittingEmptySubsequences: false)
    }

    /// Whether `topic` matches the whole pattern.
    public func matches(_ topic: String) -> Bool {
        guard parts.count > 1 else { return topic == text }
        var rest = Substring(topic)
        guard rest.hasPrefix(parts[0]) else { return false }
        rest = rest.dropFirst(parts[0].count)
        for part in parts.dropFirst().dropLast() where !part.isEmpty {
            guard let range = rest.firstRange(of: part) else { return false }
            rest = rest[range.upperBound...]
        }
        return rest.hasSuffix(parts[parts.count - 1])
    }

    public var description: String { text }
}
