/// Conversions between decimal text and the decimal logical type's unscaled value, a big-endian
/// two's-complement integer of any length.
enum DecimalText {
    /// Why a decimal text was not accepted.
    enum Problem: Error {
        case notANumber
        /// More fraction digits than the scale, other than trailing zeros.
        case tooManyFractionDigits
        /// More significant digits than the precision.
        case tooManyDigits
    }

    /// Encodes decimal text as the two's-complement big-endian unscaled value for `scale`:
    /// minimal length (at least one byte) when `size` is nil, else sign-extended to `size`.
    /// `digits` is scratch storage, reused between calls so the common case allocates nothing.
    static func encode(_ text: UnsafeRawBufferPointer, precision: Int, scale: Int, size: Int?, into out: inout [UInt8], digits: inout [UInt8]) throws(Problem) {
        if let value = try smallUnscaledValue(text, precision: precision, scale: scale) {
            try write(value, size: size, into: &out)
            return
        }
        let negative = try unscaledDigits(text, precision: precision, scale: scale, into: &digits)
        if digits.count <= 18 {
            var magnitude: Int64 = 0
            for digit in digits { magnitude = magnitude * 10 + Int64(digit) }
            try write(negative ? -magnitude : magnitude, size: size, into: &out)
            return
        }
        guard let bytes = twosComplement(digits: digits, negative: negative, size: size) else { throw .tooManyDigits }
        out.append(contentsOf: bytes)
    }

    /// Writes an unscaled value that fits 64 bits: minimal length, or sign-extended to `size`.
    private static func write(_ value: Int64, size: Int?, into out: inout [UInt8]) throws(Problem) {
        // The fewest bytes whose signed range holds the value.
        var length = 1
        while length < 8 && (value < -(Int64(1) << (8 * length - 1)) || value >= Int64(1) << (8 * length - 1)) { length += 1 }
        let width = size ?? length
        guard width >= length else { throw .tooManyDigits }
        for index in stride(from: width - 1, through: 0, by: -1) {
            out.append(index >= 8 ? (value < 0 ? 0xFF : 0x00) : UInt8(truncatingIfNeeded: value >> (8 * index)))
        }
    }

    /// The unscaled value of the common texts, `[-+]digits[.digits]` whose unscaled value has at
    /// most 18 digits, read straight into an integer without the digit array; nil for any other
    /// text, which ``unscaledDigits(_:precision:scale:into:)`` then reads. Throws what that would.
    private static func smallUnscaledValue(_ text: UnsafeRawBufferPointer, precision: Int, scale: Int) throws(Problem) -> Int64? {
        var p = 0
        var negative = false
        if p < text.count, text[p] == UInt8(ascii: "-") || text[p] == UInt8(ascii: "+") {
            negative = text[p] == UInt8(ascii: "-")
            p += 1
        }
        // The significant digits (leading zeros dropped) as an integer, and how many there are.
        var magnitude: Int64 = 0
        var count = 0
        var fractionDigits = 0
        var inFraction = false
        var runStart = p
        while true {
            while p < text.count, text[p] &- UInt8(ascii: "0") < 10 {
                if count > 0 || text[p] != UInt8(ascii: "0") {
                    guard count < 18 else { return nil }
                    magnitude = magnitude * 10 + Int64(text[p] &- UInt8(ascii: "0"))
                    count += 1
                }
                if inFraction { fractionDigits += 1 }
                p += 1
            }
            // The integer part and the fraction part (if any) each have a digit.
            guard p > runStart else { return nil }
            guard !inFraction, p < text.count, text[p] == UInt8(ascii: ".") else { break }
            inFraction = true
            p += 1
            runStart = p
        }
        guard p == text.count else { return nil }
        // As in unscaledDigits: fraction digits beyond the scale must be zeros, and are dropped.
        var shift = scale - fractionDigits
        while shift < 0, count > 0 {
            guard magnitude % 10 == 0 else { throw .tooManyFractionDigits }
            magnitude /= 10
            count -= 1
            shift += 1
        }
        if count == 0 { return 0 }
        let zeros = max(shift, 0)
        guard count + zeros <= precision else { throw .tooManyDigits }
        guard count + zeros <= 18 else { return nil }
        for _ in 0 ..< zeros { magnitude *= 10 }
        return negative ? -magnitude : magnitude
    }

    /// Parses `[-+]digits[.digits][(e|E)[-+]digits]` (JSON number syntax, a leading `+` and
    /// bare `.5`/`5.` forms also accepted) into the digits of the unscaled value for `scale`,
    /// most significant first, without leading zeros; returns the sign. Linear in the text's
    /// length; the big-integer work only ever sees at most `precision` digits.
    static func unscaledDigits(_ text: UnsafeRawBufferPointer, precision: Int, scale: Int, into digits: inout [UInt8]) throws(Problem) -> Bool {
        digits.removeAll(keepingCapacity: true)
        var p = 0
        var negative = false
        if p < text.count, text[p] == UInt8(ascii: "-") || text[p] == UInt8(ascii: "+") {
            negative = text[p] == UInt8(ascii: "-")
            p += 1
        }
        var exponent = 0
        var sawDigit = false
        while p < text.count, text[p] &- UInt8(ascii: "0") < 10 {
            sawDigit = true
            if !(digits.isEmpty && text[p] == UInt8(ascii: "0")) { digits.append(text[p] &- UInt8(ascii: "0")) }
            p += 1
        }
        if p < text.count, text[p] == UInt8(ascii: ".") {
            p += 1
            while p < text.count, text[p] &- UInt8(ascii: "0") < 10 {
                sawDigit = true
                let digit = text[p] &- UInt8(ascii: "0")
                if !(digits.isEmpty && digit == 0) { digits.append(digit) }
                exponent -= 1
                p += 1
            }
        }
        guard sawDigit else { throw .notANumber }
        if p < text.count, text[p] == UInt8(ascii: "e") || text[p] == UInt8(ascii: "E") {
            p += 1
            var exponentNegative = false
            if p < text.count, text[p] == UInt8(ascii: "-") || text[p] == UInt8(ascii: "+") {
                exponentNegative = text[p] == UInt8(ascii: "-")
                p += 1
            }
            guard p < text.count else { throw .notANumber }
            var written = 0
            while p < text.count, text[p] &- UInt8(ascii: "0") < 10 {
                if written < 1_000_000 { written = written * 10 + Int(text[p] &- UInt8(ascii: "0")) }
                p += 1
            }
            exponent += exponentNegative ? -written : written
        }
        guard p == text.count else { throw .notANumber }
        // value = digits × 10^exponent; the unscaled value is digits × 10^(exponent + scale).
        var shift = exponent + scale
        while shift < 0, let last = digits.last {
            guard last == 0 else { throw .tooManyFractionDigits }
            digits.removeLast()
            shift += 1
        }
        if digits.isEmpty { return false }
        guard digits.count + max(shift, 0) <= precision else { throw .tooManyDigits }
        for _ in 0 ..< max(shift, 0) { digits.append(0) }
        return negative
    }

    /// The two's-complement big-endian bytes of a decimal digit string: the minimal length
    /// (at least one byte) when `size` is nil, else sign-extended to `size` (nil if it does not fit).
    static func twosComplement(digits: [UInt8], negative: Bool, size: Int?) -> [UInt8]? {
        // Magnitude in base 2^32, least significant limb first.
        var limbs: [UInt32] = []
        for digit in digits {
            var carry = UInt64(digit)
            for index in limbs.indices {
                let product = UInt64(limbs[index]) * 10 + carry
                limbs[index] = UInt32(truncatingIfNeeded: product)
                carry = product >> 32
            }
            if carry > 0 { limbs.append(UInt32(carry)) }
        }
        var magnitude: [UInt8] = []
        for limb in limbs.reversed() {
            magnitude.append(UInt8(truncatingIfNeeded: limb >> 24))
            magnitude.append(UInt8(truncatingIfNeeded: limb >> 16))
            magnitude.append(UInt8(truncatingIfNeeded: limb >> 8))
            magnitude.append(UInt8(truncatingIfNeeded: limb))
        }
        var bytes = Array(magnitude.drop { $0 == 0 })
        if negative && !bytes.isEmpty {
            // Negate: invert every bit and add one.
            var carry = 1
            for index in bytes.indices.reversed() {
                let sum = Int(~bytes[index]) + carry
                bytes[index] = UInt8(truncatingIfNeeded: sum)
                carry = sum >> 8
            }
        }
        let signByte: UInt8 = negative && !bytes.isEmpty ? 0xFF : 0x00
        // One more byte when the top bit disagrees with the sign.
        if bytes.isEmpty || (bytes[0] & 0x80 != 0) != (signByte == 0xFF) {
            bytes.insert(signByte, at: 0)
        }
        // Redundant sign bytes of a negative number (0xFF followed by a byte with its top bit set).
        while bytes.count > 1, bytes[0] == signByte, (bytes[1] & 0x80 != 0) == (signByte == 0xFF) {
            bytes.removeFirst()
        }
        guard let size else { return bytes }
        guard bytes.count <= size else { return nil }
        return [UInt8](repeating: signByte, count: size - bytes.count) + bytes
    }

    /// Writes the decimal text of a two's-complement big-endian unscaled value with `scale`
    /// fraction digits (`-12.30`, `0.05`, `7`).
    static func format(_ bytes: UnsafeRawBufferPointer, scale: Int, to out: inout [UInt8]) {
        if bytes.count <= 8 && scale < 20 {
            formatSmall(bytes, scale: scale, to: &out)
            return
        }
        let negative = (bytes.first ?? 0) & 0x80 != 0
        // Magnitude in base 2^32 limbs, most significant first.
        var magnitude = [UInt8](bytes)
        if negative {
            var carry = 1
            for index in magnitude.indices.reversed() {
                let sum = Int(~magnitude[index]) + carry
                magnitude[index] = UInt8(truncatingIfNeeded: sum)
                carry = sum >> 8
            }
        }
        var limbs: [UInt32] = []
        let padding = (4 - magnitude.count % 4) % 4
        var limb: UInt32 = 0
        for (index, byte) in ([UInt8](repeating: 0, count: padding) + magnitude).enumerated() {
            limb = limb << 8 | UInt32(byte)
            if index % 4 == 3 {
                limbs.append(limb)
                limb = 0
            }
        }
        // Repeated division by 10^9 yields base-10^9 chunks, least significant first.
        var chunks: [UInt32] = []
        while limbs.contains(where: { $0 != 0 }) {
            var remainder: UInt64 = 0
            for index in limbs.indices {
                let current = remainder << 32 | UInt64(limbs[index])
                limbs[index] = UInt32(current / 1_000_000_000)
                remainder = current % 1_000_000_000
            }
            chunks.append(UInt32(remainder))
        }
        var digits: [UInt8] = []
        for (index, chunk) in chunks.reversed().enumerated() {
            let text = Array(String(chunk).utf8)
            if index > 0 { digits.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: 9 - text.count)) }
            digits.append(contentsOf: text)
        }
        if digits.count <= scale {
            digits.insert(contentsOf: repeatElement(UInt8(ascii: "0"), count: scale - digits.count + 1), at: 0)
        }
        if negative { out.append(UInt8(ascii: "-")) }
        out.append(contentsOf: digits[..<(digits.count - scale)])
        if scale > 0 {
            out.append(UInt8(ascii: "."))
            out.append(contentsOf: digits[(digits.count - scale)...])
        }
    }

    /// `format` for values of at most 8 bytes and scales below 20, in 64-bit arithmetic
    /// without allocating (at most 20 digits, written into 24 bytes of stack).
    private static func formatSmall(_ bytes: UnsafeRawBufferPointer, scale: Int, to out: inout [UInt8]) {
        var value: Int64 = (bytes.first ?? 0) & 0x80 != 0 ? -1 : 0
        for byte in bytes { value = value << 8 | Int64(byte) }
        if value < 0 { out.append(UInt8(ascii: "-")) }
        // The magnitude of Int64.min fits in UInt64.
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { buffer in
            var count = 0
            repeat {
                buffer[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            while count <= scale {
                buffer[count] = UInt8(ascii: "0")
                count += 1
            }
            for index in stride(from: count - 1, through: 0, by: -1) {
                out.append(buffer[index])
                if index == scale && scale > 0 { out.append(UInt8(ascii: ".")) }
            }
        }
    }
}
