import Foundation
import Avro

/// A JSON Schema (draft 2020-12) of the natural JSON events the ingest API accepts for an Avro
/// schema: named types under `$defs`, unions as `anyOf` of their bare branches, logical types as
/// their human formats or their raw numbers.
struct NaturalJSONSchema {
    let schema: AvroSchema
    let allowsUnknownFields: Bool
    private var definitions = JSONObject()

    init(schema: AvroSchema, allowsUnknownFields: Bool) {
        self.schema = schema
        self.allowsUnknownFields = allowsUnknownFields
    }

    /// The JSON Schema document for `schema`'s root.
    static func make(for schema: AvroSchema, allowsUnknownFields: Bool) -> JSONValue {
        var generator = NaturalJSONSchema(schema: schema, allowsUnknownFields: allowsUnknownFields)
        let root = generator.describe(schema.root)
        var document = JSONObject([("$schema", .string("https://json-schema.org/draft/2020-12/schema"))])
        if let name = schema.root.fullName {
            document["title"] = .string(name)
        }
        if case .object(let rootObject) = root {
            for key in rootObject.keys { document[key] = rootObject[key] }
        }
        if generator.definitions.count > 0 {
            document["$defs"] = .object(generator.definitions)
        }
        return .object(document)
    }

    private mutating func describe(_ node: AvroNode) -> JSONValue {
        switch node {
        case .null: return Self.type("null")
        case .boolean: return Self.type("boolean")
        case .int(let logical): return Self.integer(logical, bits: 32)
        case .long(let logical): return Self.integer(logical, bits: 64)
        case .float, .double:
            return Self.anyOf([Self.type("number"), .object(JSONObject([("enum", .array([.string("NaN"), .string("Infinity"), .string("-Infinity")]))]))])
        case .bytes(let logical):
            return Self.bytes(logical, size: nil)
        case .string(let logical):
            var object = JSONObject([("type", .string("string"))])
            if logical == .uuid { object["format"] = .string("uuid") }
            return .object(object)
        case .array(let items):
            return .object(JSONObject([("type", .string("array")), ("items", describe(items))]))
        case .map(let values):
            return .object(JSONObject([("type", .string("object")), ("additionalProperties", describe(values))]))
        case .union(let branches):
            return Self.anyOf(branches.map { describe($0) })
        case .record, .enumeration, .fixed:
            let name = node.fullName ?? ""
            if definitions[name] == nil {
                definitions[name] = .bool(true)
                definitions[name] = define(node)
            }
            return Self.reference(name)
        case .reference(let name):
            if definitions[name] == nil, let target = schema.namedTypes[name] {
                return describe(target)
            }
            return Self.reference(name)
        }
    }

    private mutating func define(_ node: AvroNode) -> JSONValue {
        switch node {
        case .record(let record):
            var properties = JSONObject()
            var required: [JSONValue] = []
            for field in record.fields {
                var property = describe(field.type)
                if let doc = field.doc, case .object(var object) = property {
                    object["description"] = .string(doc)
                    property = .object(object)
                }
                properties[field.name] = property
                if field.defaultValue == nil { required.append(.string(field.name)) }
            }
            var object = JSONObject([("type", .string("object")), ("properties", .object(properties)), ("required", .array(required))])
            object["additionalProperties"] = .bool(allowsUnknownFields)
            if let doc = record.doc { object["description"] = .string(doc) }
            return .object(object)
        case .enumeration(let enumeration):
            return .object(JSONObject([("enum", .array(enumeration.symbols.map(JSONValue.string)))]))
        case .fixed(let fixed):
            return Self.bytes(fixed.logicalType, size: fixed.size)
        default:
            return describe(node)
        }
    }

    private static func type(_ name: String) -> JSONValue { .object(JSONObject([("type", .string(name))])) }

    private static func anyOf(_ options: [JSONValue]) -> JSONValue { .object(JSONObject([("anyOf", .array(options))])) }

    private static func reference(_ name: String) -> JSONValue {
        .object(JSONObject([("$ref", .string("#/$defs/\(name.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1"))"))]))
    }

    private static func integer(_ logical: LogicalType?, bits: Int) -> JSONValue {
        let raw: JSONValue = bits == 32
            ? .object(JSONObject([("type", .string("integer")), ("minimum", .integer(Int64(Int32.min))), ("maximum", .integer(Int64(Int32.max)))]))
            : type("integer")
        let text: JSONValue
        switch logical {
        case .date: text = .object(JSONObject([("type", .string("string")), ("format", .string("date"))]))
        case .timeMillis, .timeMicros:
            text = .object(JSONObject([("type", .string("string")), ("pattern", .string("^[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?$"))]))
        case .timestampMillis, .timestampMicros, .timestampNanos:
            text = .object(JSONObject([("type", .string("string")), ("format", .string("date-time"))]))
        case .localTimestampMillis, .localTimestampMicros, .localTimestampNanos:
            text = .object(JSONObject([("type", .string("string")), ("pattern", .string("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?$"))]))
        default:
            return raw
        }
        return anyOf([text, raw])
    }

    private static func bytes(_ logical: LogicalType?, size: Int?) -> JSONValue {
        if case .decimal(let precision, let scale) = logical {
            return .object(JSONObject([
                ("anyOf", .array([
                    .object(JSONObject([("type", .string("string")), ("pattern", .string("^-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?$"))])),
                    type("number"),
                ])),
                ("description", .string("decimal(\(precision), \(scale)): at most \(precision) digits, \(scale) after the point")),
            ]))
        }
        var object = JSONObject([("type", .string("string")), ("description", .string("one character U+0000–U+00FF per byte"))])
        if let size {
            object["minLength"] = .integer(Int64(size))
            object["maxLength"] = .integer(Int64(size))
        }
        return .object(object)
    }
}
