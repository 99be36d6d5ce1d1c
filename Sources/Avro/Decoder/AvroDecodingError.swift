/// Binary input that is not a valid datum of the schema, with where it went wrong.
public struct AvroDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong with the input.
    public enum Kind: Sendable, Hashable {
        /// The input ends inside the datum.
        case truncated
        /// The datum ends before the input does.
        case trailingBytes(count: Int)
        /// A varint longer than 10 bytes or beyond 64 bits.
        case invalidVarint
        /// An int whose varint does not fit in 32 bits.
        case intOutOfRange(Int64)
        /// A boolean byte other than 0 or 1.
        case invalidBoolean(UInt8)
        /// A negative bytes, string or block-size length.
        case negativeLength(Int64)
        /// A length longer than the bytes that remain (checked before anything is allocated).
        case lengthExceedsRemaining(length: Int64, remaining: Int)
        /// An array or map block count that the remaining bytes cannot hold.
        case countExceedsRemaining(count: Int64, remaining: Int)
        /// A block's byte size that differs from the bytes its items took.
        case blockSizeMismatch(declared: Int64, actual: Int)
        /// A string or map key that is not UTF-8.
        case invalidUTF8
        /// A union branch index outside the union.
        case invalidUnionIndex(Int64, branches: Int)
        /// An enum symbol index outside the symbols.
        case invalidEnumIndex(Int64, symbols: Int)
        /// More items of zero-size types (nulls, empty records) than the configured limit.
        case tooManyItems(limit: Int)
        /// Nesting deeper than the configured limit.
        case tooDeep(limit: Int)
    }

    public var kind: Kind
    /// Byte offset in the datum's input where the problem was found.
    public var offset: Int
    /// A JSONPath to the value being read, e.g. `$.items[2].price`.
    public var path: String

    public init(kind: Kind, offset: Int, path: String) {
        self.kind = kind
        self.offset = offset
        self.path = path
    }

    public var description: String {
        let what: String
        switch kind {
        case .truncated: what = "input ends inside the datum"
        case .trailingBytes(let count): what = "\(count) bytes after the end of the datum"
        case .invalidVarint: what = "invalid varint (longer than 10 bytes or beyond 64 bits)"
        case .intOutOfRange(let value): what = "int value \(value) does not fit in 32 bits"
        case .invalidBoolean(let byte): what = "boolean byte \(byte) is neither 0 nor 1"
        case .negativeLength(let length): what = "negative length \(length)"
        case .lengthExceedsRemaining(let length, let remaining): what = "length \(length) exceeds the \(remaining) bytes remaining"
        case .countExceedsRemaining(let count, let remaining): what = "block count \(count) cannot fit in the \(remaining) bytes remaining"
        case .blockSizeMismatch(let declared, let actual): what = "block declared \(declared) bytes but its items took \(actual)"
        case .invalidUTF8: what = "string is not valid UTF-8"
        case .invalidUnionIndex(let index, let branches): what = "union branch index \(index) outside 0..<\(branches)"
        case .invalidEnumIndex(let index, let symbols): what = "enum index \(index) outside 0..<\(symbols)"
        case .tooManyItems(let limit): what = "more than \(limit) zero-size items"
        case .tooDeep(let limit): what = "nesting deeper than \(limit) levels"
        }
        return "invalid Avro datum at \(path) (byte \(offset)): \(what)"
    }
}
