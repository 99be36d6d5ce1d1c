import Foundation

/// The API keys allowed in, each with the topics it may use: read from a file of lines
/// `KEY PATTERN[,PATTERN…]` (blank lines and `#` comments skipped), where a pattern is a topic
/// name with `*` globs. Keys are never logged: a key is known in logs by its ``Key/id``, `key@LINE`.
public struct APIKeys: Sendable {
    /// One key and what it may use.
    public struct Key: Sendable {
        /// `key@LINE`: where it is defined, safe to log.
        public let id: String
        let secret: [UInt8]
        public let patterns: [TopicPattern]

        /// Whether this key may use `topic`.
        public func allows(_ topic: String) -> Bool { patterns.contains { $0.matches(topic) } }
    }

    public let keys: [Key]

    /// Parses the file format; `origin` names the source in errors.
    public init(parsing text: String, origin: String) throws(APIKeysError) {
        var keys: [Key] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count == 2 else {
                // The line is not echoed: it holds a key.
                throw APIKeysError(message: "\(origin):\(index + 1): expected `KEY PATTERN[,PATTERN…]`")
            }
            let patterns = fields[1].split(separator: ",").map { TopicPattern(String($0)) }
            keys.append(Key(id: "key@\(index + 1)", secret: Array(fields[0].utf8), patterns: patterns))
        }
        self.keys = keys
    }

    /// The key whose secret is `presented`; every key is compared in full, so timing does not
    /// tell how much of a guess was right.
    public func key(matching presented: Substring) -> Key? {
        let bytes = Array(presented.utf8)
        var found: Key?
        for key in keys where Self.constantTimeEquals(key.secret, bytes) {
            found = key
        }
        return found
    }

    private static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = a.count ^ b.count
        for index in 0 ..< max(a.count, b.count) {
            let x = index < a.count ? a[index] : 0
            let y = index < b.count ? b[index] : 0
            difference |= Int(x ^ y)
        }
        return difference == 0
    }
}

/// An API keys file could not be read.
public struct APIKeysError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
