/// Where the events of an `application/json` body are: the body itself for one object, each
/// element for an array (a batch). Used for the bodies ``RecordEncoder/encodeArray(_:partition:maxElements:into:)``
/// leaves to it: one object, or an array with a problem somewhere. Only the structure is checked here (brackets, strings, commas);
/// each event's own content is checked by the encoder, whose positions are then moved by the
/// element's ``Element/line`` and ``Element/column``.
struct JSONBatchFraming {
    /// One event: its bytes in the body and where it starts (1-based line and character column).
    struct Element {
        var range: Range<Int>
        var line: Int
        var column: Int
    }

    /// Whether the body was an array (a batch) or one object.
    var isArray: Bool
    var elements: [Element]

    /// Frames `body`; throws 400 for broken structure or nesting deeper than `maxDepth` (the
    /// batch's own array not counted), 413 beyond `maxElements` events.
    init(_ body: UnsafeRawBufferPointer, maxDepth: Int, maxElements: Int) throws(IngestError) {
        var scanner = Scanner(bytes: body)
        scanner.skipWhitespace()
        guard let first = scanner.peek else {
            throw IngestError(.malformedJSON, "the body is empty: send one JSON object (an event) or an array of objects (a batch)")
        }
        elements = []
        switch first {
        case UInt8(ascii: "["):
            isArray = true
            scanner.advance()
            scanner.skipWhitespace()
            if scanner.peek == UInt8(ascii: "]") {
                scanner.advance()
            } else {
                while true {
                    guard elements.count < maxElements else {
                        throw IngestError(.tooManyRecords, "the batch holds more than \(maxElements) records (--max-batch-records); split it into several requests")
                    }
                    let start = scanner.offset
                    let position = scanner.position()
                    try scanner.skipValue(maxDepth: maxDepth)
                    elements.append(Element(range: start ..< scanner.offset, line: position.line, column: position.column))
                    scanner.skipWhitespace()
                    if scanner.peek == UInt8(ascii: ",") {
                        scanner.advance()
                        scanner.skipWhitespace()
                        continue
                    }
                    guard scanner.peek == UInt8(ascii: "]") else {
                        throw scanner.malformed(scanner.peek == nil ? "the array is not closed: expected ',' or ']'" : "expected ',' or ']' after an array element")
                    }
                    scanner.advance()
                    break
                }
            }
        case UInt8(ascii: "{"):
            isArray = false
            let start = scanner.offset
            let position = scanner.position()
            try scanner.skipValue(maxDepth: maxDepth)
            elements.append(Element(range: start ..< scanner.offset, line: position.line, column: position.column))
        default:
            throw scanner.malformed("expected one JSON object (an event) or an array of objects (a batch)")
        }
        scanner.skipWhitespace()
        guard scanner.peek == nil else {
            throw scanner.malformed("unexpected content after the end of the JSON document")
        }
    }

    /// A cursor over the body that can tell its line and column. Those are counted only when
    /// asked for (at each event's start and at an error), from where they were last counted, so
    /// the bytes in between are looked at once and a word at a time.
    private struct Scanner {
        let bytes: UnsafeRawBufferPointer
        var offset = 0
        /// The line and column (1-based, counting characters) at `counted`.
        private var counted = 0
        private var line = 1
        private var column = 1
        /// The closing brackets of the containers open in the value being skipped, innermost last
        /// (kept between values so a batch allocates it once).
        private var open: [UInt8] = []

        init(bytes: UnsafeRawBufferPointer) {
            self.bytes = bytes
        }

        /// The line and column at `offset`: lines count `\n`, columns count the bytes that do not
        /// continue a UTF-8 sequence.
        mutating func position() -> (line: Int, column: Int) {
            while counted < offset {
                if counted + 8 <= offset {
                    let word = bytes.loadUnaligned(fromByteOffset: counted, as: UInt64.self)
                    if zeroBytes(word ^ 0x0A0A_0A0A_0A0A_0A0A) == 0 {
                        // Continuation bytes are 0b10xxxxxx: bit 7 set, bit 6 (shifted up to bit 7)
                        // clear. The multiplication adds the eight 0-or-1 lanes into the top byte.
                        let continuations = (word & ~(word << 1) & 0x8080_8080_8080_8080) >> 7
                        column += 8 - Int((continuations &* 0x0101_0101_0101_0101) >> 56)
                        counted += 8
                        continue
                    }
                }
                let byte = bytes[counted]
                counted += 1
                if byte == UInt8(ascii: "\n") {
                    line += 1
                    column = 1
                } else if byte & 0xC0 != 0x80 {
                    column += 1
                }
            }
            return (line, column)
        }

        var peek: UInt8? { offset < bytes.count ? bytes[offset] : nil }

        mutating func advance() {
            offset += 1
        }

        mutating func skipWhitespace() {
            while let byte = peek, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
                advance()
            }
        }

        /// Skips one value: a container with everything in it, a string, or a bare scalar.
        mutating func skipValue(maxDepth: Int) throws(IngestError) {
            open.removeAll(keepingCapacity: true)
            repeat {
                guard let byte = peek else {
                    // `open` holds the closing brackets still expected.
                    throw malformed(open.isEmpty ? "expected a value" : "the document ends inside \(open.last == UInt8(ascii: "}") ? "an object" : "an array")")
                }
                switch byte {
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    guard open.count < maxDepth else {
                        let (line, column) = position()
                        throw IngestError(.nestingTooDeep, "JSON nested deeper than \(maxDepth) levels at line \(line), column \(column); flatten the event")
                    }
                    open.append(byte == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]"))
                    advance()
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    guard open.last == byte else {
                        throw malformed("unexpected '\(Character(Unicode.Scalar(byte)))'")
                    }
                    open.removeLast()
                    advance()
                case UInt8(ascii: "\""):
                    try skipString()
                default:
                    if open.isEmpty {
                        skipScalar()
                    } else {
                        advance()
                    }
                }
            } while !open.isEmpty
        }

        /// Skips a string: runs of bytes that are neither a quote nor a backslash eight at a time.
        private mutating func skipString() throws(IngestError) {
            advance()
            while true {
                while offset + 8 <= bytes.count {
                    let word = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                    let special = zeroBytes(word ^ 0x2222_2222_2222_2222) | zeroBytes(word ^ 0x5C5C_5C5C_5C5C_5C5C)
                    if special != 0 {
                        // The lowest flagged byte is exact (borrows only run upward).
                        offset += special.trailingZeroBitCount >> 3
                        break
                    }
                    offset += 8
                }
                guard let byte = peek else { break }
                advance()
                if byte == UInt8(ascii: "\\") {
                    guard peek != nil else { break }
                    advance()
                } else if byte == UInt8(ascii: "\"") {
                    return
                }
            }
            throw malformed("a string is not closed")
        }

        private mutating func skipScalar() {
            while let byte = peek, !(byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") || byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09) {
                advance()
            }
        }

        mutating func malformed(_ reason: String) -> IngestError {
            let (line, column) = position()
            return IngestError(.malformedJSON, "malformed JSON at line \(line), column \(column): \(reason)")
        }
    }
}

/// Flags the zero bytes of `x` (bit 7 of each); the lowest flag is exact, higher ones may be
/// borrows from it.
@inline(__always)
private func zeroBytes(_ x: UInt64) -> UInt64 {
    (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
}
