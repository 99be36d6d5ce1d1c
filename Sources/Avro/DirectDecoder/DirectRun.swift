/// One run of a ``DirectProgram`` over one datum: the input cursor, the limits' counters, and the
/// loop that executes the instructions. It checks the input exactly as ``AvroDecoder`` does (every
/// varint, length, block count, index, boolean byte and string's UTF-8, nesting and zero-size items)
/// but only says what failed and where, not the path: ``DirectJSONDecoder`` asks the tree decoder
/// for that.
///
/// The buffers are borrowed for the run's lifetime: it lives inside the `withUnsafe…` scopes of
/// ``DirectJSONDecoder/write(_:to:)``.
struct DirectRun {
    private let ops: UnsafePointer<DirectOp>
    private let text: UnsafePointer<UInt8>
    private let table: UnsafePointer<Int32>
    private let input: UnsafePointer<UInt8>
    private let count: Int
    private(set) var position: Int
    private let maxDepth: Int
    private let maxZeroSizeItems: Int
    private var zeroSizeItems = 0
    /// The output's length before a dropped field.
    private var mark = 0
    /// Output offsets where the writer fields of the records being reordered start.
    private var segments: [Int] = []
    private var scratch: [UInt8] = []

    init(ops: UnsafePointer<DirectOp>, text: UnsafePointer<UInt8>, table: UnsafePointer<Int32>, input: UnsafeRawBufferPointer, options: AvroDecoder.Options) {
        self.ops = ops
        self.text = text
        self.table = table
        self.input = input.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(bitPattern: 1)!
        count = input.count
        position = 0
        maxDepth = options.maxDepth
        maxZeroSizeItems = options.maxZeroSizeItems
    }

    private var remaining: Int { count - position }

    /// Runs the block starting at `start` for a node at `depth`.
    mutating func run(_ start: Int, depth: Int, to out: inout [UInt8]) throws(DecodeFailure) {
        var pc = start
        while true {
            let op = ops[pc]
            pc += 1
            switch op.code {
            case .text:
                out.append(contentsOf: UnsafeBufferPointer(start: text + Int(op.a), count: Int(op.b)))
            case .boolean:
                guard position < count else { throw DecodeFailure(kind: .truncated, offset: position) }
                let byte = input[position]
                guard byte <= 1 else { throw DecodeFailure(kind: .invalidBoolean(byte), offset: position) }
                position += 1
                Self.append(byte == 1 ? "true" : "false", to: &out)
            case .int:
                let value = try readInt()
                switch op.format {
                case .date:
                    out.append(UInt8(ascii: "\""))
                    if CivilTime.formatDate(days: value, to: &out) {
                        out.append(UInt8(ascii: "\""))
                    } else {
                        out.removeLast()
                        Self.appendInteger(value, to: &out)
                    }
                case .timeMillis where value >= 0 && value < 86_400_000:
                    out.append(UInt8(ascii: "\""))
                    CivilTime.formatTime(nanosOfDay: value * 1_000_000, fractionDigits: 3, to: &out)
                    out.append(UInt8(ascii: "\""))
                default:
                    Self.appendInteger(value, to: &out)
                }
            case .long:
                let value = op.flag == 1 ? try readInt() : try readLong()
                switch op.format {
                case .timestamp:
                    out.append(UInt8(ascii: "\""))
                    if CivilTime.formatTimestamp(value, unitsPerSecond: Int64(op.b), fractionDigits: Int(op.c & 255), zoned: op.c >= 256, to: &out) {
                        out.append(UInt8(ascii: "\""))
                    } else {
                        out.removeLast()
                        Self.appendInteger(value, to: &out)
                    }
                case .timeMicros where value >= 0 && value < 86_400_000_000:
                    out.append(UInt8(ascii: "\""))
                    CivilTime.formatTime(nanosOfDay: value * 1000, fractionDigits: 6, to: &out)
                    out.append(UInt8(ascii: "\""))
                default:
                    Self.appendInteger(value, to: &out)
                }
            case .float:
                let number = Float(bitPattern: try readFixedWidth(4).loadUnaligned(as: UInt32.self).littleEndian)
                if op.flag == 1 { Self.appendDouble(Double(number), to: &out) } else { Self.appendFloat(number, to: &out) }
            case .double:
                Self.appendDouble(Double(bitPattern: try readFixedWidth(8).loadUnaligned(as: UInt64.self).littleEndian), to: &out)
            case .promotedToFloating:
                let value = op.flag == 1 ? try readInt() : try readLong()
                if op.format == .single { Self.appendFloat(Float(value), to: &out) } else { Self.appendDouble(Double(value), to: &out) }
            case .string:
                let start = position
                let length = try readLength()
                let utf8 = input + position
                position += length
                if op.format == .plain {
                    guard Self.appendString(utf8, length, to: &out) else { throw DecodeFailure(kind: .invalidUTF8, offset: start) }
                } else {
                    guard UTF8Validator.isValid(UnsafeBufferPointer(start: utf8, count: length)) else { throw DecodeFailure(kind: .invalidUTF8, offset: start) }
                    Self.appendBytes(utf8, length, op, to: &out)
                }
            case .bytes:
                let length = try readLength()
                let bytes = input + position
                position += length
                Self.appendBytes(bytes, length, op, to: &out)
            case .fixed:
                let length = Int(op.a)
                guard length <= remaining else { throw DecodeFailure(kind: .truncated, offset: position) }
                let bytes = input + position
                position += length
                Self.appendBytes(bytes, length, op, to: &out)
            case .enumeration:
                let start = position
                let index = try readLong()
                guard index >= 0 && index < Int64(op.b) else { throw DecodeFailure(kind: .invalidEnumIndex(index, symbols: Int(op.b)), offset: start) }
                let entry = Int(op.a) + 2 * Int(index)
                out.append(contentsOf: UnsafeBufferPointer(start: text + Int(table[entry]), count: Int(table[entry + 1])))
            case .union:
                let start = position
                let index = try readLong()
                guard index >= 0 && index < Int64(op.b) else { throw DecodeFailure(kind: .invalidUnionIndex(index, branches: Int(op.b)), offset: start) }
                pc = Int(table[Int(op.a) + Int(index)])
            case .jump:
                pc = Int(op.a)
            case .array:
                try readBlocks(op, keyed: false, depth: depth, to: &out)
            case .map:
                try readBlocks(op, keyed: true, depth: depth, to: &out)
            case .call:
                try run(Int(op.a), depth: depth + Int(op.c), to: &out)
            case .checkDepth:
                guard depth + Int(op.c) < maxDepth else { throw DecodeFailure(kind: .tooDeep(limit: maxDepth), offset: position) }
            case .tooDeep:
                throw DecodeFailure(kind: .tooDeep(limit: maxDepth), offset: position)
            case .mark:
                mark = out.count
            case .discard:
                out.removeLast(out.count - mark)
            case .pushSegment:
                segments.append(out.count)
            case .reorder:
                reorder(op, to: &out)
            case .ret:
                return
            }
        }
    }

    /// The items of an array or the entries of a map, in blocks as ``AvroDecoder`` reads them: a
    /// count (negative: followed by the block's byte size), the items, until a zero count.
    private mutating func readBlocks(_ op: DirectOp, keyed: Bool, depth: Int, to out: inout [UInt8]) throws(DecodeFailure) {
        let itemSize = Int(op.b)
        let block = Int(op.a)
        let itemDepth = depth + Int(op.c)
        var first = true
        while true {
            let countOffset = position
            var blockCount = try readLong()
            if blockCount == 0 { return }
            var declaredSize: Int64 = -1
            if blockCount < 0 {
                guard blockCount != Int64.min else { throw DecodeFailure(kind: .countExceedsRemaining(count: blockCount, remaining: remaining), offset: countOffset) }
                blockCount = -blockCount
                let sizeOffset = position
                declaredSize = try readLong()
                guard declaredSize >= 0 else { throw DecodeFailure(kind: .negativeLength(declaredSize), offset: sizeOffset) }
                guard declaredSize <= Int64(remaining) else {
                    throw DecodeFailure(kind: .lengthExceedsRemaining(length: declaredSize, remaining: remaining), offset: sizeOffset)
                }
            }
            if itemSize > 0 {
                guard blockCount <= Int64(remaining / itemSize) else {
                    throw DecodeFailure(kind: .countExceedsRemaining(count: blockCount, remaining: remaining), offset: countOffset)
                }
            } else {
                guard blockCount <= Int64(maxZeroSizeItems - zeroSizeItems) else {
                    throw DecodeFailure(kind: .tooManyItems(limit: maxZeroSizeItems), offset: countOffset)
                }
                zeroSizeItems += Int(blockCount)
            }
            let blockStart = position
            for _ in 0 ..< Int(blockCount) {
                if first { first = false } else { out.append(UInt8(ascii: ",")) }
                if keyed {
                    let start = position
                    let length = try readLength()
                    let key = input + position
                    position += length
                    guard Self.appendString(key, length, to: &out) else { throw DecodeFailure(kind: .invalidUTF8, offset: start) }
                    out.append(UInt8(ascii: ":"))
                }
                try run(block, depth: itemDepth, to: &out)
            }
            if declaredSize >= 0 && Int64(position - blockStart) != declaredSize {
                throw DecodeFailure(kind: .blockSizeMismatch(declared: declaredSize, actual: position - blockStart), offset: countOffset)
            }
        }
    }

    /// Rewrites the JSON of a record's writer fields, the last `op.c` segments, as the reader's record.
    private mutating func reorder(_ op: DirectOp, to out: inout [UInt8]) {
        let writerFields = Int(op.c)
        let first = segments.count - writerFields
        let regionStart = segments[first]
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: out[regionStart...])
        out.removeLast(out.count - regionStart)
        for readerField in 0 ..< Int(op.b) {
            let entry = Int(op.a) + 5 * readerField
            out.append(contentsOf: UnsafeBufferPointer(start: text + Int(table[entry]), count: Int(table[entry + 1])))
            let source = Int(table[entry + 2])
            if source >= 0 {
                let start = segments[first + source] - regionStart
                let end = source + 1 < writerFields ? segments[first + source + 1] - regionStart : scratch.count
                out.append(contentsOf: scratch[start ..< end])
            } else {
                out.append(contentsOf: UnsafeBufferPointer(start: text + Int(table[entry + 3]), count: Int(table[entry + 4])))
            }
        }
        out.append(UInt8(ascii: "}"))
        segments.removeLast(writerFields)
    }

    // MARK: Reading

    /// A zig-zag varint of at most 10 bytes.
    @inline(__always)
    private mutating func readLong() throws(DecodeFailure) -> Int64 {
        if position < count {
            let byte = input[position]
            if byte < 0x80 {
                position += 1
                return Int64(byte >> 1) ^ -Int64(byte & 1)
            }
        }
        return try readLongSlowly()
    }

    private mutating func readLongSlowly() throws(DecodeFailure) -> Int64 {
        let start = position
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < count else { throw DecodeFailure(kind: .truncated, offset: position) }
            let byte = input[position]
            position += 1
            if shift == 63 && byte > 1 { throw DecodeFailure(kind: .invalidVarint, offset: start) }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { break }
            shift += 7
        }
        return Int64(bitPattern: result >> 1) ^ -Int64(bitPattern: result & 1)
    }

    @inline(__always)
    private mutating func readInt() throws(DecodeFailure) -> Int64 {
        let start = position
        let value = try readLong()
        guard value >= Int64(Int32.min) && value <= Int64(Int32.max) else { throw DecodeFailure(kind: .intOutOfRange(value), offset: start) }
        return value
    }

    /// A length checked against what remains; the bytes are at `position`, not yet consumed.
    @inline(__always)
    private mutating func readLength() throws(DecodeFailure) -> Int {
        let start = position
        let length = try readLong()
        guard length >= 0 else { throw DecodeFailure(kind: .negativeLength(length), offset: start) }
        guard length <= Int64(remaining) else {
            throw DecodeFailure(kind: .lengthExceedsRemaining(length: length, remaining: remaining), offset: start)
        }
        return Int(length)
    }

    @inline(__always)
    private mutating func readFixedWidth(_ width: Int) throws(DecodeFailure) -> UnsafeRawPointer {
        guard width <= remaining else { throw DecodeFailure(kind: .truncated, offset: position) }
        defer { position += width }
        return UnsafeRawPointer(input + position)
    }

    // MARK: Writing (as AvroJSONWriter writes)

    @inline(__always)
    private static func append(_ literal: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// The decimal digits of an integer, as `String(value)` writes them.
    private static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        if value >= 0 && value < 10 {
            out.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { buffer in
            var index = buffer.count
            var magnitude = value.magnitude
            repeat {
                index -= 1
                buffer[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 {
                index -= 1
                buffer[index] = UInt8(ascii: "-")
            }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[index...]))
        }
    }

    private static func appendFloat(_ number: Float, to out: inout [UInt8]) {
        if number.isNaN { append("\"NaN\"", to: &out); return }
        if number.isInfinite { append(number > 0 ? "\"Infinity\"" : "\"-Infinity\"", to: &out); return }
        out.append(contentsOf: number.description.utf8)
    }

    private static func appendDouble(_ number: Double, to out: inout [UInt8]) {
        if number.isNaN { append("\"NaN\"", to: &out); return }
        if number.isInfinite { append(number > 0 ? "\"Infinity\"" : "\"-Infinity\"", to: &out); return }
        out.append(contentsOf: number.description.utf8)
    }

    /// A JSON string literal of UTF-8 input, escaped as ``AvroJSONWriter`` escapes; false (with part
    /// of it written) when the input is not UTF-8.
    @inline(__always)
    private static func appendString(_ utf8: UnsafePointer<UInt8>, _ length: Int, to out: inout [UInt8]) -> Bool {
        out.append(UInt8(ascii: "\""))
        var index = 0
        var runStart = 0
        while index < length {
            // Eight bytes at a time while they are ASCII that needs no escape.
            if index + 8 <= length {
                let word = UnsafeRawPointer(utf8 + index).loadUnaligned(as: UInt64.self)
                let high: UInt64 = 0x8080_8080_8080_8080
                let ones: UInt64 = 0x0101_0101_0101_0101
                let control = (word &- 0x2020_2020_2020_2020) & ~word
                let quote = word ^ 0x2222_2222_2222_2222
                let backslash = word ^ 0x5C5C_5C5C_5C5C_5C5C
                if (word | control | ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)) & high == 0 {
                    index += 8
                    continue
                }
            }
            let byte = utf8[index]
            if byte >= 0x80 {
                let sequence = UTF8Validator.sequenceLength(utf8 + index, available: length - index)
                if sequence == 0 { return false }
                index += sequence
            } else if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                out.append(contentsOf: UnsafeBufferPointer(start: utf8 + runStart, count: index - runStart))
                appendEscape(byte, to: &out)
                index += 1
                runStart = index
            } else {
                index += 1
            }
        }
        out.append(contentsOf: UnsafeBufferPointer(start: utf8 + runStart, count: length - runStart))
        out.append(UInt8(ascii: "\""))
        return true
    }

    /// Bytes, a fixed, or a string read as bytes, in the op's format.
    private static func appendBytes(_ bytes: UnsafePointer<UInt8>, _ length: Int, _ op: DirectOp, to out: inout [UInt8]) {
        let buffer = UnsafeRawBufferPointer(start: bytes, count: length)
        switch op.format {
        case .decimal:
            out.append(UInt8(ascii: "\""))
            DecimalText.format(buffer, scale: Int(op.c), to: &out)
            out.append(UInt8(ascii: "\""))
        case .uuid:
            out.append(UInt8(ascii: "\""))
            UUIDText.format(buffer, to: &out)
            out.append(UInt8(ascii: "\""))
        case .base64:
            out.append(UInt8(ascii: "\""))
            Base64.encode(buffer, to: &out)
            out.append(UInt8(ascii: "\""))
        case .text:
            // Bytes read as a string: ill-formed UTF-8 is repaired as `String(decoding:as:)` repairs it.
            let mark = out.count
            if !appendString(bytes, length, to: &out) {
                out.removeLast(out.count - mark)
                var text = String(decoding: buffer, as: UTF8.self)
                text.withUTF8 { utf8 in _ = appendString(utf8.baseAddress ?? bytes, utf8.count, to: &out) }
            }
        default:
            out.append(UInt8(ascii: "\""))
            for index in 0 ..< length {
                let byte = bytes[index]
                if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                    appendEscape(byte, to: &out)
                } else if byte < 0x80 {
                    out.append(byte)
                } else {
                    out.append(0xC0 | byte >> 6)
                    out.append(0x80 | byte & 0x3F)
                }
            }
            out.append(UInt8(ascii: "\""))
        }
    }

    private static func appendEscape(_ byte: UInt8, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(byte)
        case 0x08: out.append(UInt8(ascii: "b"))
        case 0x0C: out.append(UInt8(ascii: "f"))
        case 0x0A: out.append(UInt8(ascii: "n"))
        case 0x0D: out.append(UInt8(ascii: "r"))
        case 0x09: out.append(UInt8(ascii: "t"))
        default:
            let hex: StaticString = "0123456789abcdef"
            out.append(UInt8(ascii: "u"))
            out.append(UInt8(ascii: "0"))
            out.append(UInt8(ascii: "0"))
            out.append(hex.utf8Start[Int(byte >> 4)])
            out.append(hex.utf8Start[Int(byte & 0x0F)])
        }
    }
}
