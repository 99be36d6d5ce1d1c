/// One reason a JSON event does not match its schema: where, what the schema expects there,
/// and a short excerpt of what the input has.
public struct ValidationError: Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, for callers that map errors to codes.
    public enum Kind: Sendable, Hashable {
        /// The input is not JSON; the position is jansson-style (line and character column, from 1).
        case malformedJSON(line: Int, column: Int)
        /// The input is longer than the configured limit.
        case tooLarge
        /// The input nests deeper than the configured limit.
        case tooDeep
        /// A value of the wrong type, out of range, or not in the expected format.
        case invalidValue
        /// A record field without a value and without a default.
        case missingField
        /// An object member that names no field of the record.
        case unknownField
        /// An object member whose key appears twice.
        case duplicateKey
        /// avro-c refused to write a value that passed validation: a bug, reported rather than crashed on.
        case encodingFailed
    }

    public var kind: Kind
    /// A JSONPath into the event, e.g. `$.items[2].price`.
    public var path: String
    /// What the schema expects at `path`.
    public var expected: String
    /// An excerpt of the input at `path`, at most 40 characters, on one line.
    public var got: String

    public init(kind: Kind, path: String, expected: String, got: String) {
        self.kind = kind
        self.path = path
        self.expected = expected
        self.got = got
    }

    public var description: String { "\(path): expected \(expected), got \(got)" }
}
