import Avro

/// Where records' keys come from.
public enum KeySource: Sendable, Hashable {
    /// No key (`null`): the partitioner spreads records.
    case none
    /// One key for every record of the request (`?key=`), as given.
    case constant(String)
    /// The value of a top-level event field (`--key-field topic=field`).
    case field(String)
}

/// How keys are serialized: UTF-8 strings, unless the topic has a `{topic}-key` subject, whose
/// latest schema then encodes them (Confluent wire format, like values).
public enum KeyFormat: Sendable {
    case string
    case avro(SelectedSchema)

    /// The key schema's id, for REST Proxy's `key_schema_id`.
    public var schemaID: Int? {
        if case .avro(let schema) = self { return schema.id }
        return nil
    }
}
