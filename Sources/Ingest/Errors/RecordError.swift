import Avro

/// Why one record of a request was rejected: its position, and where in it the problem is.
public struct RecordError: Sendable, Hashable, CustomStringConvertible {
    /// The record's 0-based position in the request.
    public var index: Int
    /// The 1-based line of NDJSON input (and of `avrogate produce`), when the input has lines.
    public var line: Int?
    /// A JSONPath into the record, e.g. `$.items[2].price`.
    public var path: String
    /// What the schema expects there.
    public var expected: String
    /// What the record has there.
    public var got: String
    /// The class of failure: malformed JSON, too deep, or not matching the schema.
    public var code: IngestErrorCode

    public init(index: Int, line: Int? = nil, path: String, expected: String, got: String, code: IngestErrorCode = .invalidRecord) {
        self.index = index
        self.line = line
        self.path = path
        self.expected = expected
        self.got = got
        self.code = code
    }

    static func code(of kind: ValidationError.Kind) -> IngestErrorCode {
        switch kind {
        case .malformedJSON: .malformedJSON
        case .tooDeep: .nestingTooDeep
        case .tooLarge: .bodyTooLarge
        default: .invalidRecord
        }
    }

    public var description: String {
        let position = line.map { "line \($0)" } ?? "record \(index)"
        return "\(position): \(path): expected \(expected), got \(got)"
    }
}

/// A record that was not produced, with every reason.
public struct RecordRejection: Error, Sendable {
    public var errors: [RecordError]

    public init(errors: [RecordError]) {
        self.errors = errors
    }
}
