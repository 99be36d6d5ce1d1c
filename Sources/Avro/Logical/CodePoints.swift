/// The Avro JSON convention for bytes and fixed values: a string whose code points U+0000–U+00FF
/// are the bytes.
enum CodePoints {
    /// Decodes the UTF-8 of such a string into bytes; false if a code point is above U+00FF.
    /// The input is well-formed UTF-8 (the JSON parser checked it).
    static func decode(_ utf8: UnsafeRawBufferPointer, into out: inout [UInt8]) -> Bool {
        var p = 0
        while p < utf8.count {
            let lead = utf8[p]
            if lead < 0x80 {
                out.append(lead)
                p += 1
            } else if lead == 0xC2 || lead == 0xC3, p + 1 < utf8.count {
                out.append((lead & 0x03) << 6 | (utf8[p + 1] & 0x3F))
                p += 2
            } else {
                return false
            }
        }
        return true
    }
}
