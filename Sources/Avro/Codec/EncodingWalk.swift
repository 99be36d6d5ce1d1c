import CAvro

/// The nodes and bytes of a parsed JSON document, borrowed for one walk.
struct TapeView {
    let nodes: UnsafeBufferPointer<JSONTapeNode>
    /// The rewritten buffer: strings unescaped and NUL-terminated.
    let buffer: UnsafePointer<UInt8>
    /// The document as given, for error excerpts.
    let original: UnsafeRawBufferPointer

    @inline(__always)
    func string(_ node: JSONTapeNode) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: buffer + Int(node.a), count: Int(node.b))
    }

    /// A number's text as written.
    @inline(__always)
    func numberText(_ node: JSONTapeNode) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: buffer + Int(node.source), count: Int(node.a))
    }

    @inline(__always)
    func next(after index: Int) -> Int {
        let node = nodes[index]
        return node.kind == .array || node.kind == .object ? Int(node.b) : index + 1
    }
}

/// How the walk reads JSON values.
enum JSONDialect {
    case natural
    case avroJSON
    /// A field default: the Avro JSON encoding, except that unions hold a value of their first branch, unwrapped.
    case defaultValue
}

/// One walk of a JSON document against the schema plan, setting avro-c values as it goes; with
/// no value to set (`nil`) it only checks, which is how union branches are tried.
///
/// Errors are collected, not thrown, so one walk reports every problem; each error's path is
/// built while the walk returns (a component per level), so a valid event pays nothing for paths.
struct EncodingWalk {
    /// The plan's tables, borrowed for this walk.
    let plan: SchemaPlan.Tables
    /// The plan itself, for the names that only error messages need.
    let codec: AvroCodec
    let ignoreUnknownFields: Bool
    let bytesEncoding: BytesEncoding
    let maxErrors: Int
    private(set) var errors: [PendingError] = []
    private(set) var isTruncated = false
    /// Set when an avro-c call refused a value that passed validation (then nothing is written).
    private(set) var avroCFailed = false
    /// Buffers reused from walk to walk.
    private(set) var scratch: Scratch

    /// Storage an encoder keeps between walks so that a warm walk allocates nothing.
    struct Scratch {
        /// Decoded bytes of the bytes or fixed value being set.
        var bytes: [UInt8] = []
        /// Digits of the decimal being parsed.
        var digits: [UInt8] = []

        /// Moves the buffers out, leaving empty ones: the taker holds their only reference, so
        /// its first write reuses them instead of copying.
        mutating func take() -> Scratch {
            defer { self = Scratch() }
            return self
        }
    }

    init(plan: SchemaPlan.Tables, codec: AvroCodec, ignoreUnknownFields: Bool, bytesEncoding: BytesEncoding, maxErrors: Int, scratch: Scratch) {
        self.plan = plan
        self.codec = codec
        self.ignoreUnknownFields = ignoreUnknownFields
        self.bytesEncoding = bytesEncoding
        self.maxErrors = maxErrors
        self.scratch = scratch
    }

    // MARK: Walk

    /// Walks JSON node `n` as plan node `t`, setting `value` unless it is nil. `lossless` asks
    /// float and double to take only numbers they represent exactly (union branch choice).
    mutating func walk(_ tape: TapeView, _ n: Int, _ t: Int32, _ value: UnsafeMutablePointer<avro_value_t>?, _ dialect: JSONDialect, lossless: Bool = false) -> Bool {
        let json = tape.nodes[n]
        let type = plan.nodes[Int(t)]
        switch type.kind {
        case .null:
            guard json.kind == .null else { return reject(tape, n, t, dialect, value) }
            if let value { check(avrogate_value_set_null(value)) }
            return true
        case .boolean:
            guard json.kind == .true || json.kind == .false else { return reject(tape, n, t, dialect, value) }
            if let value { check(avrogate_value_set_boolean(value, json.kind == .true ? 1 : 0)) }
            return true
        case .int:
            guard let number = intValue(tape, json, type.logical, dialect), number >= Int64(Int32.min), number <= Int64(Int32.max) else {
                return reject(tape, n, t, dialect, value)
            }
            if let value { check(avrogate_value_set_int(value, Int32(number))) }
            return true
        case .long:
            guard let number = longValue(tape, json, type.logical, dialect) else { return reject(tape, n, t, dialect, value) }
            if let value { check(avrogate_value_set_long(value, number)) }
            return true
        case .float:
            guard let number = floatingValue(tape, json) else { return reject(tape, n, t, dialect, value) }
            let single = Float(number)
            guard single.isFinite || !number.isFinite else { return reject(tape, n, t, dialect, value) }
            if lossless && json.isNumber {
                let exact = json.kind == .integer ? Float(exactly: json.integer) != nil : Double(single) == number
                guard exact else { return false }
            }
            if let value { check(avrogate_value_set_float(value, single)) }
            return true
        case .double:
            guard let number = floatingValue(tape, json) else { return reject(tape, n, t, dialect, value) }
            if lossless && json.kind == .integer && Double(exactly: json.integer) == nil { return false }
            if let value { check(avrogate_value_set_double(value, number)) }
            return true
        case .string:
            guard json.kind == .string else { return reject(tape, n, t, dialect, value) }
            let text = tape.string(json)
            if type.logical == .uuid && !UUIDText.isValid(text) { return reject(tape, n, t, dialect, value) }
            if let value {
                // The value borrows the tape's bytes instead of copying them into a buffer of its
                // own (a wrapped buffer without a free function): the encoder writes the value and
                // empties it before the tape changes. avro-c string sizes count the NUL
                // terminator, which the tape provides.
                var borrowed = avro_wrapped_buffer_t(buf: text.baseAddress, size: text.count + 1, user_data: nil, free: nil, copy: nil, slice: nil)
                check(avrogate_value_give_string_len(value, &borrowed))
            }
            return true
        case .bytes, .fixed:
            guard decodeBytes(tape, json, type, dialect) else { return reject(tape, n, t, dialect, value) }
            if let value {
                let status = scratch.bytes.withUnsafeMutableBytes { buffer in
                    type.kind == .bytes
                        ? avrogate_value_set_bytes(value, buffer.baseAddress, buffer.count)
                        : avrogate_value_set_fixed(value, buffer.baseAddress, buffer.count)
                }
                check(status)
            }
            return true
        case .enumeration:
            guard json.kind == .string, let symbol = plan.tables[Int(plan.enums[Int(type.detail)].lookup)].lookup(tape.string(json)) else {
                return reject(tape, n, t, dialect, value)
            }
            if let value { check(avrogate_value_set_enum(value, Int32(symbol))) }
            return true
        case .array:
            guard json.kind == .array else { return reject(tape, n, t, dialect, value) }
            var accepted = true
            var element = n + 1
            for index in 0 ..< json.count {
                let first = errors.count
                var child = avro_value_t()
                if let value { check(avrogate_value_append(value, &child, nil)) }
                let ok = value == nil ? walk(tape, element, type.detail, nil, dialect) : walk(tape, element, type.detail, &child, dialect)
                if !ok {
                    accepted = false
                    if value == nil || isTruncated { return false }
                    prefix(.index(index), from: first)
                }
                element = tape.next(after: element)
            }
            return accepted
        case .map:
            guard json.kind == .object else { return reject(tape, n, t, dialect, value) }
            var accepted = true
            var member = n + 1
            for _ in 0 ..< json.count {
                let key = tape.nodes[member]
                let first = errors.count
                var child = avro_value_t()
                if let value {
                    // avro-c map keys are C strings: a key with a NUL inside cannot be stored.
                    let keyText = tape.string(key)
                    guard !keyText.contains(0) else {
                        report(.invalidValue, expected: "a map key without U+0000", got: excerpt(tape, member))
                        prefix(.key(keyString(tape, member)), from: first)
                        accepted = false
                        member = tape.next(after: member + 1)
                        continue
                    }
                    var isNew: Int32 = 0
                    check(avrogate_value_add(value, keyText.baseAddress!.assumingMemoryBound(to: CChar.self), &child, nil, &isNew))
                    if isNew == 0 {
                        report(.duplicateKey, expected: "each key once", got: excerpt(tape, member))
                        prefix(.key(keyString(tape, member)), from: first)
                        accepted = false
                        member = tape.next(after: member + 1)
                        continue
                    }
                }
                let ok = value == nil ? walk(tape, member + 1, type.detail, nil, dialect) : walk(tape, member + 1, type.detail, &child, dialect)
                if !ok {
                    accepted = false
                    if value == nil || isTruncated { return false }
                    prefix(.key(keyString(tape, member)), from: first)
                }
                member = tape.next(after: member + 1)
            }
            return accepted
        case .record:
            guard json.kind == .object else { return reject(tape, n, t, dialect, value) }
            return walkRecord(tape, n, type, value, dialect)
        case .union:
            return walkUnion(tape, n, t, type, value, dialect)
        }
    }

    private mutating func walkRecord(_ tape: TapeView, _ n: Int, _ type: SchemaPlan.Node, _ value: UnsafeMutablePointer<avro_value_t>?, _ dialect: JSONDialect) -> Bool {
        let record = plan.records[Int(type.detail)]
        // Which member holds each field's value: on the stack, one slot per field.
        let fieldCount = Int(record.fields.count)
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: fieldCount) { slots in
            slots.initialize(repeating: -1)
            var accepted = true
            var member = n + 1
            // Members usually come in field order: try the field after the last one matched
            // before hashing the key.
            var expected = 0
            for _ in 0 ..< tape.nodes[n].count {
                let valueNode = member + 1
                let key = tape.string(tape.nodes[member])
                var match: Int?
                if expected < fieldCount {
                    let name = plan.fields[Int(record.fields.start) + expected].jsonKey
                    // Field names need no escaping: the key's text is `"name":`.
                    if Int(name.count) - 3 == key.count,
                       memcmpEqual(plan.jsonText.baseAddress! + Int(name.start) + 1, key.baseAddress!, key.count) {
                        match = expected
                    }
                }
                if match == nil { match = plan.tables[Int(record.lookup)].lookup(key) }
                if let field = match {
                    expected = field + 1
                    if slots[field] >= 0 {
                        if value == nil { return false }
                        let first = errors.count
                        report(.duplicateKey, expected: "each field once", got: excerpt(tape, member))
                        prefix(.field(codec.plan.names[Int(plan.fields[Int(record.fields.start) + field].name)]), from: first)
                        accepted = false
                    } else {
                        slots[field] = Int32(valueNode)
                    }
                } else if !ignoreUnknownFields {
                    if value == nil { return false }
                    let first = errors.count
                    report(.unknownField, expected: "a field of \(codec.plan.names[Int(record.name)])", got: "unknown field")
                    prefix(.field(keyString(tape, member)), from: first)
                    accepted = false
                }
                member = tape.next(after: valueNode)
            }
            for index in 0 ..< fieldCount {
                if isTruncated { return false }
                let field = plan.fields[Int(record.fields.start) + index]
                let first = errors.count
                var child = avro_value_t()
                let ok: Bool
                if let value {
                    check(avrogate_value_get_by_index(value, index, &child, nil))
                    ok = walkField(tape, slots[index], field, &child, dialect)
                } else {
                    ok = walkField(tape, slots[index], field, nil, dialect)
                }
                if !ok {
                    if value == nil { return false }
                    accepted = false
                    prefix(.field(codec.plan.names[Int(field.name)]), from: first)
                }
            }
            return accepted
        }
    }

    /// Walks a field's value from the event, else its default; a field with neither is missing.
    private mutating func walkField(_ tape: TapeView, _ slot: Int32, _ field: SchemaPlan.Field, _ value: UnsafeMutablePointer<avro_value_t>?, _ dialect: JSONDialect) -> Bool {
        if slot >= 0 { return walk(tape, Int(slot), field.type, value, dialect) }
        if field.defaultNode >= 0 { return walk(plan.defaults, Int(field.defaultNode), field.type, value, .defaultValue) }
        if value != nil { report(.missingField, expected: describe(field.type, dialect), got: "nothing (missing)") }
        return false
    }

    private mutating func walkUnion(_ tape: TapeView, _ n: Int, _ t: Int32, _ type: SchemaPlan.Node, _ value: UnsafeMutablePointer<avro_value_t>?, _ dialect: JSONDialect) -> Bool {
        let union = plan.unions[Int(type.detail)]
        let json = tape.nodes[n]
        if json.kind == .null {
            guard union.nullBranch >= 0 else { return reject(tape, n, t, dialect, value) }
            return walkBranch(tape, n, union, union.nullBranch, value, dialect)
        }
        switch dialect {
        case .defaultValue:
            return walkBranch(tape, n, union, 0, value, dialect)
        case .avroJSON:
            guard json.kind == .object, json.count == 1, let branch = plan.tables[Int(union.lookup)].lookup(tape.string(tape.nodes[n + 1])) else {
                return reject(tape, n, t, dialect, value)
            }
            return walkBranch(tape, n + 2, union, Int32(branch), value, dialect)
        case .natural:
            // The wrapped form, when the single key names a branch that takes the value.
            if json.kind == .object, json.count == 1, let branch = plan.tables[Int(union.lookup)].lookup(tape.string(tape.nodes[n + 1])),
               walk(tape, n + 2, plan.indexPool[Int(union.branches.start) + branch], nil, dialect) {
                return walkBranch(tape, n + 2, union, Int32(branch), value, dialect)
            }
            let candidates: SchemaPlan.Span
            switch json.kind {
            case .true, .false:
                guard union.booleanBranch >= 0 else { return reject(tape, n, t, dialect, value) }
                return walkBranch(tape, n, union, union.booleanBranch, value, dialect)
            case .array:
                guard union.arrayBranch >= 0 else { return reject(tape, n, t, dialect, value) }
                return walkBranch(tape, n, union, union.arrayBranch, value, dialect)
            case .integer, .real: candidates = union.numberCandidates
            case .string: candidates = union.stringCandidates
            case .object: candidates = union.objectCandidates
            case .null: return false
            }
            if candidates.count == 1 {
                return walkBranch(tape, n, union, plan.indexPool[Int(candidates.start)], value, dialect)
            }
            for index in candidates.range {
                let branch = plan.indexPool[index]
                if walk(tape, n, plan.indexPool[Int(union.branches.start) + Int(branch)], nil, dialect, lossless: true) {
                    return walkBranch(tape, n, union, branch, value, dialect)
                }
            }
            // No branch takes the number exactly: the first that takes it rounded (float, double).
            if json.isNumber {
                for index in candidates.range {
                    let branch = plan.indexPool[index]
                    if walk(tape, n, plan.indexPool[Int(union.branches.start) + Int(branch)], nil, dialect) {
                        return walkBranch(tape, n, union, branch, value, dialect)
                    }
                }
            }
            return reject(tape, n, t, dialect, value)
        }
    }

    private mutating func walkBranch(_ tape: TapeView, _ n: Int, _ union: SchemaPlan.Union, _ branch: Int32, _ value: UnsafeMutablePointer<avro_value_t>?, _ dialect: JSONDialect) -> Bool {
        let type = plan.indexPool[Int(union.branches.start) + Int(branch)]
        guard let value else { return walk(tape, n, type, nil, dialect) }
        var child = avro_value_t()
        check(avrogate_value_set_branch(value, branch, &child))
        return walk(tape, n, type, &child, dialect)
    }

    // MARK: Scalars

    /// An int's value: a JSON integer, an integral real, or (natural JSON) a date or time text.
    private func intValue(_ tape: TapeView, _ json: JSONTapeNode, _ logical: SchemaPlan.Logical, _ dialect: JSONDialect) -> Int64? {
        switch json.kind {
        case .integer, .real:
            guard let number = integral(json) else { return nil }
            if logical == .timeMillis && (number < 0 || number >= 86_400_000) { return nil }
            return number
        case .string where dialect == .natural:
            let text = tape.string(json)
            switch logical {
            case .date: return CivilTime.parseDate(text)
            case .timeMillis:
                guard let time = CivilTime.parseTime(text), time.nanos % 1_000_000 == 0 else { return nil }
                return time.nanos / 1_000_000
            default: return nil
            }
        default: return nil
        }
    }

    /// A long's value: a JSON integer, an integral real, or (natural JSON) a timestamp or time text.
    private func longValue(_ tape: TapeView, _ json: JSONTapeNode, _ logical: SchemaPlan.Logical, _ dialect: JSONDialect) -> Int64? {
        switch json.kind {
        case .integer, .real:
            guard let number = integral(json) else { return nil }
            if logical == .timeMicros && (number < 0 || number >= 86_400_000_000) { return nil }
            return number
        case .string where dialect == .natural:
            guard let unit = logical.timeUnit else { return nil }
            let text = tape.string(json)
            if logical == .timeMicros {
                guard let time = CivilTime.parseTime(text), time.nanos % 1000 == 0 else { return nil }
                return time.nanos / 1000
            }
            guard let instant = CivilTime.parseDateTime(text, zoned: unit.zoned) else { return nil }
            return CivilTime.count(seconds: instant.seconds, nanos: instant.nanos, unitsPerSecond: unit.perSecond)
        default: return nil
        }
    }

    /// An integer node's value, or a real's when it is integral and within 64 bits.
    @inline(__always)
    private func integral(_ json: JSONTapeNode) -> Int64? {
        if json.kind == .integer { return json.integer }
        let real = json.real
        guard real == real.rounded(.towardZero), real >= -9.223_372_036_854_775_808e18, real < 9.223_372_036_854_775_808e18 else { return nil }
        return Int64(real)
    }

    /// A float's or double's value: any JSON number, or the strings `NaN`, `Infinity`, `-Infinity`.
    private func floatingValue(_ tape: TapeView, _ json: JSONTapeNode) -> Double? {
        switch json.kind {
        case .integer: return Double(json.integer)
        case .real: return json.real
        case .string:
            let text = tape.string(json)
            if text.elementsEqual("NaN".utf8) { return .nan }
            if text.elementsEqual("Infinity".utf8) { return .infinity }
            if text.elementsEqual("-Infinity".utf8) { return -.infinity }
            return nil
        default: return nil
        }
    }

    /// Fills `bytes` with the value of a bytes or fixed node; false if the JSON does not give one.
    private mutating func decodeBytes(_ tape: TapeView, _ json: JSONTapeNode, _ type: SchemaPlan.Node, _ dialect: JSONDialect) -> Bool {
        scratch.bytes.removeAll(keepingCapacity: true)
        let fixedSize: Int? = type.kind == .fixed ? Int(type.size) : nil
        if dialect == .natural && type.logical == .decimal {
            let text: UnsafeRawBufferPointer
            switch json.kind {
            case .string: text = tape.string(json)
            case .integer, .real: text = tape.numberText(json)
            default: return false
            }
            do {
                try DecimalText.encode(text, precision: Int(type.precision), scale: Int(type.scale), size: fixedSize, into: &scratch.bytes, digits: &scratch.digits)
                return true
            } catch {
                return false
            }
        }
        guard json.kind == .string else { return false }
        let text = tape.string(json)
        if dialect == .natural && type.logical == .uuid && type.kind == .fixed {
            guard let parsed = UUIDText.parse(text), parsed.count == fixedSize else { return false }
            scratch.bytes.append(contentsOf: parsed)
            return true
        }
        let decoded = dialect == .natural && bytesEncoding == .base64 ? Base64.decode(text, into: &scratch.bytes) : CodePoints.decode(text, into: &scratch.bytes)
        guard decoded else { return false }
        if let fixedSize, scratch.bytes.count != fixedSize { return false }
        return true
    }

    // MARK: Errors

    @inline(__always)
    private mutating func check(_ status: Int32) {
        if status != 0 { avroCFailed = true }
    }

    /// Records that node `n` does not fit plan node `t` (unless only checking) and returns false.
    private mutating func reject(_ tape: TapeView, _ n: Int, _ t: Int32, _ dialect: JSONDialect, _ value: UnsafeMutablePointer<avro_value_t>?) -> Bool {
        if value != nil { report(.invalidValue, expected: describe(t, dialect), got: excerpt(tape, n)) }
        return false
    }

    private mutating func report(_ kind: ValidationError.Kind, expected: String, got: String) {
        guard errors.count < maxErrors else {
            isTruncated = true
            return
        }
        errors.append(PendingError(kind: kind, reversedPath: [], expected: expected, got: got))
    }

    /// Adds a path component to the errors recorded since `first` (paths grow outward).
    private mutating func prefix(_ component: PathComponent, from first: Int) {
        for index in first ..< errors.count { errors[index].reversedPath.append(component) }
    }

    private func keyString(_ tape: TapeView, _ member: Int) -> String {
        String(decoding: tape.string(tape.nodes[member]), as: UTF8.self)
    }

    /// At most 40 characters of node `n`'s JSON text, on one line.
    func excerpt(_ tape: TapeView, _ n: Int) -> String {
        let node = tape.nodes[n]
        let start = Int(node.source)
        var end: Int
        switch node.kind {
        case .null, .true: end = start + 4
        case .false: end = start + 5
        case .integer, .real: end = start + Int(node.a)
        case .array, .object: end = Int(node.payload)
        case .string:
            end = start + 1
            while end < tape.original.count && tape.original[end] != UInt8(ascii: "\"") {
                end += tape.original[end] == UInt8(ascii: "\\") ? 2 : 1
            }
            end = min(end + 1, tape.original.count)
        }
        return Excerpt.make(UnsafeRawBufferPointer(rebasing: tape.original[start ..< min(end, tape.original.count)]))
    }

    /// What plan node `t` takes, in the words of the dialect.
    func describe(_ t: Int32, _ dialect: JSONDialect) -> String {
        let type = plan.nodes[Int(t)]
        let natural = dialect == .natural
        switch type.kind {
        case .null: return "null"
        case .boolean: return "boolean"
        case .int:
            guard natural else { return type.logical == .timeMillis ? "int (time-millis, 0 to 86399999)" : "int" }
            switch type.logical {
            case .date: return "date (YYYY-MM-DD or days since 1970-01-01)"
            case .timeMillis: return "time-millis (HH:MM:SS[.fff] or milliseconds since midnight)"
            default: return "int"
            }
        case .long:
            guard natural, type.logical != .none else { return type.logical == .timeMicros ? "long (time-micros, 0 to 86399999999)" : "long" }
            let name = type.logical == .timeMicros ? "time-micros" : logicalName(type.logical)
            switch type.logical {
            case .timeMicros: return "\(name) (HH:MM:SS[.ffffff] or microseconds since midnight)"
            case .timestampMillis, .timestampMicros, .timestampNanos:
                return "\(name) (ISO-8601 date-time with zone, or an integer since the epoch)"
            default:
                return "\(name) (ISO-8601 date-time without zone, or an integer)"
            }
        case .float: return "float"
        case .double: return "double"
        case .string: return type.logical == .uuid ? "uuid (8-4-4-4-12 hex digits)" : "string"
        case .bytes:
            if natural && type.logical == .decimal { return "decimal(\(type.precision),\(type.scale)) as a string or exact number" }
            return natural && bytesEncoding == .base64 ? "bytes (base64)" : "bytes (string of code points U+0000-U+00FF)"
        case .fixed:
            let name = codec.plan.fullName(type)
            if natural && type.logical == .decimal { return "decimal(\(type.precision),\(type.scale)) as a string or exact number" }
            if natural && type.logical == .uuid { return "uuid (8-4-4-4-12 hex digits)" }
            return "fixed \(name) (\(type.size) bytes" + (natural && bytesEncoding == .base64 ? ", base64)" : " as code points U+0000-U+00FF)")
        case .enumeration:
            let symbols = codec.plan.symbolNames(plan.enums[Int(type.detail)])
            let shown = symbols.prefix(6).joined(separator: ", ") + (symbols.count > 6 ? ", …" : "")
            return "\(codec.plan.fullName(type)) symbol (\(shown))"
        case .array: return "array"
        case .map: return "map (object)"
        case .record: return "record \(codec.plan.fullName(type)) (object)"
        case .union:
            let union = plan.unions[Int(type.detail)]
            let names = (0 ..< Int(union.branches.count)).map { codec.plan.branchName(codec.plan.branch(union, $0)) }.joined(separator: ", ")
            return dialect == .avroJSON ? "union [\(names)] as null or {\"branch\": value}" : "one of [\(names)]"
        }
    }

    private func logicalName(_ logical: SchemaPlan.Logical) -> String {
        switch logical {
        case .timestampMillis: "timestamp-millis"
        case .timestampMicros: "timestamp-micros"
        case .timestampNanos: "timestamp-nanos"
        case .localTimestampMillis: "local-timestamp-millis"
        case .localTimestampMicros: "local-timestamp-micros"
        case .localTimestampNanos: "local-timestamp-nanos"
        default: "long"
        }
    }
}

/// An error whose path is still being built, innermost component first.
struct PendingError {
    var kind: ValidationError.Kind
    var reversedPath: [PathComponent]
    var expected: String
    var got: String

    var validationError: ValidationError {
        var path = "$"
        for component in reversedPath.reversed() { component.append(to: &path) }
        return ValidationError(kind: kind, path: path, expected: expected, got: got)
    }
}

/// One step of a JSONPath.
enum PathComponent {
    case field(String)
    case key(String)
    case index(Int)

    func append(to path: inout String) {
        switch self {
        case .index(let index): path += "[\(index)]"
        case .field(let name), .key(let name):
            if let first = name.unicodeScalars.first, first == "_" || first.properties.isAlphabetic && first.isASCII,
               name.unicodeScalars.allSatisfy({ $0.isASCII && ($0 == "_" || $0.properties.isAlphabetic || ("0" ... "9").contains($0)) }) {
                path += "." + name
            } else {
                path += "["
                JSONValue.writeString(name, to: &path)
                path += "]"
            }
        }
    }
}
