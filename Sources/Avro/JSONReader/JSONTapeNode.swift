/// One value of a ``JSONTape``, stored flat in document order. A container's elements (an
/// object's key and value nodes, alternating) follow it directly; `next` skips past them.
struct JSONTapeNode: Sendable {
    enum Kind: UInt8, Sendable {
        case null
        case `false`
        case `true`
        /// A number without fraction or exponent that fits in 64 bits.
        case integer
        /// Any other number.
        case real
        case string
        case array
        case object
    }

    var kind: Kind
    /// Offset of the value's first byte in the input (a string's opening quote).
    var source: UInt32
    /// string: offset of its unescaped, NUL-terminated bytes in the tape's buffer;
    /// number: length of its text; container: number of elements (object: members).
    var a: UInt32
    /// string: byte length; container: index of the first node after its descendants.
    var b: UInt32
    /// integer: the `Int64` bits; real: the `Double` bits; container: offset just past its closing bracket.
    var payload: UInt64

    var integer: Int64 { Int64(bitPattern: payload) }
    var real: Double { Double(bitPattern: payload) }
    var count: Int { Int(a) }
    var isNumber: Bool { kind == .integer || kind == .real }
}
