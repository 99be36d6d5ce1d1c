import Hummingbird

extension ByteBuffer {
    /// Writes `value` in decimal, without the `String` that `String(value)` would allocate: a batch's
    /// answer holds two numbers per record.
    @discardableResult
    mutating func writeDecimal(_ value: Int64) -> Int {
        writeWithUnsafeMutableBytes(minimumWritableBytes: Self.maxDecimalLength) { Self.writeDecimal(value, into: $0) }
    }

    /// The longest decimal ``writeDecimal(_:into:)`` writes: `Int64.min`, sign and 19 digits.
    static let maxDecimalLength = 20

    /// Writes `value` in decimal at the start of `out` (room for ``maxDecimalLength`` bytes); returns its length.
    static func writeDecimal(_ value: Int64, into out: UnsafeMutableRawBufferPointer) -> Int {
        var magnitude = value.magnitude
        var length = value < 0 ? 2 : 1
        var rest = magnitude
        while rest >= 10 {
            rest /= 10
            length += 1
        }
        if value < 0 { out[0] = UInt8(ascii: "-") }
        // Digits from the right: the lowest is the remainder.
        var position = length
        repeat {
            position -= 1
            out[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
            magnitude /= 10
        } while magnitude > 0
        return length
    }
}
