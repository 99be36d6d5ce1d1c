/// A JSON document (RFC 8259) parsed in place into a flat list of nodes: the event parser of the
/// JSON → Avro encoder.
///
/// jansson needs about 10 µs for a 700-byte event (it reads byte by byte through a callback and
/// allocates every value), more than the whole encoding budget; this parser copies the input
/// once, unescapes strings in that copy and NUL-terminates them there, and keeps the nodes in a
/// reused array, so a warm tape parses without allocating.
///
/// It accepts what jansson accepts with `JSON_DECODE_ANY | JSON_ALLOW_NUL` (the JSONToAvro fuzz
/// target checks this), except: integers beyond 64 bits are read as reals (the encoder then
/// holds them to the schema) where jansson fails; `\u0000` in object keys is accepted (the
/// encoder refuses it in map keys, which avro-c cannot store); a raw NUL byte is an error where
/// jansson silently ends the document at it; and duplicate keys are left to the encoder, which
/// rejects them where it reads them.
struct JSONTape: Sendable {
    /// The nodes in document order; the root is node 0.
    var nodes: ArraySlice<JSONTapeNode> { storage[..<nodeCount] }
    /// The input copied, with strings rewritten in place: unescaped and NUL-terminated; then
    /// zero padding.
    private(set) var buffer: [UInt8] = []
    /// Room for nodes, kept from parse to parse; the first `nodeCount` are the document's.
    private var storage: [JSONTapeNode] = []
    private var nodeCount = 0

    /// Zero bytes after the input, so that scanners can read a word past any offset of the
    /// input without a bounds check; a zero byte also stops every scan.
    private static let padding = 8

    init() {}

    /// Parses `input`, replacing the tape's previous content. Containers nested deeper than
    /// `maxDepth` are an error.
    mutating func parse(_ input: UnsafeRawBufferPointer, maxDepth: Int) throws(JSONTapeError) {
        nodeCount = 0
        let size = input.count + Self.padding
        if buffer.count < size {
            buffer.append(contentsOf: repeatElement(0, count: size - buffer.count))
        } else {
            buffer.removeLast(buffer.count - size)
        }
        if storage.isEmpty { storage = Array(repeating: JSONTapeNode(kind: .null, source: 0, a: 0, b: 0, payload: 0), count: 64) }
        while true {
            // The parser writes nodes through a pointer without growing the array: when they do
            // not fit it stops, and the parse starts over from a fresh copy with twice the room
            // (a document has at most one node per byte, so this ends).
            let outcome: Result<Int, ParseFailure> = buffer.withUnsafeMutableBytes { bytes in
                storage.withUnsafeMutableBufferPointer { nodes in
                    UnsafeMutableRawBufferPointer(rebasing: bytes[..<input.count]).copyMemory(from: input)
                    let base = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
                    (base + input.count).update(repeating: 0, count: Self.padding)
                    var parser = JSONTapeParser(base: base, count: input.count, maxDepth: maxDepth, nodes: nodes)
                    do throws(ParseFailure) {
                        try parser.run()
                        return .success(parser.nodeCount)
                    } catch {
                        return .failure(error)
                    }
                }
            }
            switch outcome {
            case .success(let count):
                nodeCount = count
                return
            case .failure(let failure) where failure.outOfRoom:
                storage.append(contentsOf: repeatElement(storage[0], count: storage.count))
            case .failure(let failure):
                throw JSONTapeError(parseError: JSONParseError(failure, input: input), offset: failure.offset, tooDeep: failure.tooDeep)
            }
        }
    }
}

/// Where and why parsing stopped.
struct ParseFailure: Error {
    var offset: Int
    var message: String
    var tooDeep = false
    /// Not a problem of the document: the tape's node storage is full (see ``JSONTape/parse(_:maxDepth:)``).
    var outOfRoom = false

    static let outOfRoom = ParseFailure(offset: 0, message: "", outOfRoom: true)
}

/// A document the tape could not hold: malformed, or nested deeper than allowed.
struct JSONTapeError: Error {
    var parseError: JSONParseError
    /// Byte offset of the problem in the input.
    var offset: Int
    var tooDeep: Bool
}

extension JSONParseError {
    /// Places a failure at its line and column (columns count characters, as jansson's do).
    init(_ failure: ParseFailure, input: UnsafeRawBufferPointer) {
        var line = 1
        var column = 1
        for byte in input.prefix(failure.offset) {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        self.init(message: failure.message, line: line, column: column)
    }
}

/// The state of one parse: a cursor over the buffer, the nodes written so far, and the chain of
/// open containers.
private struct JSONTapeParser {
    let base: UnsafeMutablePointer<UInt8>
    /// The input's length; `base[count]` and a few bytes after it are zero.
    let count: Int
    let maxDepth: Int
    let nodes: UnsafeMutableBufferPointer<JSONTapeNode>
    private(set) var nodeCount = 0

    private enum State { case value, key, afterValue }

    init(base: UnsafeMutablePointer<UInt8>, count: Int, maxDepth: Int, nodes: UnsafeMutableBufferPointer<JSONTapeNode>) {
        self.base = base
        self.count = count
        self.maxDepth = maxDepth
        self.nodes = nodes
    }

    @inline(__always)
    private mutating func emit(_ node: JSONTapeNode) throws(ParseFailure) {
        guard nodeCount < nodes.count else { throw .outOfRoom }
        nodes[nodeCount] = node
        nodeCount &+= 1
    }

    mutating func run() throws(ParseFailure) {
        guard count < Int(UInt32.max) else { throw ParseFailure(offset: 0, message: "document larger than 4 GiB") }
        var p = skipWhitespace(0)
        var state = State.value
        // The innermost open container, -1 outside all; an open container's `b` holds its
        // parent's index + 1 until it closes, so the chain needs no stack.
        var top = -1
        var depth = 0
        while true {
            switch state {
            case .value:
                guard p < count else { throw ParseFailure(offset: p, message: "unexpected end of input, a value was expected") }
                switch base[p] {
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    let isObject = base[p] == UInt8(ascii: "{")
                    guard depth < maxDepth else {
                        throw ParseFailure(offset: p, message: "nesting deeper than \(maxDepth) levels", tooDeep: true)
                    }
                    let index = nodeCount
                    try emit(JSONTapeNode(kind: isObject ? .object : .array, source: UInt32(truncatingIfNeeded: p), a: 0,
                                          b: UInt32(truncatingIfNeeded: top &+ 1), payload: 0))
                    top = index
                    depth += 1
                    p = skipWhitespace(p + 1)
                    if p < count, base[p] == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                        close(&top, &depth, at: p)
                        p += 1
                        state = .afterValue
                    } else {
                        state = isObject ? .key : .value
                    }
                case UInt8(ascii: "\""):
                    p = try string(at: p)
                    state = .afterValue
                case UInt8(ascii: "-"), UInt8(ascii: "0") ... UInt8(ascii: "9"):
                    p = try number(at: p)
                    state = .afterValue
                case UInt8(ascii: "t"):
                    p = try literal("true", .true, at: p)
                    state = .afterValue
                case UInt8(ascii: "f"):
                    p = try literal("false", .false, at: p)
                    state = .afterValue
                case UInt8(ascii: "n"):
                    p = try literal("null", .null, at: p)
                    state = .afterValue
                default:
                    throw ParseFailure(offset: p, message: "unexpected \(describe(at: p)), a value was expected")
                }
            case .key:
                guard p < count, base[p] == UInt8(ascii: "\"") else {
                    throw ParseFailure(offset: p, message: "unexpected \(describe(at: p)), a string key was expected")
                }
                p = skipWhitespace(try string(at: p))
                guard p < count, base[p] == UInt8(ascii: ":") else {
                    throw ParseFailure(offset: p, message: "unexpected \(describe(at: p)), ':' was expected")
                }
                p = skipWhitespace(p + 1)
                state = .value
            case .afterValue:
                guard top >= 0 else {
                    p = skipWhitespace(p)
                    guard p == count else { throw ParseFailure(offset: p, message: "unexpected \(describe(at: p)) after the JSON value") }
                    return
                }
                nodes[top].a &+= 1
                p = skipWhitespace(p)
                let isObject = nodes[top].kind == .object
                let closing = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
                guard p < count else {
                    throw ParseFailure(offset: p, message: "unexpected end of input, ',' or '\(Character(Unicode.Scalar(closing)))' was expected")
                }
                if base[p] == UInt8(ascii: ",") {
                    p = skipWhitespace(p + 1)
                    state = isObject ? .key : .value
                } else if base[p] == closing {
                    close(&top, &depth, at: p)
                    p += 1
                } else {
                    throw ParseFailure(offset: p, message: "unexpected \(describe(at: p)), ',' or '\(Character(Unicode.Scalar(closing)))' was expected")
                }
            }
        }
    }

    private func close(_ top: inout Int, _ depth: inout Int, at p: Int) {
        let parent = Int(nodes[top].b) - 1
        nodes[top].b = UInt32(truncatingIfNeeded: nodeCount)
        nodes[top].payload = UInt64(p + 1)
        top = parent
        depth -= 1
    }

    @inline(__always)
    private func skipWhitespace(_ start: Int) -> Int {
        var p = start
        while true {
            switch base[p] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): p += 1
            default: return p
            }
        }
    }

    private func describe(at p: Int) -> String {
        guard p < count else { return "end of input" }
        let byte = base[p]
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + String(byte, radix: 16)
    }

    private mutating func literal(_ word: StaticString, _ kind: JSONTapeNode.Kind, at p: Int) throws(ParseFailure) -> Int {
        let length = word.utf8CodeUnitCount
        // Every literal has at least four bytes; the padding lets them be compared as one word.
        var matches = p + length <= count
            && UnsafeRawPointer(base + p).loadUnaligned(as: UInt32.self) == UnsafeRawPointer(word.utf8Start).loadUnaligned(as: UInt32.self)
        for k in 4 ..< length where matches { matches = base[p + k] == word.utf8Start[k] }
        guard matches else {
            throw ParseFailure(offset: p, message: "invalid literal, '\(word)' was expected")
        }
        try emit(JSONTapeNode(kind: kind, source: UInt32(truncatingIfNeeded: p), a: 0, b: 0, payload: 0))
        return p + length
    }

    /// Parses the string starting at the quote at `start`; returns the offset after its closing quote.
    @inline(__always)
    private mutating func string(at start: Int) throws(ParseFailure) -> Int {
        // Plain ASCII needs no rewriting: skip it eight bytes at a time up to the first quote,
        // backslash, control character or non-ASCII byte. The lowest flagged byte of each test
        // is exact (borrows only run upward), so the first one found is the first in the text;
        // the zero padding stops the scan at the end of the input.
        @inline(__always) func zeroBytes(_ x: UInt64) -> UInt64 { (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080 }
        var r = start &+ 1
        while true {
            let word = UnsafeRawPointer(base + r).loadUnaligned(as: UInt64.self)
            let control = (word &- 0x2020_2020_2020_2020) & ~word & 0x8080_8080_8080_8080
            let special = zeroBytes(word ^ 0x2222_2222_2222_2222) | zeroBytes(word ^ 0x5C5C_5C5C_5C5C_5C5C) | control | (word & 0x8080_8080_8080_8080)
            if special != 0 {
                r &+= special.trailingZeroBitCount &>> 3
                break
            }
            r &+= 8
        }
        guard base[r] == UInt8(ascii: "\"") else { return try rewriteString(at: start, from: r) }
        base[r] = 0
        try emit(JSONTapeNode(kind: .string, source: UInt32(truncatingIfNeeded: start), a: UInt32(truncatingIfNeeded: start &+ 1),
                              b: UInt32(truncatingIfNeeded: r &- start &- 1), payload: 0))
        return r &+ 1
    }

    /// The rest of a string from `first`, its first byte that is not plain ASCII: escapes are
    /// decoded and UTF-8 checked, writing the result over the input.
    @inline(never)
    private mutating func rewriteString(at start: Int, from first: Int) throws(ParseFailure) -> Int {
        var r = first
        var w = r
        while true {
            guard r < count else { throw ParseFailure(offset: start, message: "unterminated string") }
            let byte = base[r]
            if byte == UInt8(ascii: "\"") {
                base[w] = 0
                try emit(JSONTapeNode(kind: .string, source: UInt32(truncatingIfNeeded: start), a: UInt32(truncatingIfNeeded: start + 1),
                                      b: UInt32(truncatingIfNeeded: w - start - 1), payload: 0))
                return r + 1
            } else if byte == UInt8(ascii: "\\") {
                guard r + 1 < count else { throw ParseFailure(offset: start, message: "unterminated string") }
                let escape = base[r + 1]
                var replacement: UInt8 = 0
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): replacement = escape
                case UInt8(ascii: "b"): replacement = 0x08
                case UInt8(ascii: "f"): replacement = 0x0C
                case UInt8(ascii: "n"): replacement = 0x0A
                case UInt8(ascii: "r"): replacement = 0x0D
                case UInt8(ascii: "t"): replacement = 0x09
                case UInt8(ascii: "u"):
                    var scalar = try hex4(at: r + 2)
                    r += 6
                    if scalar >= 0xD800 && scalar <= 0xDBFF {
                        guard base[r] == UInt8(ascii: "\\"), base[r + 1] == UInt8(ascii: "u") else {
                            throw ParseFailure(offset: r - 6, message: "invalid Unicode escape: lone high surrogate")
                        }
                        let low = try hex4(at: r + 2)
                        guard low >= 0xDC00 && low <= 0xDFFF else {
                            throw ParseFailure(offset: r, message: "invalid Unicode escape: high surrogate not followed by a low one")
                        }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        r += 6
                    } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
                        throw ParseFailure(offset: r - 6, message: "invalid Unicode escape: lone low surrogate")
                    }
                    w = writeUTF8(scalar, at: w)
                    continue
                default:
                    throw ParseFailure(offset: r, message: "invalid escape '\\\(describe(at: r + 1))'")
                }
                base[w] = replacement
                w += 1
                r += 2
            } else if byte < 0x20 {
                throw ParseFailure(offset: r, message: "control character 0x\(String(byte, radix: 16)) in a string (must be escaped)")
            } else if byte < 0x80 {
                base[w] = byte
                w += 1
                r += 1
            } else {
                let length = UTF8Validator.sequenceLength(base + r, available: count - r)
                guard length > 0 else { throw ParseFailure(offset: r, message: "invalid UTF-8 in a string") }
                for k in 0 ..< length { base[w + k] = base[r + k] }
                w += length
                r += length
            }
        }
    }

    private func hex4(at p: Int) throws(ParseFailure) -> UInt32 {
        guard p + 4 <= count else { throw ParseFailure(offset: p - 2, message: "invalid Unicode escape") }
        var value: UInt32 = 0
        for k in 0 ..< 4 {
            let byte = base[p + k]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0") ... UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a") ... UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A") ... UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw ParseFailure(offset: p - 2, message: "invalid Unicode escape")
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    private func writeUTF8(_ scalar: UInt32, at start: Int) -> Int {
        var w = start
        if scalar < 0x80 {
            base[w] = UInt8(scalar); w += 1
        } else if scalar < 0x800 {
            base[w] = UInt8(0xC0 | scalar >> 6); base[w + 1] = UInt8(0x80 | scalar & 0x3F); w += 2
        } else if scalar < 0x10000 {
            base[w] = UInt8(0xE0 | scalar >> 12); base[w + 1] = UInt8(0x80 | scalar >> 6 & 0x3F)
            base[w + 2] = UInt8(0x80 | scalar & 0x3F); w += 3
        } else {
            base[w] = UInt8(0xF0 | scalar >> 18); base[w + 1] = UInt8(0x80 | scalar >> 12 & 0x3F)
            base[w + 2] = UInt8(0x80 | scalar >> 6 & 0x3F); base[w + 3] = UInt8(0x80 | scalar & 0x3F); w += 4
        }
        return w
    }

    /// Parses the number starting at `start`; returns the offset after it.
    private mutating func number(at start: Int) throws(ParseFailure) -> Int {
        @inline(__always) func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }
        var p = start
        let negative = base[p] == UInt8(ascii: "-")
        if negative { p += 1 }
        guard isDigit(base[p]) else { throw ParseFailure(offset: start, message: "invalid number") }
        // The significand's digits as an integer while they fit, and the power of ten it is scaled by.
        var significand: UInt64 = 0
        var exact = true
        var exponent = 0
        if base[p] == UInt8(ascii: "0") {
            p += 1
            guard !isDigit(base[p]) else { throw ParseFailure(offset: start, message: "invalid number: leading zero") }
        } else {
            while isDigit(base[p]) {
                let digit = UInt64(base[p] &- UInt8(ascii: "0"))
                if significand <= (UInt64.max - digit) / 10 {
                    significand = significand * 10 + digit
                } else {
                    exact = false
                    exponent += 1
                }
                p += 1
            }
        }
        var isInteger = true
        if base[p] == UInt8(ascii: ".") {
            isInteger = false
            p += 1
            guard isDigit(base[p]) else { throw ParseFailure(offset: start, message: "invalid number: a digit must follow '.'") }
            while isDigit(base[p]) {
                let digit = UInt64(base[p] &- UInt8(ascii: "0"))
                if significand <= (UInt64.max - digit) / 10 {
                    significand = significand * 10 + digit
                    exponent -= 1
                } else if digit != 0 {
                    exact = false
                }
                p += 1
            }
        }
        if base[p] == UInt8(ascii: "e") || base[p] == UInt8(ascii: "E") {
            isInteger = false
            p += 1
            var exponentNegative = false
            if base[p] == UInt8(ascii: "+") || base[p] == UInt8(ascii: "-") {
                exponentNegative = base[p] == UInt8(ascii: "-")
                p += 1
            }
            guard isDigit(base[p]) else { throw ParseFailure(offset: start, message: "invalid number: a digit must follow the exponent") }
            var written = 0
            while isDigit(base[p]) {
                if written < 100_000 { written = written * 10 + Int(base[p] &- UInt8(ascii: "0")) }
                p += 1
            }
            exponent += exponentNegative ? -written : written
        }
        let length = UInt32(p - start)
        if isInteger && exact {
            if !negative && significand <= UInt64(Int64.max) {
                try emit(JSONTapeNode(kind: .integer, source: UInt32(truncatingIfNeeded: start), a: length, b: 0, payload: significand))
                return p
            }
            if negative && significand <= UInt64(Int64.max) + 1 {
                let value = significand == UInt64(Int64.max) + 1 ? Int64.min : -Int64(significand)
                try emit(JSONTapeNode(kind: .integer, source: UInt32(truncatingIfNeeded: start), a: length, b: 0, payload: UInt64(bitPattern: value)))
                return p
            }
        }
        var value: Double
        // Clinger's fast path: both the significand and the power of ten are exact doubles.
        if exact && significand <= 1 << 53 && exponent >= -22 && exponent <= 22 {
            value = Double(significand)
            value = exponent < 0 ? value / powersOfTen[-exponent] : value * powersOfTen[exponent]
            if negative { value = -value }
        } else {
            let text = String(decoding: UnsafeBufferPointer(start: base + start, count: p - start), as: UTF8.self)
            guard let parsed = Double(text) else { throw ParseFailure(offset: start, message: "invalid number") }
            value = parsed
        }
        guard value.isFinite else { throw ParseFailure(offset: start, message: "number out of range") }
        try emit(JSONTapeNode(kind: .real, source: UInt32(truncatingIfNeeded: start), a: length, b: 0, payload: value.bitPattern))
        return p
    }
}

private let powersOfTen: [Double] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
]

extension JSONTape {
    /// The index of the node after `index` and its descendants: its next sibling, if any.
    @inline(__always)
    func next(after index: Int) -> Int {
        let node = storage[index]
        return node.kind == .array || node.kind == .object ? Int(node.b) : index + 1
    }

    /// The offset in `input` (the parsed document) just past node `index`'s text: a string's closing quote,
    /// a container's bracket.
    func end(of index: Int, in input: UnsafeRawBufferPointer) -> Int {
        let node = storage[index]
        let start = Int(node.source)
        switch node.kind {
        case .null, .true: return start + 4
        case .false: return start + 5
        case .integer, .real: return start + Int(node.a)
        case .array, .object: return Int(node.payload)
        case .string:
            // The buffer's strings are rewritten (unescaped), so the quote is looked for in the input.
            var end = start + 1
            while input[end] != UInt8(ascii: "\"") {
                end += input[end] == UInt8(ascii: "\\") ? 2 : 1
            }
            return end + 1
        }
    }
}
