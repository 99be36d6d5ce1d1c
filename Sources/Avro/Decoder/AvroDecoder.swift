/// Reads the Avro binary encoding into ``AvroValue``: a validating decoder of our own.
///
/// Bytes from the network never reach avro-c 1.11.1, whose `avro_value_read` accepts an enum
/// index outside the symbols (and `avro_value_to_json` then reads an uninitialised symbol
/// pointer), allocates whatever length a datum claims before checking the input holds it, and
/// keeps appending to an array of nulls that claims 2^63 items (Fuzz/avroc-hostile-datums.c
/// shows each). This decoder checks every varint's length, every length and block count against
/// the bytes that remain before allocating, every union and enum index, UTF-8 in strings,
/// boolean bytes and block sizes, bounds nesting and zero-size items, and never traps on any input.
public struct AvroDecoder: Sendable {
    /// Limits for hostile input.
    public struct Options: Sendable {
        /// The deepest nesting of records, arrays, maps and unions accepted, capped at 256 (under
        /// 128 KiB of stack in release builds).
        public var maxDepth: Int
        /// The most items of zero-size types (null, empty records) in one datum; other items
        /// are bounded by the input's length.
        public var maxZeroSizeItems: Int

        public init(maxDepth: Int = 64, maxZeroSizeItems: Int = 1 << 20) {
            self.maxDepth = min(max(maxDepth, 1), 256)
            self.maxZeroSizeItems = maxZeroSizeItems
        }
    }

    /// The codec whose schema the datums were written with.
    public let codec: AvroCodec
    public let options: Options

    init(codec: AvroCodec, options: Options) {
        self.codec = codec
        self.options = options
    }

    /// Decodes exactly one datum filling all of `bytes`.
    public func decode(_ bytes: [UInt8]) throws(AvroDecodingError) -> AvroValue {
        let result = bytes.withUnsafeBytes { input in
            Result { () throws(AvroDecodingError) in try decode(input) }
        }
        return try result.get()
    }

    /// Decodes exactly one datum filling all of `bytes`.
    public func decode(_ bytes: UnsafeRawBufferPointer) throws(AvroDecodingError) -> AvroValue {
        var offset = 0
        let value = try decode(bytes, from: &offset)
        guard offset == bytes.count else {
            throw AvroDecodingError(kind: .trailingBytes(count: bytes.count - offset), offset: offset, path: "$")
        }
        return value
    }

    /// Decodes the datum starting at `offset` and moves `offset` past it (for concatenated datums).
    public func decode(_ bytes: UnsafeRawBufferPointer, from offset: inout Int) throws(AvroDecodingError) -> AvroValue {
        var reader = BinaryReader(bytes: bytes, position: offset, plan: codec.plan, options: options)
        do {
            let value = try reader.read(codec.plan.root, depth: 0)
            offset = reader.position
            return value
        } catch {
            throw error.decodingError
        }
    }
}

/// A decoding problem whose path is still being built, innermost component first.
struct DecodeFailure: Error {
    var kind: AvroDecodingError.Kind
    var offset: Int
    var reversedPath: [PathComponent] = []

    var decodingError: AvroDecodingError {
        var path = "$"
        for component in reversedPath.reversed() { component.append(to: &path) }
        return AvroDecodingError(kind: kind, offset: offset, path: path)
    }
}

/// A cursor over binary input, reading values of plan nodes.
private struct BinaryReader {
    let bytes: UnsafeRawBufferPointer
    var position: Int
    let plan: SchemaPlan
    let options: AvroDecoder.Options
    var zeroSizeItems = 0

    init(bytes: UnsafeRawBufferPointer, position: Int, plan: SchemaPlan, options: AvroDecoder.Options) {
        self.bytes = bytes
        self.position = position
        self.plan = plan
        self.options = options
    }

    var remaining: Int { bytes.count - position }

    mutating func read(_ t: Int32, depth: Int) throws(DecodeFailure) -> AvroValue {
        let type = plan.nodes[Int(t)]
        switch type.kind {
        case .null: return .null
        case .boolean:
            guard position < bytes.count else { throw DecodeFailure(kind: .truncated, offset: position) }
            let byte = bytes[position]
            guard byte <= 1 else { throw DecodeFailure(kind: .invalidBoolean(byte), offset: position) }
            position += 1
            return .boolean(byte == 1)
        case .int:
            let start = position
            let value = try readLong()
            guard value >= Int64(Int32.min) && value <= Int64(Int32.max) else { throw DecodeFailure(kind: .intOutOfRange(value), offset: start) }
            return .int(Int32(value))
        case .long:
            return .long(try readLong())
        case .float:
            return .float(Float(bitPattern: try readFixedWidth(4).loadUnaligned(as: UInt32.self).littleEndian))
        case .double:
            return .double(Double(bitPattern: try readFixedWidth(8).loadUnaligned(as: UInt64.self).littleEndian))
        case .bytes:
            return .bytes([UInt8](try readLengthPrefixed()))
        case .string:
            return .string(try readString())
        case .fixed:
            return .fixed([UInt8](try readFixedWidth(Int(type.size))))
        case .enumeration:
            let start = position
            let index = try readLong()
            let symbols = Int(plan.enums[Int(type.detail)].symbols.count)
            guard index >= 0 && index < symbols else { throw DecodeFailure(kind: .invalidEnumIndex(index, symbols: symbols), offset: start) }
            return .enumeration(Int(index))
        case .array:
            try checkDepth(depth)
            var items: [AvroValue] = []
            let item = type.detail
            try readBlocks(item) { (reader, index) throws(DecodeFailure) in
                do throws(DecodeFailure) {
                    items.append(try reader.read(item, depth: depth + 1))
                } catch {
                    var failure = error
                    failure.reversedPath.append(.index(index))
                    throw failure
                }
            } reserve: { items.reserveCapacity(items.count + $0) }
            return .array(items)
        case .map:
            try checkDepth(depth)
            var entries: [AvroValue.MapEntry] = []
            let valueType = type.detail
            try readBlocks(valueType, keyed: true) { (reader, _) throws(DecodeFailure) in
                let key = try reader.readString()
                do throws(DecodeFailure) {
                    entries.append(AvroValue.MapEntry(key: key, value: try reader.read(valueType, depth: depth + 1)))
                } catch {
                    var failure = error
                    failure.reversedPath.append(.key(key))
                    throw failure
                }
            } reserve: { entries.reserveCapacity(entries.count + $0) }
            return .map(entries)
        case .record:
            try checkDepth(depth)
            let record = plan.records[Int(type.detail)]
            var fields: [AvroValue] = []
            fields.reserveCapacity(Int(record.fields.count))
            for index in record.fields.range {
                do {
                    fields.append(try read(plan.fields[index].type, depth: depth + 1))
                } catch {
                    var failure = error
                    failure.reversedPath.append(.field(plan.names[Int(plan.fields[index].name)]))
                    throw failure
                }
            }
            return .record(fields)
        case .union:
            try checkDepth(depth)
            let start = position
            let index = try readLong()
            let union = plan.unions[Int(type.detail)]
            guard index >= 0 && index < union.branches.count else {
                throw DecodeFailure(kind: .invalidUnionIndex(index, branches: Int(union.branches.count)), offset: start)
            }
            return .union(Int(index), try read(plan.branch(union, Int(index)), depth: depth + 1))
        }
    }

    private func checkDepth(_ depth: Int) throws(DecodeFailure) {
        guard depth < options.maxDepth else { throw DecodeFailure(kind: .tooDeep(limit: options.maxDepth), offset: position) }
    }

    /// Reads the blocks of an array or map: each a count (negative: followed by the block's byte
    /// size), items, until a zero count.
    private mutating func readBlocks(_ item: Int32, keyed: Bool = false, _ readItem: (inout BinaryReader, Int) throws(DecodeFailure) -> Void, reserve: (Int) -> Void) throws(DecodeFailure) {
        // A map entry is at least its key's length byte.
        let itemSize = plan.nodes[Int(item)].minimumSize + (keyed ? 1 : 0)
        var index = 0
        while true {
            let countOffset = position
            var count = try readLong()
            if count == 0 { return }
            var declaredSize: Int64 = -1
            if count < 0 {
                guard count != Int64.min else { throw DecodeFailure(kind: .countExceedsRemaining(count: count, remaining: remaining), offset: countOffset) }
                count = -count
                let sizeOffset = position
                declaredSize = try readLong()
                guard declaredSize >= 0 else { throw DecodeFailure(kind: .negativeLength(declaredSize), offset: sizeOffset) }
                guard declaredSize <= Int64(remaining) else {
                    throw DecodeFailure(kind: .lengthExceedsRemaining(length: declaredSize, remaining: remaining), offset: sizeOffset)
                }
            }
            if itemSize > 0 {
                guard count <= Int64(remaining / itemSize) else {
                    throw DecodeFailure(kind: .countExceedsRemaining(count: count, remaining: remaining), offset: countOffset)
                }
            } else {
                guard count <= Int64(options.maxZeroSizeItems - zeroSizeItems) else {
                    throw DecodeFailure(kind: .tooManyItems(limit: options.maxZeroSizeItems), offset: countOffset)
                }
                zeroSizeItems += Int(count)
            }
            reserve(Int(count))
            let blockStart = position
            for _ in 0 ..< Int(count) {
                try readItem(&self, index)
                index += 1
            }
            if declaredSize >= 0 && Int64(position - blockStart) != declaredSize {
                throw DecodeFailure(kind: .blockSizeMismatch(declared: declaredSize, actual: position - blockStart), offset: countOffset)
            }
        }
    }

    /// A zig-zag varint of at most 10 bytes.
    private mutating func readLong() throws(DecodeFailure) -> Int64 {
        let start = position
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < bytes.count else { throw DecodeFailure(kind: .truncated, offset: position) }
            let byte = bytes[position]
            position += 1
            if shift == 63 && byte > 1 { throw DecodeFailure(kind: .invalidVarint, offset: start) }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { break }
            shift += 7
        }
        return Int64(bitPattern: result >> 1) ^ -Int64(bitPattern: result & 1)
    }

    private mutating func readFixedWidth(_ count: Int) throws(DecodeFailure) -> UnsafeRawBufferPointer {
        guard count <= remaining else { throw DecodeFailure(kind: .truncated, offset: position) }
        defer { position += count }
        return UnsafeRawBufferPointer(rebasing: bytes[position ..< position + count])
    }

    /// A length (checked against what remains) and that many bytes.
    private mutating func readLengthPrefixed() throws(DecodeFailure) -> UnsafeRawBufferPointer {
        let start = position
        let length = try readLong()
        guard length >= 0 else { throw DecodeFailure(kind: .negativeLength(length), offset: start) }
        guard length <= Int64(remaining) else {
            throw DecodeFailure(kind: .lengthExceedsRemaining(length: length, remaining: remaining), offset: start)
        }
        return try readFixedWidth(Int(length))
    }

    private mutating func readString() throws(DecodeFailure) -> String {
        let start = position
        let utf8 = try readLengthPrefixed().assumingMemoryBound(to: UInt8.self)
        guard UTF8Validator.isValid(utf8) else { throw DecodeFailure(kind: .invalidUTF8, offset: start) }
        return String(decoding: utf8, as: UTF8.self)
    }
}
