import CJansson

/// A JSON document as a Swift value: used for schema text, defaults and small documents.
/// (Events are walked as jansson trees directly, without this intermediate form.)
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// A JSON number written without fraction or exponent that fits in 64 bits.
    case integer(Int64)
    /// Any other JSON number.
    case double(Double)
    case string(String)
    case array([JSONValue])
    /// Object members in document order (order matters for canonical output and error paths).
    case object(JSONObject)

    /// Parses JSON text; the error says line and column.
    public static func parse(_ text: String, maxDepth: Int = 512) throws(JSONParseError) -> JSONValue {
        var error = json_error_t()
        let flags = JSON_DECODE_ANY | JSON_ALLOW_NUL
        var text = text
        let parsed = text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { json_loadb($0.baseAddress, $0.count, Int(flags), &error) }
        }
        guard let root = parsed else {
            throw JSONParseError(error)
        }
        defer { avrogate_json_decref(root) }
        return try JSONValue(jansson: root, depth: 0, maxDepth: maxDepth)
    }

    /// Converts a jansson tree (borrowed, not consumed).
    init(jansson json: UnsafeMutablePointer<json_t>, depth: Int, maxDepth: Int) throws(JSONParseError) {
        guard depth <= maxDepth else {
            throw JSONParseError(message: "nesting deeper than \(maxDepth) levels", line: 0, column: 0)
        }
        switch avrogate_json_type(json) {
        case JSON_NULL: self = .null
        case JSON_TRUE: self = .bool(true)
        case JSON_FALSE: self = .bool(false)
        case JSON_INTEGER: self = .integer(Int64(json_integer_value(json)))
        case JSON_REAL: self = .double(json_real_value(json))
        case JSON_STRING:
            self = .string(String(decoding: UnsafeRawBufferPointer(start: json_string_value(json), count: json_string_length(json)), as: UTF8.self))
        case JSON_ARRAY:
            var items: [JSONValue] = []
            let count = json_array_size(json)
            items.reserveCapacity(count)
            for index in 0 ..< count {
                items.append(try JSONValue(jansson: json_array_get(json, index), depth: depth + 1, maxDepth: maxDepth))
            }
            self = .array(items)
        case JSON_OBJECT:
            var object = JSONObject()
            var iterator = json_object_iter(json)
            while let current = iterator {
                let key = String(cString: json_object_iter_key(current))
                object[key] = try JSONValue(jansson: json_object_iter_value(current), depth: depth + 1, maxDepth: maxDepth)
                iterator = json_object_iter_next(json, current)
            }
            self = .object(object)
        default:
            throw JSONParseError(message: "unsupported JSON value", line: 0, column: 0)
        }
    }

    /// Compact JSON text with members in stored order; byte-stable for the same value.
    public var jsonText: String {
        var out = ""
        write(to: &out)
        return out
    }

    /// Appends compact JSON text to `out`.
    public func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .integer(let value): out += String(value)
        case .double(let value): out += JSONValue.format(double: value)
        case .string(let value): JSONValue.writeString(value, to: &out)
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                item.write(to: &out)
            }
            out += "]"
        case .object(let object):
            out += "{"
            for (index, key) in object.keys.enumerated() {
                if index > 0 { out += "," }
                JSONValue.writeString(key, to: &out)
                out += ":"
                object[key]!.write(to: &out)
            }
            out += "}"
        }
    }

    /// JSON text for a double: integral values keep a ".0" so they read back as reals;
    /// non-finite values (not representable in JSON) are written as strings.
    public static func format(double value: Double) -> String {
        if value.isNaN { return "\"NaN\"" }
        if value.isInfinite { return value > 0 ? "\"Infinity\"" : "\"-Infinity\"" }
        if value == value.rounded(), abs(value) < 1e16 { return String(Int64(value)) + ".0" }
        return "\(value)"
    }

    /// Writes a JSON string literal with the escapes JSON requires (and nothing else escaped).
    public static func writeString(_ value: String, to out: inout String) {
        out += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    /// The value's JSON type name, for error messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .integer: "integer"
        case .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    public subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    public var stringValue: String? { if case .string(let value) = self { return value }; return nil }
    public var integerValue: Int64? {
        switch self {
        case .integer(let value): return value
        case .double(let value) where value == value.rounded() && abs(value) < 9.2e18: return Int64(value)
        default: return nil
        }
    }
    public var arrayValue: [JSONValue]? { if case .array(let value) = self { return value }; return nil }
    public var objectValue: JSONObject? { if case .object(let value) = self { return value }; return nil }
}

/// A JSON object that remembers member order.
public struct JSONObject: Sendable, Hashable {
    public private(set) var keys: [String] = []
    private var values: [String: JSONValue] = [:]

    public init() {}
    public init(_ pairs: [(String, JSONValue)]) {
        for (key, value) in pairs { self[key] = value }
    }

    public subscript(key: String) -> JSONValue? {
        get { values[key] }
        set {
            if let newValue {
                if values.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if values.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    public var count: Int { keys.count }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool { lhs.values == rhs.values }
    public func hash(into hasher: inout Hasher) { hasher.combine(values) }
}

/// JSON text that could not be parsed, with its position.
public struct JSONParseError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var line: Int
    public var column: Int

    public init(message: String, line: Int, column: Int) {
        self.message = message
        self.line = line
        self.column = column
    }

    init(_ error: json_error_t) {
        var copy = error
        let text = withUnsafeBytes(of: &copy.text) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        self.init(message: text, line: Int(error.line), column: Int(error.column))
    }

    public var description: String { "malformed JSON at line \(line), column \(column): \(message)" }
}
