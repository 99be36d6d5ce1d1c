/// One reason a reader schema cannot read data written with a writer schema.
public struct Incompatibility: Sendable, Hashable, CustomStringConvertible {
    /// The kinds of incompatibility, named as Avro's Java `SchemaCompatibility` (and so Confluent) names them.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Reader and writer named types differ in name, and no reader alias names the writer's type.
        case nameMismatch = "NAME_MISMATCH"
        /// Reader and writer fixed types differ in size.
        case fixedSizeMismatch = "FIXED_SIZE_MISMATCH"
        /// The writer's enum has symbols the reader's lacks, and the reader's enum has no default.
        case missingEnumSymbols = "MISSING_ENUM_SYMBOLS"
        /// A reader field is missing from the writer's record and has no default.
        case readerFieldMissingDefault = "READER_FIELD_MISSING_DEFAULT_VALUE"
        /// The reader's type cannot read the writer's type, even by promotion.
        case typeMismatch = "TYPE_MISMATCH"
        /// No branch of the reader's union can read the writer's type.
        case missingUnionBranch = "MISSING_UNION_BRANCH"
    }

    /// In a level check, which schema read which: the new one read an existing one (backward),
    /// or an existing one read the new one (forward); the index is into the `existing` list.
    public enum Direction: Sendable, Hashable {
        case newReadsExisting(Int)
        case existingReadsNew(Int)

        /// The index of the existing schema in the checked `existing` list.
        public var existingIndex: Int {
            switch self {
            case .newReadsExisting(let index), .existingReadsNew(let index): index
            }
        }
    }

    /// What kind of incompatibility this is.
    public let kind: Kind
    /// Where in the reader schema: a JSON-pointer-like path such as `/fields/2/type` (`/` is the root).
    public let location: String
    /// A sentence for a person, e.g. "reader field `currency` has no default and is missing from the writer".
    public let message: String
    /// The short detail Java's checker gives (a field name, missing symbols, the two types), used in Confluent messages.
    public let additionalInfo: String
    /// Set by ``CompatibilityChecker/check(new:existing:level:)``; `nil` from a plain reader/writer check.
    public internal(set) var direction: Direction?

    /// An incompatibility as the checker reports it (public so callers and tests can build expected ones).
    public init(kind: Kind, location: String, message: String, additionalInfo: String, direction: Direction? = nil) {
        self.kind = kind
        self.location = location
        self.message = message
        self.additionalInfo = additionalInfo
        self.direction = direction
    }

    /// `location: message`.
    public var description: String { "\(location): \(message)" }

    /// The message in the style of Confluent's verbose compatibility errors, e.g.
    /// `{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'x' at path '/fields/1' in the new schema has no default value and is missing in the old schema', additionalInfo:'x'}`.
    /// The reader is called "new" and the writer "old" unless ``direction`` says an existing schema was the reader.
    public var confluentMessage: String {
        let (reader, writer) = if case .existingReadsNew = direction { ("old", "new") } else { ("new", "old") }
        let description = switch kind {
        case .fixedSizeMismatch:
            "The size of FIXED type field at path '\(location)' in the \(reader) schema does not match with the \(writer) schema"
        case .typeMismatch:
            "The type (path '\(location)') of a field in the \(reader) schema does not match with the \(writer) schema"
        case .nameMismatch:
            "The name of the schema has changed (path '\(location)')"
        case .missingEnumSymbols:
            "The \(reader) schema is missing enum symbols '\(additionalInfo)' at path '\(location)' in the \(writer) schema"
        case .missingUnionBranch:
            "The \(reader) schema is missing a type inside a union field at path '\(location)' in the \(writer) schema"
        case .readerFieldMissingDefault:
            "The field '\(additionalInfo)' at path '\(location)' in the \(reader) schema has no default value and is missing in the \(writer) schema"
        }
        return "{errorType:'\(kind.rawValue)', description:'\(description)', additionalInfo:'\(additionalInfo)'}"
    }

    /// The `{oldSchemaVersion: N}` line Confluent's registry appends after an existing schema's messages.
    public static func confluentOldSchemaVersionMessage(_ version: Int) -> String {
        "{oldSchemaVersion: \(version)}"
    }

    /// The `{oldSchema: '...'}` line Confluent's registry appends after an existing schema's messages;
    /// like Confluent, schema text over 10 KiB is truncated.
    public static func confluentOldSchemaMessage(_ schemaText: String) -> String {
        let limit = 10 * 1024
        guard schemaText.count > limit else { return "{oldSchema: '\(schemaText)'}" }
        return "{oldSchema: <truncated to \(limit) characters> '\(schemaText.prefix(limit))'}"
    }

    /// This incompatibility with its location moved under `prefix` (a path in the enclosing schema;
    /// while checking, the root is the empty path).
    func located(under prefix: String) -> Incompatibility {
        guard !prefix.isEmpty else { return self }
        return Incompatibility(kind: kind, location: prefix + location, message: message,
                               additionalInfo: additionalInfo, direction: direction)
    }

    /// The finished form: the root's empty path written `/`, as Java writes it.
    var withRootSlash: Incompatibility {
        guard location.isEmpty else { return self }
        return Incompatibility(kind: kind, location: "/", message: message, additionalInfo: additionalInfo, direction: direction)
    }
}
