import Avro

/// An example event for a schema, in the natural JSON the ingest API accepts: every field
/// present, unions as their first non-null branch, logical types in their human formats.
/// Recursive types stop at the first repeat (a `null` union branch, an empty array or map).
struct NaturalJSONExample {
    let schema: AvroSchema
    private var visiting: Set<String> = []

    init(schema: AvroSchema) {
        self.schema = schema
    }

    /// The example for the schema's root.
    static func make(for schema: AvroSchema) -> JSONValue {
        var generator = NaturalJSONExample(schema: schema)
        return generator.example(schema.root)
    }

    private mutating func example(_ node: AvroNode) -> JSONValue {
        switch node {
        case .null: return .null
        case .boolean: return .bool(true)
        case .int(let logical), .long(let logical): return Self.number(logical)
        case .float, .double: return .double(1.5)
        case .bytes(let logical): return Self.bytes(logical, size: nil)
        case .string(let logical): return logical == .uuid ? .string("7d1f8a52-3c4b-4e8e-9a61-2f0c5b7e9d13") : .string("text")
        case .fixed(let fixed): return Self.bytes(fixed.logicalType, size: fixed.size)
        case .enumeration(let enumeration): return .string(enumeration.symbols.first ?? "")
        case .array(let items):
            return isRecursive(items) ? .array([]) : .array([example(items)])
        case .map(let values):
            return isRecursive(values) ? .object(JSONObject()) : .object(JSONObject([("key", example(values))]))
        case .union(let branches):
            let usable = branches.first { $0 != .null && !isRecursive($0) }
            return usable.map { example($0) } ?? .null
        case .record(let record):
            let name = record.name.fullName
            visiting.insert(name)
            defer { visiting.remove(name) }
            return .object(JSONObject(record.fields.map { ($0.name, example($0.type)) }))
        case .reference(let name):
            guard let target = schema.namedTypes[name], !visiting.contains(name) else { return .null }
            return example(target)
        }
    }

    /// Whether `node` names a record already being generated (recursion).
    private func isRecursive(_ node: AvroNode) -> Bool {
        if case .reference(let name) = node { return visiting.contains(name) }
        if case .record(let record) = node { return visiting.contains(record.name.fullName) }
        return false
    }

    private static func number(_ logical: LogicalType?) -> JSONValue {
        switch logical {
        case .date: .string("2024-05-17")
        case .timeMillis: .string("09:31:27.412")
        case .timeMicros: .string("09:31:27.412345")
        case .timestampMillis: .string("2024-05-17T09:31:27.412Z")
        case .timestampMicros: .string("2024-05-17T09:31:27.412345Z")
        case .timestampNanos: .string("2024-05-17T09:31:27.412345678Z")
        case .localTimestampMillis: .string("2024-05-17T09:31:27.412")
        case .localTimestampMicros: .string("2024-05-17T09:31:27.412345")
        case .localTimestampNanos: .string("2024-05-17T09:31:27.412345678")
        default: .integer(42)
        }
    }

    private static func bytes(_ logical: LogicalType?, size: Int?) -> JSONValue {
        if case .decimal(let precision, let scale) = logical {
            let integerDigits = String("123456789".prefix(max(0, min(precision - scale, 9))))
            let fraction = scale > 0 ? "." + "5" + String(repeating: "0", count: scale - 1) : ""
            return .string((integerDigits.isEmpty ? "0" : integerDigits) + fraction)
        }
        return .string(String(repeating: "a", count: size ?? 4))
    }
}
