import Avro

extension AvroValue {
    /// Whether this value has the shape `schema` describes (the test oracle for projections).
    func conforms(to schema: AvroSchema) -> Bool {
        conforms(to: schema.root, in: schema)
    }

    func conforms(to node: AvroNode, in schema: AvroSchema) -> Bool {
        switch (schema.resolve(node), self) {
        case (.null, .null), (.boolean, .boolean), (.int, .int), (.long, .long), (.float, .float),
             (.double, .double), (.bytes, .bytes), (.string, .string):
            return true
        case (.fixed(let fixed), .fixed(let bytes)):
            return bytes.count == fixed.size
        case (.enumeration(let enumeration), .enumeration(let index)):
            return enumeration.symbols.indices.contains(index)
        case (.array(let items), .array(let values)):
            return values.allSatisfy { $0.conforms(to: items, in: schema) }
        case (.map(let valueType), .map(let entries)):
            return entries.allSatisfy { $0.value.conforms(to: valueType, in: schema) }
        case (.record(let record), .record(let values)):
            return values.count == record.fields.count
                && zip(record.fields, values).allSatisfy { field, value in value.conforms(to: field.type, in: schema) }
        case (.union(let branches), .union(let index, let value)):
            guard branches.indices.contains(index) else { return false }
            if case .union = value { return false }
            return value.conforms(to: branches[index], in: schema)
        default:
            return false
        }
    }
}
