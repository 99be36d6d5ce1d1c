/// Writes ``AvroValue``s of a schema as JSON (our own writer: avro-c's `avro_value_to_json`
/// knows no logical types and crashes on values with bad indices).
///
/// Natural JSON (the default): unions unwrapped; timestamps as ISO-8601 in UTC with `Z`
/// (local timestamps without), 3, 6 or 9 fraction digits by unit; dates `YYYY-MM-DD`; times
/// `HH:MM:SS.fff`; decimals as strings with exactly `scale` fraction digits; uuids as strings;
/// bytes and fixed as code points (or base64). A date or timestamp outside the years 0000–9999,
/// or a time outside a day, is written as its number. Avro JSON: unions other than null as
/// `{"type-or-full-name": value}`, logical types as their underlying type.
///
/// Output is compact and byte-stable: the same value always gives the same bytes; map entries
/// come in read order. Values that do not match the schema (only possible for hand-built
/// values) are written without schema information rather than trapping.
public struct AvroJSONWriter: Sendable {
    /// The JSON shape to write.
    public struct Options: Sendable {
        public var format: AvroJSONFormat
        public var bytesEncoding: BytesEncoding

        public init(format: AvroJSONFormat = .natural, bytesEncoding: BytesEncoding = .codePoints) {
            self.format = format
            self.bytesEncoding = bytesEncoding
        }
    }

    /// The codec whose schema the values follow.
    public let codec: AvroCodec
    public let options: Options

    public init(codec: AvroCodec, options: Options = Options()) {
        self.codec = codec
        self.options = options
    }

    /// The JSON text of a value.
    public func json(_ value: AvroValue) -> String {
        var out: [UInt8] = []
        write(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the JSON text of a value to `out`.
    public func write(_ value: AvroValue, to out: inout [UInt8]) {
        write(value, codec.plan.root, to: &out)
    }

    /// Appends the JSON text of a value of plan node `t` (the direct decoder writes reader defaults with it).
    func write(_ value: AvroValue, _ t: Int32, to out: inout [UInt8]) {
        let plan = codec.plan
        let type = plan.nodes[Int(t)]
        let natural = options.format == .natural
        switch (value, type.kind) {
        case (.null, .null):
            append("null", to: &out)
        case (.boolean(let flag), .boolean):
            append(flag ? "true" : "false", to: &out)
        case (.int(let number), .int):
            if natural && type.logical == .date {
                let mark = out.count
                out.append(UInt8(ascii: "\""))
                if CivilTime.formatDate(days: Int64(number), to: &out) {
                    out.append(UInt8(ascii: "\""))
                    return
                }
                out.removeSubrange(mark...)
            } else if natural && type.logical == .timeMillis && number >= 0 && number < 86_400_000 {
                out.append(UInt8(ascii: "\""))
                CivilTime.formatTime(nanosOfDay: Int64(number) * 1_000_000, fractionDigits: 3, to: &out)
                out.append(UInt8(ascii: "\""))
                return
            }
            append(String(number), to: &out)
        case (.long(let number), .long):
            if natural, let unit = type.logical.timeUnit {
                if type.logical == .timeMicros {
                    if number >= 0 && number < 86_400_000_000 {
                        out.append(UInt8(ascii: "\""))
                        CivilTime.formatTime(nanosOfDay: number * 1000, fractionDigits: 6, to: &out)
                        out.append(UInt8(ascii: "\""))
                        return
                    }
                } else {
                    let mark = out.count
                    out.append(UInt8(ascii: "\""))
                    if CivilTime.formatTimestamp(number, unitsPerSecond: unit.perSecond, fractionDigits: unit.digits, zoned: unit.zoned, to: &out) {
                        out.append(UInt8(ascii: "\""))
                        return
                    }
                    out.removeSubrange(mark...)
                }
            }
            append(String(number), to: &out)
        case (.float(let number), .float):
            writeFloating(Double(number), text: number.description, to: &out)
        case (.double(let number), .double):
            writeFloating(number, text: number.description, to: &out)
        case (.string(let text), .string):
            writeString(text, to: &out)
        case (.bytes(let bytes), .bytes), (.fixed(let bytes), .fixed):
            bytes.withUnsafeBytes { buffer in
                if natural && type.logical == .decimal {
                    out.append(UInt8(ascii: "\""))
                    DecimalText.format(buffer, scale: Int(type.scale), to: &out)
                    out.append(UInt8(ascii: "\""))
                } else if natural && type.logical == .uuid && type.kind == .fixed && buffer.count == 16 {
                    out.append(UInt8(ascii: "\""))
                    UUIDText.format(buffer, to: &out)
                    out.append(UInt8(ascii: "\""))
                } else {
                    writeBytes(buffer, base64: natural && options.bytesEncoding == .base64, to: &out)
                }
            }
        case (.enumeration(let index), .enumeration):
            let symbols = plan.enums[Int(type.detail)].symbols
            if index >= 0 && index < symbols.count {
                appendText(plan.symbols[Int(symbols.start) + index], to: &out)
            } else {
                append(String(index), to: &out)
            }
        case (.array(let items), .array):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(item, type.detail, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case (.map(let entries), .map):
            out.append(UInt8(ascii: "{"))
            for (index, entry) in entries.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                writeString(entry.key, to: &out)
                out.append(UInt8(ascii: ":"))
                write(entry.value, type.detail, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        case (.record(let values), .record) where values.count == plan.records[Int(type.detail)].fields.count:
            let fields = plan.records[Int(type.detail)].fields
            out.append(UInt8(ascii: "{"))
            for index in 0 ..< Int(fields.count) {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                let field = plan.fields[Int(fields.start) + index]
                appendText(field.jsonKey, to: &out)
                write(values[index], field.type, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        case (.union(let index, let branchValue), .union) where index >= 0 && index < plan.unions[Int(type.detail)].branches.count:
            let branch = plan.branch(plan.unions[Int(type.detail)], index)
            if natural || plan.nodes[Int(branch)].kind == .null {
                write(branchValue, branch, to: &out)
            } else {
                out.append(UInt8(ascii: "{"))
                writeString(plan.branchName(branch), to: &out)
                out.append(UInt8(ascii: ":"))
                write(branchValue, branch, to: &out)
                out.append(UInt8(ascii: "}"))
            }
        default:
            writeUntyped(value, to: &out)
        }
    }

    /// A value that does not match its schema node, written from the value alone.
    private func writeUntyped(_ value: AvroValue, to out: inout [UInt8]) {
        switch value {
        case .null: append("null", to: &out)
        case .boolean(let flag): append(flag ? "true" : "false", to: &out)
        case .int(let number): append(String(number), to: &out)
        case .long(let number): append(String(number), to: &out)
        case .float(let number): writeFloating(Double(number), text: number.description, to: &out)
        case .double(let number): writeFloating(number, text: number.description, to: &out)
        case .string(let text): writeString(text, to: &out)
        case .bytes(let bytes), .fixed(let bytes): bytes.withUnsafeBytes { writeBytes($0, base64: false, to: &out) }
        case .enumeration(let index): append(String(index), to: &out)
        case .array(let items), .record(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                writeUntyped(item, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .map(let entries):
            out.append(UInt8(ascii: "{"))
            for (index, entry) in entries.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                writeString(entry.key, to: &out)
                out.append(UInt8(ascii: ":"))
                writeUntyped(entry.value, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        case .union(_, let branchValue): writeUntyped(branchValue, to: &out)
        }
    }

    /// Appends pre-escaped JSON text of the plan.
    @inline(__always)
    private func appendText(_ span: SchemaPlan.Span, to out: inout [UInt8]) {
        codec.plan.jsonText.withUnsafeBufferPointer { text in
            out.append(contentsOf: UnsafeBufferPointer(rebasing: text[span.range]))
        }
    }

    @inline(__always)
    private func append(_ text: String, to out: inout [UInt8]) {
        out.append(contentsOf: text.utf8)
    }

    /// Finite numbers in Swift's shortest round-trip form (integral ones with `.0`); non-finite
    /// ones as the strings the encoder accepts back.
    private func writeFloating(_ number: Double, text: String, to out: inout [UInt8]) {
        if number.isNaN { append("\"NaN\"", to: &out); return }
        if number.isInfinite { append(number > 0 ? "\"Infinity\"" : "\"-Infinity\"", to: &out); return }
        append(text, to: &out)
    }

    /// A JSON string literal: `"` and `\` escaped, control characters as short escapes or `\u00XX`.
    private func writeString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var runStart = 0
            for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart ..< index]))
                appendEscape(byte, to: &out)
                runStart = index + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Bytes as a string of code points U+0000–U+00FF, or as base64.
    private func writeBytes(_ bytes: UnsafeRawBufferPointer, base64: Bool, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        if base64 {
            Base64.encode(bytes, to: &out)
        } else {
            for byte in bytes {
                if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                    appendEscape(byte, to: &out)
                } else if byte < 0x80 {
                    out.append(byte)
                } else {
                    out.append(0xC0 | byte >> 6)
                    out.append(0x80 | byte & 0x3F)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    private func appendEscape(_ byte: UInt8, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(byte)
        case 0x08: out.append(UInt8(ascii: "b"))
        case 0x0C: out.append(UInt8(ascii: "f"))
        case 0x0A: out.append(UInt8(ascii: "n"))
        case 0x0D: out.append(UInt8(ascii: "r"))
        case 0x09: out.append(UInt8(ascii: "t"))
        default:
            let hex = Array("0123456789abcdef".utf8)
            out.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
        }
    }
}
