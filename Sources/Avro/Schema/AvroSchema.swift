/// A parsed Avro schema: our own model of the schema tree, the source of truth for
/// everything but the byte encoding (avro-c 1.11 drops logical types, defaults and aliases).
public struct AvroSchema: Sendable, Hashable {
    /// The root of the schema tree.
    public let root: AvroNode
    /// Every named type (record, enum, fixed) defined in the schema, by full name.
    public let namedTypes: [String: AvroNode]
    /// The schema text as given.
    public let text: String

    public init(root: AvroNode, namedTypes: [String: AvroNode], text: String) {
        self.root = root
        self.namedTypes = namedTypes
        self.text = text
    }

    /// Follows a `.reference` to the named type it names; other nodes are returned as they are.
    public func resolve(_ node: AvroNode) -> AvroNode {
        if case .reference(let name) = node, let target = namedTypes[name] { return target }
        return node
    }

    public static func == (lhs: AvroSchema, rhs: AvroSchema) -> Bool { lhs.root == rhs.root && lhs.namedTypes == rhs.namedTypes }
    public func hash(into hasher: inout Hasher) { hasher.combine(root) }
}

/// One node of an Avro schema tree.
public indirect enum AvroNode: Sendable, Hashable {
    case null
    case boolean
    case int(LogicalType?)
    case long(LogicalType?)
    case float
    case double
    case bytes(LogicalType?)
    case string(LogicalType?)
    case record(RecordSchema)
    case enumeration(EnumSchema)
    case fixed(FixedSchema)
    case array(AvroNode)
    case map(AvroNode)
    case union([AvroNode])
    /// A use of a named type defined elsewhere in the schema (a repeat use, or a recursive one).
    case reference(String)

    /// The Avro type name of this node: a primitive name, `record`, `enum`, `fixed`, `array`, `map` or `union`.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .boolean: "boolean"
        case .int: "int"
        case .long: "long"
        case .float: "float"
        case .double: "double"
        case .bytes: "bytes"
        case .string: "string"
        case .record: "record"
        case .enumeration: "enum"
        case .fixed: "fixed"
        case .array: "array"
        case .map: "map"
        case .union: "union"
        case .reference: "reference"
        }
    }

    /// The full name of a named type, or of a reference to one.
    public var fullName: String? {
        switch self {
        case .record(let record): record.name.fullName
        case .enumeration(let enumeration): enumeration.name.fullName
        case .fixed(let fixed): fixed.name.fullName
        case .reference(let name): name
        default: nil
        }
    }

    /// The logical type annotation, if any.
    public var logicalType: LogicalType? {
        switch self {
        case .int(let logical), .long(let logical), .bytes(let logical), .string(let logical): logical
        case .fixed(let fixed): fixed.logicalType
        default: nil
        }
    }
}

/// A named type's name: the full name plus the namespace it sets for nested definitions.
public struct AvroName: Sendable, Hashable {
    /// The simple name, without namespace.
    public let name: String
    /// The namespace, empty for the null namespace.
    public let namespace: String

    public init(name: String, namespace: String) {
        self.name = name
        self.namespace = namespace
    }

    /// `namespace.name`, or `name` in the null namespace.
    public var fullName: String { namespace.isEmpty ? name : namespace + "." + name }
}

/// A record schema.
public struct RecordSchema: Sendable, Hashable {
    public let name: AvroName
    public let aliases: [String]
    public let doc: String?
    public let fields: [FieldSchema]
    /// `true` for the `error` type (a record in every other respect).
    public let isError: Bool

    public init(name: AvroName, aliases: [String] = [], doc: String? = nil, fields: [FieldSchema], isError: Bool = false) {
        self.name = name
        self.aliases = aliases
        self.doc = doc
        self.fields = fields
        self.isError = isError
    }

    /// The index of the field with this name, if any.
    public func fieldIndex(named name: String) -> Int? { fields.firstIndex { $0.name == name } }
}

/// A field of a record.
public struct FieldSchema: Sendable, Hashable {
    public enum Order: String, Sendable, Hashable { case ascending, descending, ignore }

    public let name: String
    public let type: AvroNode
    /// The default, in the Avro JSON encoding of the field's type (unions: of the first branch).
    public let defaultValue: JSONValue?
    public let aliases: [String]
    public let doc: String?
    public let order: Order

    public init(name: String, type: AvroNode, defaultValue: JSONValue? = nil, aliases: [String] = [], doc: String? = nil, order: Order = .ascending) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.aliases = aliases
        self.doc = doc
        self.order = order
    }
}

/// An enum schema.
public struct EnumSchema: Sendable, Hashable {
    public let name: AvroName
    public let aliases: [String]
    public let doc: String?
    public let symbols: [String]
    /// The symbol a reader uses for a writer's symbol it does not know.
    public let defaultSymbol: String?

    public init(name: AvroName, aliases: [String] = [], doc: String? = nil, symbols: [String], defaultSymbol: String? = nil) {
        self.name = name
        self.aliases = aliases
        self.doc = doc
        self.symbols = symbols
        self.defaultSymbol = defaultSymbol
    }
}

/// A fixed schema.
public struct FixedSchema: Sendable, Hashable {
    public let name: AvroName
    public let aliases: [String]
    public let size: Int
    public let logicalType: LogicalType?

    public init(name: AvroName, aliases: [String] = [], size: Int, logicalType: LogicalType? = nil) {
        self.name = name
        self.aliases = aliases
        self.size = size
        self.logicalType = logicalType
    }
}

/// The logical types of the Avro specification.
public enum LogicalType: Sendable, Hashable {
    case decimal(precision: Int, scale: Int)
    case uuid
    case date
    case timeMillis
    case timeMicros
    case timestampMillis
    case timestampMicros
    case timestampNanos
    case localTimestampMillis
    case localTimestampMicros
    case localTimestampNanos
    case duration

    /// The `logicalType` attribute's value.
    public var name: String {
        switch self {
        case .decimal: "decimal"
        case .uuid: "uuid"
        case .date: "date"
        case .timeMillis: "time-millis"
        case .timeMicros: "time-micros"
        case .timestampMillis: "timestamp-millis"
        case .timestampMicros: "timestamp-micros"
        case .timestampNanos: "timestamp-nanos"
        case .localTimestampMillis: "local-timestamp-millis"
        case .localTimestampMicros: "local-timestamp-micros"
        case .localTimestampNanos: "local-timestamp-nanos"
        case .duration: "duration"
        }
    }
}
