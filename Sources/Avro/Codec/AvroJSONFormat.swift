/// The two JSON shapes of an Avro datum.
public enum AvroJSONFormat: Sendable, Hashable {
    /// What people write: unions as bare values, logical types in human formats (ISO-8601
    /// timestamps, `YYYY-MM-DD` dates, decimals as strings), bytes as code points or base64.
    case natural
    /// The JSON encoding of the Avro specification: non-null union values wrapped as
    /// `{"type-or-full-name": value}`, logical types as their underlying type, bytes and fixed
    /// as strings of code points U+0000–U+00FF (REST Proxy v2 bodies use this).
    case avroJSON
}

/// How bytes and fixed values are written as JSON strings in the natural format.
public enum BytesEncoding: Sendable, Hashable {
    /// One code point U+0000–U+00FF per byte, the Avro JSON convention.
    case codePoints
    /// Standard base64 with padding.
    case base64
}
