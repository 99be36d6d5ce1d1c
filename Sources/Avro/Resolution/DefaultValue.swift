extension AvroValue {
    /// Converts a field default, written in the Avro JSON encoding of its type, into a value of
    /// that type: a union's default is a value of its first branch, bytes and fixed are strings
    /// whose code points 0–255 are the bytes, enums are symbol names, records are objects whose
    /// missing fields take their own defaults.
    ///
    /// - Parameters:
    ///   - json: the `default` attribute's value.
    ///   - node: the field's type.
    ///   - schema: the schema the node belongs to, to follow references to named types.
    /// - Throws: ``SchemaError`` with the path inside the default where it does not fit the type.
    public init(defaultJSON json: JSONValue, for node: AvroNode, in schema: AvroSchema) throws(SchemaError) {
        self = try DefaultValueConverter(schema: schema).convert(json, node, path: "default")
    }
}

private struct DefaultValueConverter {
    let schema: AvroSchema

    func convert(_ json: JSONValue, _ node: AvroNode, path: String) throws(SchemaError) -> AvroValue {
        func mismatch(_ expected: String) -> SchemaError {
            SchemaError(path: path, message: "default \(json.jsonText.prefix(40)) is not \(expected)")
        }
        switch schema.resolve(node) {
        case .null:
            guard json == .null else { throw mismatch("null") }
            return .null
        case .boolean:
            guard case .bool(let value) = json else { throw mismatch("a boolean") }
            return .boolean(value)
        case .int:
            guard let value = json.integerValue, let int = Int32(exactly: value) else { throw mismatch("an int") }
            return .int(int)
        case .long:
            guard let value = json.integerValue else { throw mismatch("a long") }
            return .long(value)
        case .float:
            guard let value = Self.number(json) else { throw mismatch("a number") }
            return .float(Float(value))
        case .double:
            guard let value = Self.number(json) else { throw mismatch("a number") }
            return .double(value)
        case .bytes:
            guard let bytes = Self.bytes(json) else { throw mismatch("a string of code points 0-255") }
            return .bytes(bytes)
        case .string:
            guard case .string(let value) = json else { throw mismatch("a string") }
            return .string(value)
        case .fixed(let fixed):
            guard let bytes = Self.bytes(json), bytes.count == fixed.size else {
                throw mismatch("a string of \(fixed.size) code points 0-255")
            }
            return .fixed(bytes)
        case .enumeration(let enumeration):
            guard case .string(let symbol) = json, let index = enumeration.symbols.firstIndex(of: symbol) else {
                throw mismatch("a symbol of enum \(enumeration.name.fullName)")
            }
            return .enumeration(index)
        case .array(let items):
            guard case .array(let elements) = json else { throw mismatch("an array") }
            var values: [AvroValue] = []
            values.reserveCapacity(elements.count)
            for (index, element) in elements.enumerated() {
                values.append(try convert(element, items, path: "\(path)[\(index)]"))
            }
            return .array(values)
        case .map(let valueType):
            guard case .object(let object) = json else { throw mismatch("an object") }
            var entries: [AvroValue.MapEntry] = []
            entries.reserveCapacity(object.count)
            for key in object.keys {
                entries.append(AvroValue.MapEntry(key: key, value: try convert(object[key]!, valueType, path: "\(path).\(key)")))
            }
            return .map(entries)
        case .union(let branches):
            guard let first = branches.first else { throw mismatch("a value of an empty union") }
            return .union(0, try convert(json, first, path: path))
        case .record(let record):
            guard case .object(let object) = json else { throw mismatch("an object") }
            var values: [AvroValue] = []
            values.reserveCapacity(record.fields.count)
            for field in record.fields {
                let fieldPath = "\(path).\(field.name)"
                if let given = object[field.name] {
                    values.append(try convert(given, field.type, path: fieldPath))
                } else if let fieldDefault = field.defaultValue {
                    values.append(try convert(fieldDefault, field.type, path: fieldPath))
                } else {
                    throw SchemaError(path: fieldPath, message: "default for record \(record.name.fullName) lacks field '\(field.name)', which has no default")
                }
            }
            return .record(values)
        case .reference(let name):
            throw SchemaError(path: path, message: "default refers to the undefined type '\(name)'")
        }
    }

    private static func number(_ json: JSONValue) -> Double? {
        switch json {
        case .integer(let value): Double(value)
        case .double(let value): value
        default: nil
        }
    }

    private static func bytes(_ json: JSONValue) -> [UInt8]? {
        guard case .string(let text) = json else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            guard scalar.value <= 0xFF else { return nil }
            bytes.append(UInt8(scalar.value))
        }
        return bytes
    }
}
