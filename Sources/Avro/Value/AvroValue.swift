/// A decoded Avro datum, shaped by the schema it was read with.
public indirect enum AvroValue: Sendable, Hashable {
    case null
    case boolean(Bool)
    case int(Int32)
    case long(Int64)
    case float(Float)
    case double(Double)
    case bytes([UInt8])
    case string(String)
    case fixed([UInt8])
    /// An enum symbol, by its index in the schema's symbol list.
    case enumeration(Int)
    case array([AvroValue])
    /// Map entries in the order they were read.
    case map([MapEntry])
    /// Field values in the record schema's field order.
    case record([AvroValue])
    /// The branch index in the union schema, and the value of that branch.
    case union(Int, AvroValue)

    /// One key-value pair of an Avro map.
    public struct MapEntry: Sendable, Hashable {
        public var key: String
        public var value: AvroValue
        public init(key: String, value: AvroValue) {
            self.key = key
            self.value = value
        }
    }
}
