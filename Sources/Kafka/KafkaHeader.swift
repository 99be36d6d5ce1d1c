/// A record header: a name and an optional value (Kafka allows a null header value).
public struct KafkaHeader: Sendable, Hashable {
    /// The header's name.
    public var key: String
    /// The header's value; `nil` is a null value.
    public var value: [UInt8]?

    /// A header with a byte value.
    public init(key: String, value: [UInt8]?) {
        self.key = key
        self.value = value
    }

    /// A header with a UTF-8 text value.
    public init(key: String, string: String) {
        self.init(key: key, value: Array(string.utf8))
    }
}
