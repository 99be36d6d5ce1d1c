import Hummingbird

extension ByteBuffer {
    /// Writes `value` in decimal, without the `String` that `String(value)` would allocate: a batch's
    /// answer holds two numbers per record.
    @discardableResult
    mutating func writeDecimal(_ value: Int64) -> Int {
        // 20 digits and a sign hold every Int64; digits are produced from the right.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var magnitude = value.magnitude
            var start = digits.count
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            let sign = value < 0 ? writeInteger(UInt8(ascii: "-")) : 0
            return sign + writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: digits[start...])))
        }
    }
}
