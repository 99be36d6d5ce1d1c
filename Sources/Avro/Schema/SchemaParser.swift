/// Parses Avro schema JSON into ``AvroSchema`` and checks it against the specification:
/// names, duplicates, defaults, enum symbols and logical-type parameters.
struct SchemaParser {
    private static let primitiveNames: Set<String> = ["null", "boolean", "int", "long", "float", "double", "bytes", "string"]
    private var named: [String: AvroNode] = [:]
    /// Names being defined (records whose fields are still being parsed): references to them are recursive.
    private var defining: Set<String> = []

    /// `predefined` holds named types defined outside the text (schema references), by full name.
    static func parse(_ text: String, predefined: [String: AvroNode] = [:]) throws(SchemaError) -> AvroSchema {
        let json: JSONValue
        do {
            json = try JSONValue.parse(text)
        } catch {
            throw SchemaError(path: "$", message: error.description)
        }
        var parser = SchemaParser()
        parser.named = predefined
        let root = try parser.node(json, namespace: "", path: "$")
        return AvroSchema(root: root, namedTypes: parser.named, text: text)
    }

    private mutating func node(_ json: JSONValue, namespace: String, path: String) throws(SchemaError) -> AvroNode {
        switch json {
        case .string(let name):
            return try reference(name, namespace: namespace, path: path)
        case .array(let branches):
            return try union(branches, namespace: namespace, path: path)
        case .object(let object):
            return try complex(object, namespace: namespace, path: path)
        default:
            throw SchemaError(path: path, message: "expected a type name, a union array or a type object, got \(json.typeName)")
        }
    }

    private func reference(_ name: String, namespace: String, path: String) throws(SchemaError) -> AvroNode {
        if let primitive = Self.primitive(name, logical: nil) { return primitive }
        let candidates = name.contains(".") || namespace.isEmpty ? [name] : [namespace + "." + name, name]
        for candidate in candidates where named[candidate] != nil || defining.contains(candidate) {
            return .reference(candidate)
        }
        throw SchemaError(path: path, message: "unknown type name '\(name)' (named types must be defined before they are used)")
    }

    private static func primitive(_ name: String, logical: LogicalType?) -> AvroNode? {
        switch name {
        case "null": .null
        case "boolean": .boolean
        case "int": .int(logical)
        case "long": .long(logical)
        case "float": .float
        case "double": .double
        case "bytes": .bytes(logical)
        case "string": .string(logical)
        default: nil
        }
    }

    private mutating func union(_ branches: [JSONValue], namespace: String, path: String) throws(SchemaError) -> AvroNode {
        var nodes: [AvroNode] = []
        var seen: Set<String> = []
        for (index, branch) in branches.enumerated() {
            let branchPath = "\(path)[\(index)]"
            let parsed = try node(branch, namespace: namespace, path: branchPath)
            if case .union = parsed {
                throw SchemaError(path: branchPath, message: "a union may not directly contain another union")
            }
            let key = parsed.fullName ?? parsed.typeName
            if !seen.insert(key).inserted {
                throw SchemaError(path: branchPath, message: "union has more than one branch of type '\(key)'")
            }
            nodes.append(parsed)
        }
        return .union(nodes)
    }

    private mutating func complex(_ object: JSONObject, namespace: String, path: String) throws(SchemaError) -> AvroNode {
        guard let typeValue = object["type"] else {
            throw SchemaError(path: path, message: "missing 'type'")
        }
        guard case .string(let type) = typeValue else {
            // {"type": {...}} or {"type": [...]}: the attribute holds a nested schema.
            return try node(typeValue, namespace: namespace, path: path + ".type")
        }
        switch type {
        case "record", "error":
            return try record(object, isError: type == "error", namespace: namespace, path: path)
        case "enum":
            return try enumeration(object, namespace: namespace, path: path)
        case "fixed":
            return try fixed(object, namespace: namespace, path: path)
        case "array":
            guard let items = object["items"] else { throw SchemaError(path: path, message: "array type without 'items'") }
            return .array(try node(items, namespace: namespace, path: path + ".items"))
        case "map":
            guard let values = object["values"] else { throw SchemaError(path: path, message: "map type without 'values'") }
            return .map(try node(values, namespace: namespace, path: path + ".values"))
        default:
            if Self.primitiveNames.contains(type) {
                let logical = try logicalType(object, underlying: type, fixedSize: nil, path: path)
                return Self.primitive(type, logical: logical)!
            }
            return try reference(type, namespace: namespace, path: path + ".type")
        }
    }

    private mutating func record(_ object: JSONObject, isError: Bool, namespace: String, path: String) throws(SchemaError) -> AvroNode {
        let name = try definedName(object, namespace: namespace, path: path)
        guard case .array(let fieldsJSON)? = object["fields"] else {
            throw SchemaError(path: path, message: "record '\(name.fullName)' needs a 'fields' array")
        }
        defining.insert(name.fullName)
        var fields: [FieldSchema] = []
        var fieldNames: Set<String> = []
        for (index, fieldJSON) in fieldsJSON.enumerated() {
            let fieldPath = "\(path).fields[\(index)]"
            guard case .object(let fieldObject) = fieldJSON else {
                throw SchemaError(path: fieldPath, message: "a field must be an object")
            }
            guard case .string(let fieldName)? = fieldObject["name"] else {
                throw SchemaError(path: fieldPath, message: "a field needs a string 'name'")
            }
            try Self.checkSimpleName(fieldName, path: fieldPath + ".name")
            guard fieldNames.insert(fieldName).inserted else {
                throw SchemaError(path: fieldPath + ".name", message: "duplicate field name '\(fieldName)' in record '\(name.fullName)'")
            }
            guard let typeJSON = fieldObject["type"] else {
                throw SchemaError(path: fieldPath, message: "field '\(fieldName)' has no 'type'")
            }
            let type = try node(typeJSON, namespace: name.namespace, path: fieldPath + ".type")
            let defaultValue = fieldObject["default"]
            if let defaultValue {
                try checkDefault(defaultValue, for: type, path: fieldPath + ".default")
            }
            var order = FieldSchema.Order.ascending
            if let orderJSON = fieldObject["order"] {
                guard case .string(let text) = orderJSON, let parsed = FieldSchema.Order(rawValue: text) else {
                    throw SchemaError(path: fieldPath + ".order", message: "order must be \"ascending\", \"descending\" or \"ignore\"")
                }
                order = parsed
            }
            fields.append(FieldSchema(
                name: fieldName, type: type, defaultValue: defaultValue,
                aliases: try stringList(fieldObject["aliases"], path: fieldPath + ".aliases"),
                doc: fieldObject["doc"]?.stringValue, order: order))
        }
        defining.remove(name.fullName)
        let record = AvroNode.record(RecordSchema(
            name: name, aliases: try aliases(object, namespace: name.namespace, path: path),
            doc: object["doc"]?.stringValue, fields: fields, isError: isError))
        named[name.fullName] = record
        return record
    }

    private mutating func enumeration(_ object: JSONObject, namespace: String, path: String) throws(SchemaError) -> AvroNode {
        let name = try definedName(object, namespace: namespace, path: path)
        guard case .array(let symbolsJSON)? = object["symbols"] else {
            throw SchemaError(path: path, message: "enum '\(name.fullName)' needs a 'symbols' array")
        }
        var symbols: [String] = []
        for (index, symbolJSON) in symbolsJSON.enumerated() {
            guard case .string(let symbol) = symbolJSON else {
                throw SchemaError(path: "\(path).symbols[\(index)]", message: "an enum symbol must be a string")
            }
            try Self.checkSimpleName(symbol, path: "\(path).symbols[\(index)]")
            guard !symbols.contains(symbol) else {
                throw SchemaError(path: "\(path).symbols[\(index)]", message: "duplicate enum symbol '\(symbol)'")
            }
            symbols.append(symbol)
        }
        var defaultSymbol: String?
        if let defaultJSON = object["default"] {
            guard case .string(let symbol) = defaultJSON, symbols.contains(symbol) else {
                throw SchemaError(path: path + ".default", message: "enum default must be one of the symbols \(symbols), got \(defaultJSON.jsonText)")
            }
            defaultSymbol = symbol
        }
        let node = AvroNode.enumeration(EnumSchema(
            name: name, aliases: try aliases(object, namespace: name.namespace, path: path),
            doc: object["doc"]?.stringValue, symbols: symbols, defaultSymbol: defaultSymbol))
        named[name.fullName] = node
        return node
    }

    private mutating func fixed(_ object: JSONObject, namespace: String, path: String) throws(SchemaError) -> AvroNode {
        let name = try definedName(object, namespace: namespace, path: path)
        guard case .integer(let size)? = object["size"], size >= 0, size <= Int32.max else {
            throw SchemaError(path: path + ".size", message: "fixed '\(name.fullName)' needs a non-negative integer 'size'")
        }
        let logical = try logicalType(object, underlying: "fixed", fixedSize: Int(size), path: path)
        let node = AvroNode.fixed(FixedSchema(
            name: name, aliases: try aliases(object, namespace: name.namespace, path: path), size: Int(size), logicalType: logical))
        named[name.fullName] = node
        return node
    }

    /// Reads `name` and `namespace` of a named type and checks the name is free.
    private func definedName(_ object: JSONObject, namespace: String, path: String) throws(SchemaError) -> AvroName {
        guard case .string(let rawName)? = object["name"] else {
            throw SchemaError(path: path, message: "a named type needs a string 'name'")
        }
        var resolvedNamespace = namespace
        var simple = rawName
        if let dot = rawName.lastIndex(of: ".") {
            resolvedNamespace = String(rawName[..<dot])
            simple = String(rawName[rawName.index(after: dot)...])
        } else if let namespaceJSON = object["namespace"] {
            guard case .string(let text) = namespaceJSON else {
                throw SchemaError(path: path + ".namespace", message: "namespace must be a string")
            }
            resolvedNamespace = text
        }
        try Self.checkSimpleName(simple, path: path + ".name")
        if !resolvedNamespace.isEmpty {
            for component in resolvedNamespace.split(separator: ".", omittingEmptySubsequences: false) {
                try Self.checkSimpleName(String(component), path: path + ".namespace")
            }
        }
        if Self.primitiveNames.contains(simple) && resolvedNamespace.isEmpty {
            throw SchemaError(path: path + ".name", message: "'\(simple)' is a primitive type name and cannot be redefined")
        }
        let name = AvroName(name: simple, namespace: resolvedNamespace)
        if named[name.fullName] != nil || defining.contains(name.fullName) {
            throw SchemaError(path: path + ".name", message: "the name '\(name.fullName)' is defined twice")
        }
        return name
    }

    private func aliases(_ object: JSONObject, namespace: String, path: String) throws(SchemaError) -> [String] {
        try stringList(object["aliases"], path: path + ".aliases").map { $0.contains(".") || namespace.isEmpty ? $0 : namespace + "." + $0 }
    }

    private func stringList(_ json: JSONValue?, path: String) throws(SchemaError) -> [String] {
        guard let json else { return [] }
        guard case .array(let items) = json else { throw SchemaError(path: path, message: "expected an array of strings") }
        var result: [String] = []
        for item in items {
            guard case .string(let text) = item else { throw SchemaError(path: path, message: "expected an array of strings") }
            result.append(text)
        }
        return result
    }

    static func checkSimpleName(_ name: String, path: String) throws(SchemaError) {
        let scalars = Array(name.unicodeScalars)
        func isStart(_ c: Unicode.Scalar) -> Bool { (c >= "A" && c <= "Z") || (c >= "a" && c <= "z") || c == "_" }
        guard let first = scalars.first, isStart(first), scalars.dropFirst().allSatisfy({ isStart($0) || ($0 >= "0" && $0 <= "9") }) else {
            throw SchemaError(path: path, message: "invalid name '\(name)': names start with [A-Za-z_] and continue with [A-Za-z0-9_]")
        }
    }

    /// Logical types: unknown or misplaced annotations are ignored, as the specification says;
    /// a decimal with impossible parameters is an error.
    private func logicalType(_ object: JSONObject, underlying: String, fixedSize: Int?, path: String) throws(SchemaError) -> LogicalType? {
        guard case .string(let name)? = object["logicalType"] else { return nil }
        switch (name, underlying) {
        case ("decimal", "bytes"), ("decimal", "fixed"):
            guard let precision = object["precision"]?.integerValue, precision > 0 else {
                throw SchemaError(path: path + ".precision", message: "decimal needs a positive integer 'precision'")
            }
            let scale = object["scale"]?.integerValue ?? 0
            guard scale >= 0 else { throw SchemaError(path: path + ".scale", message: "decimal scale must not be negative") }
            guard scale <= precision else {
                throw SchemaError(path: path + ".scale", message: "decimal scale \(scale) is greater than its precision \(precision)")
            }
            if let fixedSize {
                let maxPrecision = Int((Double(8 * fixedSize - 1) * log10of2).rounded(.down))
                guard precision <= maxPrecision else {
                    throw SchemaError(path: path + ".precision", message: "decimal precision \(precision) does not fit in fixed of size \(fixedSize) (at most \(maxPrecision))")
                }
            }
            return .decimal(precision: Int(precision), scale: Int(scale))
        case ("uuid", "string"): return .uuid
        case ("uuid", "fixed") where fixedSize == 16: return .uuid
        case ("date", "int"): return .date
        case ("time-millis", "int"): return .timeMillis
        case ("time-micros", "long"): return .timeMicros
        case ("timestamp-millis", "long"): return .timestampMillis
        case ("timestamp-micros", "long"): return .timestampMicros
        case ("timestamp-nanos", "long"): return .timestampNanos
        case ("local-timestamp-millis", "long"): return .localTimestampMillis
        case ("local-timestamp-micros", "long"): return .localTimestampMicros
        case ("local-timestamp-nanos", "long"): return .localTimestampNanos
        case ("duration", "fixed") where fixedSize == 12: return .duration
        default: return nil
        }
    }

    /// Checks a field default against the field's type (for a union: its first branch).
    private func checkDefault(_ value: JSONValue, for type: AvroNode, path: String) throws(SchemaError) {
        if let problem = defaultProblem(value, for: type) {
            throw SchemaError(path: path, message: "bad default for its type: \(problem)")
        }
    }

    private func defaultProblem(_ value: JSONValue, for type: AvroNode) -> String? {
        func expect(_ ok: Bool, _ what: String) -> String? { ok ? nil : "expected \(what), got \(value.jsonText.prefix(40))" }
        switch type {
        case .null: return expect(value == .null, "null")
        case .boolean: if case .bool = value { return nil }; return expect(false, "true or false")
        case .int:
            guard let number = value.integerValue else { return expect(false, "an integer") }
            return expect(number >= Int64(Int32.min) && number <= Int64(Int32.max), "an integer in the int range")
        case .long: return expect(value.integerValue != nil, "an integer")
        case .float, .double:
            switch value {
            case .integer, .double: return nil
            default: return expect(false, "a number")
            }
        case .bytes, .string: return expect(value.stringValue != nil, "a string")
        case .fixed(let fixed):
            guard let text = value.stringValue else { return expect(false, "a string of \(fixed.size) bytes") }
            return expect(text.unicodeScalars.count == fixed.size, "a string of \(fixed.size) bytes")
        case .enumeration(let enumeration):
            return expect(value.stringValue.map(enumeration.symbols.contains) ?? false, "one of \(enumeration.symbols)")
        case .array(let items):
            guard case .array(let elements) = value else { return expect(false, "an array") }
            for element in elements { if let problem = defaultProblem(element, for: items) { return problem } }
            return nil
        case .map(let values):
            guard case .object(let object) = value else { return expect(false, "an object") }
            for key in object.keys { if let problem = defaultProblem(object[key]!, for: values) { return problem } }
            return nil
        case .union(let branches):
            guard let first = branches.first else { return "an empty union has no values" }
            if let problem = defaultProblem(value, for: first) {
                return "a union's default must match its first branch (\(first.fullName ?? first.typeName)): \(problem)"
            }
            return nil
        case .record(let record):
            guard case .object(let object) = value else { return expect(false, "an object") }
            for field in record.fields {
                if let fieldValue = object[field.name] {
                    if let problem = defaultProblem(fieldValue, for: field.type) { return "field '\(field.name)': \(problem)" }
                } else if field.defaultValue == nil {
                    return "field '\(field.name)' is missing"
                }
            }
            return nil
        case .reference(let name):
            // A recursive reference: the type is still being defined, so only its JSON shape is checked.
            guard let target = named[name] else { return nil }
            return defaultProblem(value, for: target)
        }
    }
}

private let log10of2 = 0.30102999566398119521

extension AvroSchema {
    /// Parses and validates Avro schema JSON.
    public init(parsing text: String) throws(SchemaError) {
        self = try SchemaParser.parse(text)
    }
}
