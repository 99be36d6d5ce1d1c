@testable import Avro
import Foundation
import TestSupport

/// The oracle of the direct decoder's tests: for one schema pair and JSON shape, the direct decoder
/// next to the tree path it replaces (decode, project, write).
struct DirectDecoderPair {
    let direct: DirectJSONDecoder
    let decoder: AvroDecoder
    let resolution: ResolutionPlan?
    let writer: AvroJSONWriter

    /// The JSON shapes every comparison covers.
    static let shapes: [AvroJSONWriter.Options] = [
        AvroJSONWriter.Options(),
        AvroJSONWriter.Options(bytesEncoding: .base64),
        AvroJSONWriter.Options(format: .avroJSON),
    ]

    init(writer: AvroCodec, reader: AvroCodec? = nil, json: AvroJSONWriter.Options, decoding: AvroDecoder.Options = AvroDecoder.Options()) throws {
        direct = try DirectJSONDecoder(writer: writer, reader: reader, json: json, decoding: decoding)
        decoder = writer.makeDecoder(options: decoding)
        resolution = try reader.map { try ResolutionPlan(writer: writer.schema, reader: $0.schema) }
        self.writer = AvroJSONWriter(codec: reader ?? writer, options: json)
    }

    /// The tree path's JSON, or its error.
    func treeJSON(_ bytes: [UInt8]) -> Result<[UInt8], AvroDecodingError> {
        do {
            var value = try decoder.decode(bytes)
            if let resolution { value = try! resolution.project(value) }
            var out: [UInt8] = []
            writer.write(value, to: &out)
            return .success(out)
        } catch {
            return .failure(error)
        }
    }

    /// The compiled program's JSON alone (no fallback to the tree), or whether it failed.
    func programJSON(_ bytes: [UInt8]) -> [UInt8]? {
        var out: [UInt8] = [UInt8(ascii: "#")]
        let failed = bytes.withUnsafeBytes { input in
            do {
                try direct.writeDirectly(input, to: &out)
                return false
            } catch {
                return true
            }
        }
        return failed ? nil : Array(out.dropFirst())
    }

    /// The public entry point's JSON, or its error.
    func publicJSON(_ bytes: [UInt8]) -> Result<[UInt8], AvroDecodingError> {
        var out: [UInt8] = [UInt8(ascii: "#")]
        do {
            try direct.write(bytes, to: &out)
            return .success(Array(out.dropFirst()))
        } catch {
            // Nothing of a failed datum is left in the output.
            return out == [UInt8(ascii: "#")] ? .failure(error) : .success(out)
        }
    }
}

/// Schema files of the repository, parsed into codecs.
enum DirectDecoderFixtures {
    static func codec(_ path: String) throws -> AvroCodec {
        let text = try String(contentsOf: TestEnvironment.packageRoot.appendingPathComponent(path), encoding: .utf8)
        return try AvroCodec(schema: try AvroSchema(parsing: text))
    }

    static func lines(_ path: String) throws -> [String] {
        try String(contentsOf: TestEnvironment.packageRoot.appendingPathComponent(path), encoding: .utf8)
            .split(separator: "\n").map(String.init).filter { !$0.allSatisfy(\.isWhitespace) }
    }
}

/// Random values of any schema, leaning on the cases the JSON writer and the decoder treat specially
/// (integer extremes, timestamps inside and outside years 0000–9999, times outside a day, NaN and
/// infinities, strings needing escapes, long and multi-byte strings, big decimals), and their binary
/// encoding written here, independently of the codec, with arrays and maps in random block layouts
/// (including negative counts with byte sizes).
struct EdgeValues {
    private var rng: SplitMix64

    init(seed: UInt64) {
        rng = SplitMix64(seed: seed)
    }

    private static let strings = ["", "a", "plain ascii text of some length, forty-plus bytes", "quote \" and \\ backslash",
                                  "\u{0}\u{1}\u{1F} controls", "\n\r\t\u{8}\u{C}", "héllo wörld", "日本語のテキスト", "emoji 😀 and more text",
                                  "0123456789abcdef\"0123456789abcdef", "7d1f8a52-3c4b-4e8e-9a61-2f0c5b7e9d13"]

    private mutating func pick<T>(_ choices: [T]) -> T { choices[Int.random(in: 0 ..< choices.count, using: &rng)] }
    private mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }

    mutating func value(for schema: AvroSchema) -> AvroValue {
        value(schema.root, in: schema, depth: 0)
    }

    private mutating func value(_ node: AvroNode, in schema: AvroSchema, depth: Int) -> AvroValue {
        switch schema.resolve(node) {
        case .null: return .null
        case .boolean: return .boolean(Bool.random(using: &rng))
        case .int:
            return .int(pick([0, 1, -1, 7, .min, .max, Int32.random(in: .min ... .max, using: &rng), Int32.random(in: -1000 ... 86_400_001, using: &rng),
                              Int32.random(in: -800_000 ... 3_000_000, using: &rng)]))
        case .long:
            return .long(pick([0, -1, .min, .max, Int64.random(in: .min ... .max, using: &rng), 1_715_938_287_412, -62_167_219_200_001,
                               253_402_300_799_999, 253_402_300_800_000, Int64.random(in: -1 ... 86_400_000_001, using: &rng),
                               1_715_938_287_412_345, 1_715_938_287_412_345_678, -1_715_938_287_412]))
        case .float:
            return .float(pick([0, -0.0, .nan, .infinity, -.infinity, 1e-7, 3.4e38, 1.0 / 3, 2.75, Float(int(-1000 ... 1000)) / 8]))
        case .double:
            return .double(pick([0, -0.0, .nan, .infinity, -.infinity, 1e-300, 1.7e308, 1.0 / 3, 0.1, 5e-324, Double(int(-1000 ... 1000)) / 16]))
        case .bytes(let logical):
            let count = if case .decimal = logical { pick([0, 1, 2, 8, 9, 20]) } else { int(0 ... 12) }
            return .bytes((0 ..< count).map { _ in UInt8.random(in: 0 ... 255, using: &rng) })
        case .string:
            return .string(pick(Self.strings))
        case .fixed(let fixed):
            return .fixed((0 ..< fixed.size).map { _ in UInt8.random(in: 0 ... 255, using: &rng) })
        case .enumeration(let enumeration):
            return .enumeration(int(0 ... enumeration.symbols.count - 1))
        case .array(let items):
            let count = depth > 4 ? 0 : int(0 ... 3)
            return .array((0 ..< count).map { _ in value(items, in: schema, depth: depth + 1) })
        case .map(let values):
            let count = depth > 4 ? 0 : int(0 ... 3)
            let keys = Array(Self.strings.shuffled(using: &rng).prefix(count))
            return .map(keys.map { AvroValue.MapEntry(key: $0, value: value(values, in: schema, depth: depth + 1)) })
        case .record(let record):
            return .record(record.fields.map { value($0.type, in: schema, depth: depth + 1) })
        case .union(let branches):
            let nullBranch = branches.firstIndex { if case .null = $0 { true } else { false } }
            let branch = depth > 4 ? nullBranch ?? 0 : int(0 ... branches.count - 1)
            return .union(branch, value(branches[branch], in: schema, depth: depth + 1))
        case .reference:
            return .null
        }
    }

    /// The binary encoding of a value of `schema`.
    mutating func encode(_ value: AvroValue, for schema: AvroSchema) -> [UInt8] {
        var out: [UInt8] = []
        encode(value, schema.root, in: schema, to: &out)
        return out
    }

    private mutating func encode(_ value: AvroValue, _ node: AvroNode, in schema: AvroSchema, to out: inout [UInt8]) {
        switch (schema.resolve(node), value) {
        case (_, .null): break
        case (_, .boolean(let flag)): out.append(flag ? 1 : 0)
        case (_, .int(let number)): Self.varint(Int64(number), to: &out)
        case (_, .long(let number)): Self.varint(number, to: &out)
        case (_, .float(let number)): withUnsafeBytes(of: number.bitPattern.littleEndian) { out.append(contentsOf: $0) }
        case (_, .double(let number)): withUnsafeBytes(of: number.bitPattern.littleEndian) { out.append(contentsOf: $0) }
        case (_, .bytes(let bytes)):
            Self.varint(Int64(bytes.count), to: &out)
            out.append(contentsOf: bytes)
        case (_, .string(let text)):
            Self.varint(Int64(text.utf8.count), to: &out)
            out.append(contentsOf: text.utf8)
        case (_, .fixed(let bytes)): out.append(contentsOf: bytes)
        case (_, .enumeration(let index)): Self.varint(Int64(index), to: &out)
        case (.array(let items), .array(let values)):
            blocks(values.count, to: &out) { (encoder, index, out) in encoder.encode(values[index], items, in: schema, to: &out) }
        case (.map(let valueType), .map(let entries)):
            blocks(entries.count, to: &out) { (encoder, index, out) in
                encoder.encode(.string(entries[index].key), .string(nil), in: schema, to: &out)
                encoder.encode(entries[index].value, valueType, in: schema, to: &out)
            }
        case (.record(let record), .record(let values)):
            for (field, fieldValue) in zip(record.fields, values) { encode(fieldValue, field.type, in: schema, to: &out) }
        case (.union(let branches), .union(let index, let branchValue)):
            Self.varint(Int64(index), to: &out)
            encode(branchValue, branches[index], in: schema, to: &out)
        default:
            break
        }
    }

    /// Items in one or two blocks, each with a plain count or a negative count and its byte size.
    private mutating func blocks(_ count: Int, to out: inout [UInt8], _ item: (inout EdgeValues, Int, inout [UInt8]) -> Void) {
        var start = 0
        while start < count {
            let end = Bool.random(using: &rng) ? count : int(start + 1 ... count)
            var body: [UInt8] = []
            for index in start ..< end { item(&self, index, &body) }
            if Bool.random(using: &rng) {
                Self.varint(Int64(-(end - start)), to: &out)
                Self.varint(Int64(body.count), to: &out)
            } else {
                Self.varint(Int64(end - start), to: &out)
            }
            out.append(contentsOf: body)
            start = end
        }
        out.append(0)
    }

    static func varint(_ value: Int64, to out: inout [UInt8]) {
        var zigzag = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        while zigzag >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: zigzag) | 0x80)
            zigzag >>= 7
        }
        out.append(UInt8(zigzag))
    }
}
