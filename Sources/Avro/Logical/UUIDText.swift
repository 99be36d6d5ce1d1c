/// The textual UUID form of RFC 4122, `8-4-4-4-12` hexadecimal digits.
enum UUIDText {
    /// The 16 bytes of a UUID text (either letter case), or nil if it is not one.
    static func parse(_ text: UnsafeRawBufferPointer) -> [UInt8]? {
        guard text.count == 36 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        var p = 0
        while p < 36 {
            if p == 8 || p == 13 || p == 18 || p == 23 {
                guard text[p] == UInt8(ascii: "-") else { return nil }
                p += 1
                continue
            }
            guard let high = hexValue(text[p]), let low = hexValue(text[p + 1]) else { return nil }
            bytes.append(high << 4 | low)
            p += 2
        }
        return bytes
    }

    /// Whether the text is a UUID. Checked per event for uuid strings: the dashes first, then one
    /// test per byte, where only a byte that is no hex digit asks whether it is a dash's place.
    static func isValid(_ text: UnsafeRawBufferPointer) -> Bool {
        guard text.count == 36, text[8] == UInt8(ascii: "-"), text[13] == UInt8(ascii: "-"),
              text[18] == UInt8(ascii: "-"), text[23] == UInt8(ascii: "-") else { return false }
        for index in 0 ..< 36 {
            let byte = text[index]
            // Setting bit 5 maps `A`-`F` onto `a`-`f` and no other byte onto them.
            if byte &- UInt8(ascii: "0") < 10 || (byte | 0x20) &- UInt8(ascii: "a") < 6 { continue }
            guard index == 8 || index == 13 || index == 18 || index == 23 else { return false }
        }
        return true
    }

    /// Writes 16 bytes as a lowercase UUID text.
    static func format(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        let digits = Array("0123456789abcdef".utf8)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { out.append(UInt8(ascii: "-")) }
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0") ... UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a") ... UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A") ... UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
