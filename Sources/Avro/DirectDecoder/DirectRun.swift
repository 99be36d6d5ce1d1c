/// One run of a ``DirectProgram`` over one datum: the input cursor, the limits' counters, the output
/// cursor, and the loop that executes the instructions. It checks the input exactly as ``AvroDecoder``
/// does (every varint, length, block count, index, boolean byte and string's UTF-8, nesting and
/// zero-size items) but only says what failed and where, not the path: ``DirectJSONDecoder`` asks the
/// tree decoder for that.
///
/// Output goes to spare capacity of the caller's array, checked once per instruction against the most
/// that instruction can write; when it does not fit, the run stops with ``Stop/outputFull`` and is
/// started again with more room. The buffers are borrowed for the run's lifetime: it lives inside the
/// `withUnsafe…` scopes of ``DirectJSONDecoder``.
struct DirectRun {
    /// Why a run stopped before the end of the datum.
    enum Stop: Error {
        case invalid(DecodeFailure)
        case outputFull
    }

    private let ops: UnsafePointer<DirectOp>
    private let text: UnsafePointer<UInt8>
    private let table: UnsafePointer<Int32>
    private let input: UnsafePointer<UInt8>
    private let count: Int
    private(set) var position = 0
    private let output: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    /// Bytes written to `output`.
    private(set) var written = 0
    private let maxDepth: Int
    private let maxZeroSizeItems: Int
    private var zeroSizeItems = 0
    /// The output's length before a dropped field.
    private var mark = 0
    /// Output offsets where the writer fields of the records being reordered start.
    private var segments: [Int] = []
    private var scratch: [UInt8] = []

    init(program: (ops: UnsafePointer<DirectOp>, text: UnsafePointer<UInt8>, table: UnsafePointer<Int32>), input: UnsafeRawBufferPointer,
         output: UnsafeMutableBufferPointer<UInt8>, options: AvroDecoder.Options) {
        (ops, text, table) = program
        self.input = input.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(bitPattern: 1)!
        count = input.count
        self.output = output.baseAddress ?? UnsafeMutablePointer(bitPattern: 1)!
        capacity = output.count
        maxDepth = options.maxDepth
        maxZeroSizeItems = options.maxZeroSizeItems
    }

    private var remaining: Int { count - position }

    private func invalid(_ kind: AvroDecodingError.Kind, at offset: Int) -> Stop {
        .invalid(DecodeFailure(kind: kind, offset: offset))
    }

    /// Runs the block starting at `start` for a node at `depth`.
    mutating func run(_ start: Int, depth: Int) throws(Stop) {
        var pc = start
        while true {
            // Read in place: each field is loaded where it is used, not the whole instruction up front.
            let op = UnsafePointer(ops + pc)
            pc &+= 1
            if op.pointee.prefixCount > 0 {
                try room(Int(op.pointee.prefixCount))
                put(text + Int(op.pointee.prefix), Int(op.pointee.prefixCount))
            }
            switch op.pointee.code {
            case .text:
                break
            case .boolean:
                guard position < count else { throw invalid(.truncated, at: position) }
                let byte = input[position]
                guard byte <= 1 else { throw invalid(.invalidBoolean(byte), at: position) }
                position &+= 1
                try room(5)
                put(byte == 1 ? "true" : "false")
            case .int:
                let value = try readInt()
                try room(24)
                switch op.pointee.format {
                case .date where value >= CivilTime.minimumDay && value <= CivilTime.maximumDay:
                    put(UInt8(ascii: "\""))
                    putDate(days: value)
                    put(UInt8(ascii: "\""))
                case .timeMillis where value >= 0 && value < 86_400_000:
                    put(UInt8(ascii: "\""))
                    putTime(nanosOfDay: value * 1_000_000, fractionDigits: 3)
                    put(UInt8(ascii: "\""))
                default:
                    putInteger(value)
                }
            case .long:
                let value = op.pointee.flag == 1 ? try readInt() : try readLong()
                try room(40)
                switch op.pointee.format {
                case .timestamp:
                    putTimestamp(value, unitsPerSecond: Int64(op.pointee.b), fractionDigits: Int(op.pointee.c & 255), zoned: op.pointee.c >= 256)
                case .timeMicros where value >= 0 && value < 86_400_000_000:
                    put(UInt8(ascii: "\""))
                    putTime(nanosOfDay: value * 1000, fractionDigits: 6)
                    put(UInt8(ascii: "\""))
                default:
                    putInteger(value)
                }
            case .float:
                let number = Float(bitPattern: try readFixedWidth(4).loadUnaligned(as: UInt32.self).littleEndian)
                if op.pointee.flag == 1 { try putDouble(Double(number)) } else { try putFloat(number) }
            case .double:
                try putDouble(Double(bitPattern: try readFixedWidth(8).loadUnaligned(as: UInt64.self).littleEndian))
            case .promotedToFloating:
                let value = op.pointee.flag == 1 ? try readInt() : try readLong()
                if op.pointee.format == .single { try putFloat(Float(value)) } else { try putDouble(Double(value)) }
            case .string:
                let start = position
                let length = try readLength()
                let utf8 = input + position
                position &+= length
                if op.pointee.format == .plain {
                    try room(Self.stringRoom(length))
                    guard putShortString(utf8, length) || putString(utf8, length, readable: input + count) else { throw invalid(.invalidUTF8, at: start) }
                } else {
                    guard UTF8Validator.isValid(UnsafeBufferPointer(start: utf8, count: length)) else { throw invalid(.invalidUTF8, at: start) }
                    try putBytes(utf8, length, op.pointee)
                }
            case .bytes:
                let length = try readLength()
                let bytes = input + position
                position &+= length
                try putBytes(bytes, length, op.pointee)
            case .fixed:
                let length = Int(op.pointee.a)
                guard length <= remaining else { throw invalid(.truncated, at: position) }
                let bytes = input + position
                position &+= length
                try putBytes(bytes, length, op.pointee)
            case .enumeration:
                let start = position
                let index = try readLong()
                guard index >= 0 && index < Int64(op.pointee.b) else { throw invalid(.invalidEnumIndex(index, symbols: Int(op.pointee.b)), at: start) }
                let entry = Int(op.pointee.a) + 2 * Int(index)
                try room(Int(table[entry + 1]))
                put(text + Int(table[entry]), Int(table[entry + 1]))
            case .union:
                let start = position
                let index = try readLong()
                guard index >= 0 && index < Int64(op.pointee.b) else { throw invalid(.invalidUnionIndex(index, branches: Int(op.pointee.b)), at: start) }
                let entry = Int(op.pointee.a) &+ 3 &* Int(index)
                let textCount = Int(table[entry &+ 2])
                if textCount > 0 {
                    try room(textCount)
                    put(text + Int(table[entry &+ 1]), textCount)
                }
                pc = Int(table[entry])
            case .jump:
                pc = Int(op.pointee.a)
            case .array:
                try readBlocks(op.pointee, keyed: false, depth: depth)
            case .map:
                try readBlocks(op.pointee, keyed: true, depth: depth)
            case .call:
                try run(Int(op.pointee.a), depth: depth + Int(op.pointee.c))
            case .checkDepth:
                guard depth + Int(op.pointee.c) < maxDepth else { throw invalid(.tooDeep(limit: maxDepth), at: position) }
            case .tooDeep:
                throw invalid(.tooDeep(limit: maxDepth), at: position)
            case .mark:
                mark = written
            case .discard:
                written = mark
            case .pushSegment:
                segments.append(written)
            case .reorder:
                try reorder(op.pointee)
            case .ret:
                return
            }
        }
    }

    /// The items of an array or the entries of a map, in blocks as ``AvroDecoder`` reads them: a
    /// count (negative: followed by the block's byte size), the items, until a zero count.
    private mutating func readBlocks(_ op: DirectOp, keyed: Bool, depth: Int) throws(Stop) {
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
                guard blockCount != Int64.min else { throw invalid(.countExceedsRemaining(count: blockCount, remaining: remaining), at: countOffset) }
                blockCount = -blockCount
                let sizeOffset = position
                declaredSize = try readLong()
                guard declaredSize >= 0 else { throw invalid(.negativeLength(declaredSize), at: sizeOffset) }
                guard declaredSize <= Int64(remaining) else {
                    throw invalid(.lengthExceedsRemaining(length: declaredSize, remaining: remaining), at: sizeOffset)
                }
            }
            if itemSize > 0 {
                guard blockCount <= Int64(remaining / itemSize) else {
                    throw invalid(.countExceedsRemaining(count: blockCount, remaining: remaining), at: countOffset)
                }
            } else {
                guard blockCount <= Int64(maxZeroSizeItems - zeroSizeItems) else {
                    throw invalid(.tooManyItems(limit: maxZeroSizeItems), at: countOffset)
                }
                zeroSizeItems += Int(blockCount)
            }
            let blockStart = position
            for _ in 0 ..< Int(blockCount) {
                if first {
                    first = false
                } else {
                    try room(1)
                    put(UInt8(ascii: ","))
                }
                if keyed {
                    let start = position
                    let length = try readLength()
                    let key = input + position
                    position &+= length
                    try room(Self.stringRoom(length) + 1)
                    guard putShortString(key, length) || putString(key, length, readable: input + count) else { throw invalid(.invalidUTF8, at: start) }
                    put(UInt8(ascii: ":"))
                }
                try run(block, depth: itemDepth)
            }
            if declaredSize >= 0 && Int64(position - blockStart) != declaredSize {
                throw invalid(.blockSizeMismatch(declared: declaredSize, actual: position - blockStart), at: countOffset)
            }
        }
    }

    /// Rewrites the JSON of a record's writer fields, the last `op.c` segments, as the reader's record.
    private mutating func reorder(_ op: DirectOp) throws(Stop) {
        let writerFields = Int(op.c)
        let first = segments.count - writerFields
        let regionStart = segments[first]
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(start: output + regionStart, count: written - regionStart))
        written = regionStart
        var needed = scratch.count + 1
        for readerField in 0 ..< Int(op.b) {
            let entry = Int(op.a) + 5 * readerField
            needed += Int(table[entry + 1] + table[entry + 4])
        }
        try room(needed)
        for readerField in 0 ..< Int(op.b) {
            let entry = Int(op.a) + 5 * readerField
            put(text + Int(table[entry]), Int(table[entry + 1]))
            let source = Int(table[entry + 2])
            if source >= 0 {
                let start = segments[first + source] - regionStart
                let end = source + 1 < writerFields ? segments[first + source + 1] - regionStart : scratch.count
                scratch.withUnsafeBufferPointer { put($0.baseAddress! + start, end - start) }
            } else {
                put(text + Int(table[entry + 3]), Int(table[entry + 4]))
            }
        }
        put(UInt8(ascii: "}"))
        segments.removeLast(writerFields)
    }

    // MARK: Reading

    /// A zig-zag varint of at most 10 bytes.
    @inline(__always)
    private mutating func readLong() throws(Stop) -> Int64 {
        if position < count {
            let byte = input[position]
            if byte < 0x80 {
                position &+= 1
                return Int64(byte >> 1) ^ -Int64(byte & 1)
            }
        }
        return try readLongSlowly()
    }

    private mutating func readLongSlowly() throws(Stop) -> Int64 {
        let start = position
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < count else { throw invalid(.truncated, at: position) }
            let byte = input[position]
            position += 1
            if shift == 63 && byte > 1 { throw invalid(.invalidVarint, at: start) }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { break }
            shift += 7
        }
        return Int64(bitPattern: result >> 1) ^ -Int64(bitPattern: result & 1)
    }

    @inline(__always)
    private mutating func readInt() throws(Stop) -> Int64 {
        let start = position
        let value = try readLong()
        guard value >= Int64(Int32.min) && value <= Int64(Int32.max) else { throw invalid(.intOutOfRange(value), at: start) }
        return value
    }

    /// A length checked against what remains; the bytes are at `position`, not yet consumed.
    @inline(__always)
    private mutating func readLength() throws(Stop) -> Int {
        let start = position
        let length = try readLong()
        guard length >= 0 else { throw invalid(.negativeLength(length), at: start) }
        guard length <= Int64(remaining) else { throw invalid(.lengthExceedsRemaining(length: length, remaining: remaining), at: start) }
        return Int(length)
    }

    @inline(__always)
    private mutating func readFixedWidth(_ width: Int) throws(Stop) -> UnsafeRawPointer {
        guard width <= remaining else { throw invalid(.truncated, at: position) }
        defer { position &+= width }
        return UnsafeRawPointer(input + position)
    }

    // MARK: Writing (the bytes AvroJSONWriter writes)

    /// Stops the run unless `bytes` more fit in the output.
    @inline(__always)
    private func room(_ bytes: Int) throws(Stop) {
        guard bytes <= capacity &- written else { throw .outputFull }
    }

    @inline(__always)
    private mutating func put(_ byte: UInt8) {
        output[written] = byte
        written &+= 1
    }

    /// Copies `length` bytes; short ones (field names, most values) with two overlapping word moves
    /// instead of a call to `memmove`.
    @inline(__always)
    private mutating func put(_ bytes: UnsafePointer<UInt8>, _ length: Int) {
        let source = UnsafeRawPointer(bytes), target = UnsafeMutableRawPointer(output + written)
        if length >= 8 && length <= 16 {
            target.storeBytes(of: source.loadUnaligned(as: UInt64.self), as: UInt64.self)
            (target + (length - 8)).storeBytes(of: (source + (length - 8)).loadUnaligned(as: UInt64.self), as: UInt64.self)
        } else if length >= 4 && length < 8 {
            target.storeBytes(of: source.loadUnaligned(as: UInt32.self), as: UInt32.self)
            (target + (length - 4)).storeBytes(of: (source + (length - 4)).loadUnaligned(as: UInt32.self), as: UInt32.self)
        } else if length < 4 {
            for index in 0 ..< length { (output + written)[index] = bytes[index] }
        } else {
            (output + written).update(from: bytes, count: length)
        }
        written &+= length
    }

    @inline(__always)
    private mutating func put(_ literal: StaticString) {
        put(literal.utf8Start, literal.utf8CodeUnitCount)
    }

    /// The decimal digits of an integer, as `String(value)` writes them (at most 20 bytes).
    private mutating func putInteger(_ value: Int64) {
        if value >= 0 && value < 10 {
            put(UInt8(ascii: "0") + UInt8(value))
            return
        }
        if value < 0 { put(UInt8(ascii: "-")) }
        putUnsigned(value.magnitude)
    }

    /// The decimal digits of `value`, two at a time from a table (at most 20 bytes).
    private mutating func putUnsigned(_ value: UInt64) {
        var digits = 1
        var scale: UInt64 = 10
        while digits < 20 && value >= scale {
            digits += 1
            scale = scale &* 10
        }
        var index = written &+ digits
        written = index
        var rest = value
        while rest >= 100 {
            let pair = Int(rest % 100) &* 2
            rest /= 100
            index &-= 2
            output[index] = Self.digitPairs[pair]
            output[index &+ 1] = Self.digitPairs[pair &+ 1]
        }
        if rest >= 10 {
            let pair = Int(rest) &* 2
            output[index &- 2] = Self.digitPairs[pair]
            output[index &- 1] = Self.digitPairs[pair &+ 1]
        } else {
            output[index &- 1] = UInt8(ascii: "0") &+ UInt8(rest)
        }
    }

    /// `width` digits of a non-negative value.
    @inline(__always)
    private mutating func putDigits(_ value: Int64, _ width: Int) {
        let start = written
        var rest = value
        var index = start + width
        // Two digits at a time, from a table: half the divisions.
        while index - start >= 2 {
            let pair = Int(rest % 100) * 2
            rest /= 100
            index -= 2
            output[index] = Self.digitPairs[pair]
            output[index + 1] = Self.digitPairs[pair + 1]
        }
        if index > start { output[start] = UInt8(ascii: "0") + UInt8(rest % 10) }
        written = start + width
    }

    /// `HH:MM:SS` of a second of the day (8 bytes).
    @inline(__always)
    private mutating func putClock(secondOfDay seconds: Int64) {
        putDigits(seconds / 3600, 2)
        put(UInt8(ascii: ":"))
        putDigits(seconds / 60 % 60, 2)
        put(UInt8(ascii: ":"))
        putDigits(seconds % 60, 2)
    }

    /// `YYYY-MM-DD` of a day in years 0000–9999 (10 bytes).
    private mutating func putDate(days: Int64) {
        let (year, month, day) = CivilTime.civil(days: days)
        putDigits(year, 4)
        put(UInt8(ascii: "-"))
        putDigits(month, 2)
        put(UInt8(ascii: "-"))
        putDigits(day, 2)
    }

    /// `HH:MM:SS` and `fractionDigits` digits (at most 18 bytes), as ``CivilTime/formatTime(nanosOfDay:fractionDigits:to:)``.
    private mutating func putTime(nanosOfDay: Int64, fractionDigits: Int) {
        putClock(secondOfDay: nanosOfDay / CivilTime.nanosPerSecond)
        if fractionDigits > 0 {
            put(UInt8(ascii: "."))
            var fraction = nanosOfDay % CivilTime.nanosPerSecond
            for _ in fractionDigits ..< 9 { fraction /= 10 }
            putDigits(fraction, fractionDigits)
        }
    }

    /// A quoted timestamp, or the number when its year is outside 0000–9999 (at most 32 bytes), as
    /// ``CivilTime/formatTimestamp(_:unitsPerSecond:fractionDigits:zoned:to:)``.
    private mutating func putTimestamp(_ value: Int64, unitsPerSecond: Int64, fractionDigits: Int, zoned: Bool) {
        // Milliseconds and microseconds are divided by constants: a division by a variable costs tens of
        // cycles. (A timestamp unit is always 10^`fractionDigits` per second: see `timeUnit` in `SchemaPlan`.)
        switch unitsPerSecond {
        case 1000: putTimestamp(value, per: 1000, fractionDigits: 3, zoned: zoned)
        case 1_000_000: putTimestamp(value, per: 1_000_000, fractionDigits: 6, zoned: zoned)
        default: putTimestamp(value, per: unitsPerSecond, fractionDigits: fractionDigits, zoned: zoned)
        }
    }

    /// ``putTimestamp(_:unitsPerSecond:fractionDigits:zoned:)`` where `unitsPerSecond` is 10^`fractionDigits`
    /// (a second's units are its fraction's digits), inlined where both are constants.
    @inline(__always)
    private mutating func putTimestamp(_ value: Int64, per unitsPerSecond: Int64, fractionDigits: Int, zoned: Bool) {
        let seconds = value >= 0 ? value / unitsPerSecond : (value + 1) / unitsPerSecond - 1
        let days = seconds >= 0 ? seconds / CivilTime.secondsPerDay : (seconds + 1) / CivilTime.secondsPerDay - 1
        guard days >= CivilTime.minimumDay && days <= CivilTime.maximumDay else {
            putInteger(value)
            return
        }
        put(UInt8(ascii: "\""))
        putDate(days: days)
        put(UInt8(ascii: "T"))
        putClock(secondOfDay: seconds &- days &* CivilTime.secondsPerDay)
        put(UInt8(ascii: "."))
        putDigits(value &- seconds &* unitsPerSecond, fractionDigits)
        if zoned { put(UInt8(ascii: "Z")) }
        put(UInt8(ascii: "\""))
    }

    private mutating func putFloat(_ number: Float) throws(Stop) {
        // The decimal description writes for [1e-4, 1e7), found without making a String when it has at most 7 digits.
        try putFloating(number, below: 1e7, maxFractionDigits: 10, scaledBelow: 1e7, digitsBelow: 10_000_000)
    }

    private mutating func putDouble(_ number: Double) throws(Stop) {
        // The decimal description writes for [1e-4, 1e9), found without making a String when it has at most 15 digits.
        try putFloating(number, below: 1e9, maxFractionDigits: 15, scaledBelow: 1e15, digitsBelow: 1_000_000_000_000_000)
    }

    /// `number` as `description` writes it (NaN and the infinities as the strings the encoder takes back):
    /// digits found by scaling when the magnitude is in [1e-4, `below`), else `description` itself.
    @inline(__always)
    private mutating func putFloating<Number: ScaledDigits>(
        _ number: Number, below: Number, maxFractionDigits: Int, scaledBelow: Number, digitsBelow: UInt64
    ) throws(Stop) {
        try room(32)
        if number.isNaN { put("\"NaN\""); return }
        if number.isInfinite { put(number > 0 ? "\"Infinity\"" : "\"-Infinity\""); return }
        let magnitude = number.magnitude
        if magnitude >= 1e-4 && magnitude < below {
            var power: Number = 1
            for fractionDigits in 0 ... maxFractionDigits {
                let scaled = magnitude * power
                guard scaled < scaledBelow else { break }
                // Rounded half away from zero without a call into libm: what is cut off is exact.
                let whole = scaled.digits
                let nearest = scaled - Number(digits: whole) >= 0.5 ? whole &+ 1 : whole
                guard nearest < digitsBelow else { break }
                // No integer d near `scaled` gives d / power == magnitude when `scaled` is farther from the
                // nearest one than a few ulps of the magnitude (scaled by power) and of `scaled` itself.
                if (scaled - Number(digits: nearest)).magnitude > 2 * (magnitude.ulp * power + scaled.ulp) {
                    power *= 10
                    continue
                }
                // Where a step of 1 / power spans several ulps, the neighbours of a nearest that reads back cannot
                // read back too: one division instead of three.
                if magnitude.ulp * power * 4 < 1 && Number(digits: nearest) / power == magnitude {
                    putDecimal(nearest, fractionDigits: fractionDigits, negative: number < 0)
                    return
                }
                if let digits = Self.onlyRoundTrip(nearest, below: digitsBelow, { Number(digits: $0) / power == magnitude }) {
                    guard digits != .max else { break }
                    putDecimal(digits, fractionDigits: fractionDigits, negative: number < 0)
                    return
                }
                power *= 10
            }
        }
        var description = number.description
        try putText(&description)
    }

    /// Of `candidate` and its neighbours (the scaled value is rounded, so the digits may be one off), the
    /// one that reads back as the number: the shortest round-trip digits `description` writes; nil when none
    /// does, `UInt64.max` when more than one does (then `description` decides between them).
    @inline(__always)
    private static func onlyRoundTrip(_ candidate: UInt64, below bound: UInt64, _ readsBack: (UInt64) -> Bool) -> UInt64? {
        var found: UInt64?
        var digits = candidate &- 1
        for _ in 0 ..< 3 {
            if digits < bound && readsBack(digits) {
                guard found == nil else { return .max }
                found = digits
            }
            digits &+= 1
        }
        return found
    }

    /// `digits` with a point before the last `fractionDigits` (`.0` when there are none), as `description`
    /// writes numbers in its decimal range (at most 18 bytes).
    private mutating func putDecimal(_ digits: UInt64, fractionDigits: Int, negative: Bool) {
        if negative { put(UInt8(ascii: "-")) }
        var count = 1
        var power: UInt64 = 10
        while count < 16 && digits >= power {
            count += 1
            power *= 10
        }
        let total = max(count, fractionDigits + 1)
        let end = written + total + 1 + (fractionDigits == 0 ? 1 : 0)
        var index = end
        if fractionDigits == 0 {
            index -= 1
            output[index] = UInt8(ascii: "0")
        }
        var rest = digits
        for position in 0 ..< total {
            if position == fractionDigits {
                index -= 1
                output[index] = UInt8(ascii: ".")
            }
            index -= 1
            output[index] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
        written = end
    }

    private mutating func putText(_ text: inout String) throws(Stop) {
        let length = text.utf8.count
        try room(length)
        text.withUTF8 { put($0.baseAddress!, length) }
    }

    /// The output room ``putString(_:_:readable:)`` needs for `length` bytes of input: at most 6 bytes per
    /// input byte plus the quotes, and a word's slack, since plain words are stored whole.
    @inline(__always)
    private static func stringRoom(_ length: Int) -> Int { 6 &* length &+ 10 }

    /// The eight bytes at `start`, of which the `left` first are the string's; the others, when there are
    /// fewer, count as plain letters (the high ones, little-endian). `nil` when fewer than eight bytes are
    /// readable there.
    @inline(__always)
    private static func word(_ start: UnsafePointer<UInt8>, left: Int, readable: UnsafePointer<UInt8>) -> UInt64? {
        guard left >= 8 || readable - start >= 8 else { return nil }
        let word = UnsafeRawPointer(start).loadUnaligned(as: UInt64.self)
        guard left < 8 else { return word }
        let kept: UInt64 = (1 << (UInt64(left) &* 8)) &- 1
        return word & kept | 0x4141_4141_4141_4141 & ~kept
    }

    /// Whether all eight bytes of `word` are ASCII that JSON writes as it is (no control character, quote
    /// or backslash).
    @inline(__always)
    private static func isPlain(_ word: UInt64) -> Bool {
        let high: UInt64 = 0x8080_8080_8080_8080
        let ones: UInt64 = 0x0101_0101_0101_0101
        let control = (word &- 0x2020_2020_2020_2020) & ~word
        let quote = word ^ 0x2222_2222_2222_2222
        let backslash = word ^ 0x5C5C_5C5C_5C5C_5C5C
        return (word | control | ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)) & high == 0
    }

    /// The usual short string, of at most eight bytes of plain text, as one word between its quotes; false
    /// (nothing written) for any other, which ``putString(_:_:readable:)`` writes. Needs ``stringRoom(_:)``.
    @inline(__always)
    private mutating func putShortString(_ utf8: UnsafePointer<UInt8>, _ length: Int) -> Bool {
        guard length <= 8, let word = Self.word(utf8, left: length, readable: input + count), Self.isPlain(word) else { return false }
        let target = UnsafeMutableRawPointer(output + written)
        target.storeBytes(of: UInt8(ascii: "\""), as: UInt8.self)
        target.storeBytes(of: word, toByteOffset: 1, as: UInt64.self)
        target.storeBytes(of: UInt8(ascii: "\""), toByteOffset: length &+ 1, as: UInt8.self)
        written &+= length &+ 2
        return true
    }

    /// A JSON string literal of UTF-8 input, escaped as ``AvroJSONWriter`` escapes; false (with part of it
    /// written) when the input is not UTF-8. Needs ``stringRoom(_:)``. Bytes up to `readable` may be loaded
    /// (never used) past the string's end, so that a short string or the tail of a long one is checked as
    /// one word too.
    @inline(__always)
    private mutating func putString(_ utf8: UnsafePointer<UInt8>, _ length: Int, readable: UnsafePointer<UInt8>) -> Bool {
        put(UInt8(ascii: "\""))
        // Plain text, the usual case, is checked and copied a word at a time in one pass; the room's slack
        // takes the bytes a last partial word stores past the string.
        let target = UnsafeMutableRawPointer(output + written)
        var index = 0
        while index < length, let word = Self.word(utf8 + index, left: length &- index, readable: readable), Self.isPlain(word) {
            target.storeBytes(of: word, toByteOffset: index, as: UInt64.self)
            index &+= min(8, length &- index)
        }
        written &+= index
        var runStart = index
        while index < length {
            if let word = Self.word(utf8 + index, left: length &- index, readable: readable), Self.isPlain(word) {
                index &+= min(8, length &- index)
                continue
            }
            let byte = utf8[index]
            if byte >= 0x80 {
                let sequence = UTF8Validator.sequenceLength(utf8 + index, available: length - index)
                if sequence == 0 { return false }
                index += sequence
            } else if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                put(utf8 + runStart, index - runStart)
                putEscape(byte)
                index += 1
                runStart = index
            } else {
                index += 1
            }
        }
        put(utf8 + runStart, length - runStart)
        put(UInt8(ascii: "\""))
        return true
    }

    /// Bytes, a fixed, or a string read as bytes, in the op's format.
    private mutating func putBytes(_ bytes: UnsafePointer<UInt8>, _ length: Int, _ op: DirectOp) throws(Stop) {
        switch op.format {
        case .decimal:
            let scale = Int(op.c)
            try room(3 * length + scale + 8)
            put(UInt8(ascii: "\""))
            if length <= 8 && scale < 20 {
                putSmallDecimal(bytes, length, scale: scale)
            } else {
                var text: [UInt8] = []
                DecimalText.format(UnsafeRawBufferPointer(start: bytes, count: length), scale: scale, to: &text)
                try room(text.count + 1)
                text.withUnsafeBufferPointer { put($0.baseAddress ?? bytes, $0.count) }
            }
            put(UInt8(ascii: "\""))
        case .uuid:
            try room(38)
            put(UInt8(ascii: "\""))
            for index in 0 ..< length {
                if index == 4 || index == 6 || index == 8 || index == 10 { put(UInt8(ascii: "-")) }
                put(Self.hexDigits[Int(bytes[index] >> 4)])
                put(Self.hexDigits[Int(bytes[index] & 0x0F)])
            }
            put(UInt8(ascii: "\""))
        case .base64:
            try room((length + 2) / 3 * 4 + 2)
            put(UInt8(ascii: "\""))
            putBase64(bytes, length)
            put(UInt8(ascii: "\""))
        case .text:
            // Bytes read as a string: ill-formed UTF-8 is repaired as `String(decoding:as:)` repairs it.
            try room(Self.stringRoom(length))
            let mark = written
            if !putString(bytes, length, readable: input + count) {
                written = mark
                var text = String(decoding: UnsafeBufferPointer(start: bytes, count: length), as: UTF8.self)
                let repaired = text.utf8.count
                try room(Self.stringRoom(repaired))
                text.withUTF8 { _ = putString($0.baseAddress ?? bytes, repaired, readable: ($0.baseAddress ?? bytes) + repaired) }
            }
        default:
            try room(6 * length + 2)
            put(UInt8(ascii: "\""))
            for index in 0 ..< length {
                let byte = bytes[index]
                if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                    putEscape(byte)
                } else if byte < 0x80 {
                    put(byte)
                } else {
                    put(0xC0 | byte >> 6)
                    put(0x80 | byte & 0x3F)
                }
            }
            put(UInt8(ascii: "\""))
        }
    }

    /// ``DecimalText/format(_:scale:to:)`` for at most 8 bytes and scales below 20, as its `formatSmall`.
    private mutating func putSmallDecimal(_ bytes: UnsafePointer<UInt8>, _ length: Int, scale: Int) {
        // Cents, the usual scale, are split off by a constant divisor and written two digits at a time.
        if scale == 2 {
            putSmallDecimal(bytes, length, fixedScale: 2)
            return
        }
        let value = Self.unscaled(bytes, length)
        if value < 0 { put(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits = 1
        var power: UInt64 = 10
        while digits < 20 && magnitude >= power {
            digits += 1
            power = power &* 10
        }
        let total = max(digits, scale + 1)
        let end = written + total + (scale > 0 ? 1 : 0)
        var index = end
        for position in 0 ..< total {
            if position == scale && scale > 0 {
                index -= 1
                output[index] = UInt8(ascii: ".")
            }
            index -= 1
            output[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
            magnitude /= 10
        }
        written = end
    }

    /// A decimal's unscaled value: `length` (at most 8) big-endian two's-complement bytes.
    @inline(__always)
    private static func unscaled(_ bytes: UnsafePointer<UInt8>, _ length: Int) -> Int64 {
        var value: Int64 = length > 0 && bytes[0] & 0x80 != 0 ? -1 : 0
        for index in 0 ..< length { value = value << 8 | Int64(bytes[index]) }
        return value
    }

    /// ``putSmallDecimal(_:_:scale:)`` for a scale known where it is inlined (at least 1).
    @inline(__always)
    private mutating func putSmallDecimal(_ bytes: UnsafePointer<UInt8>, _ length: Int, fixedScale scale: Int) {
        let value = Self.unscaled(bytes, length)
        if value < 0 { put(UInt8(ascii: "-")) }
        var unit: UInt64 = 1
        for _ in 0 ..< scale { unit &*= 10 }
        let magnitude = value.magnitude
        putUnsigned(magnitude / unit)
        put(UInt8(ascii: "."))
        putDigits(Int64(magnitude % unit), scale)
    }

    private mutating func putBase64(_ bytes: UnsafePointer<UInt8>, _ length: Int) {
        var index = 0
        while index + 3 <= length {
            let chunk = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            put(Self.base64Alphabet[Int(chunk >> 18 & 63)])
            put(Self.base64Alphabet[Int(chunk >> 12 & 63)])
            put(Self.base64Alphabet[Int(chunk >> 6 & 63)])
            put(Self.base64Alphabet[Int(chunk & 63)])
            index += 3
        }
        let rest = length - index
        if rest > 0 {
            let chunk = UInt32(bytes[index]) << 16 | (rest == 2 ? UInt32(bytes[index + 1]) << 8 : 0)
            put(Self.base64Alphabet[Int(chunk >> 18 & 63)])
            put(Self.base64Alphabet[Int(chunk >> 12 & 63)])
            put(rest == 2 ? Self.base64Alphabet[Int(chunk >> 6 & 63)] : UInt8(ascii: "="))
            put(UInt8(ascii: "="))
        }
    }

    private mutating func putEscape(_ byte: UInt8) {
        put(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): put(byte)
        case 0x08: put(UInt8(ascii: "b"))
        case 0x0C: put(UInt8(ascii: "f"))
        case 0x0A: put(UInt8(ascii: "n"))
        case 0x0D: put(UInt8(ascii: "r"))
        case 0x09: put(UInt8(ascii: "t"))
        default:
            put(UInt8(ascii: "u"))
            put(UInt8(ascii: "0"))
            put(UInt8(ascii: "0"))
            put(Self.hexDigits[Int(byte >> 4)])
            put(Self.hexDigits[Int(byte & 0x0F)])
        }
    }

    private static let hexDigits: StaticString = "0123456789abcdef"
    /// "00", "01", … "99" back to back.
    private static let digitPairs: StaticString = """
        00010203040506070809101112131415161718192021222324252627282930313233343536373839\
        40414243444546474849505152535455565758596061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899
        """
    private static let base64Alphabet: StaticString = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
}

/// Float and Double converted to and from the UInt64 digits of ``DirectRun``'s decimal formatting with
/// their own concrete conversions: the generic `BinaryInteger` ones are out-of-line calls.
protocol ScaledDigits: BinaryFloatingPoint, CustomStringConvertible {
    /// The value, integral and below 2^63, as an integer.
    var digits: UInt64 { get }
    init(digits: UInt64)
}

// Through Int64: below 2^63 the same values, converted by one instruction each way (unsigned ones take several).
extension Float: ScaledDigits {
    var digits: UInt64 { UInt64(bitPattern: Int64(self)) }
    init(digits: UInt64) { self.init(Int64(bitPattern: digits)) }
}

extension Double: ScaledDigits {
    var digits: UInt64 { UInt64(bitPattern: Int64(self)) }
    init(digits: UInt64) { self.init(Int64(bitPattern: digits)) }
}

extension StaticString {
    /// The byte at `index` of an ASCII literal.
    fileprivate subscript(index: Int) -> UInt8 { utf8Start[index] }
}
