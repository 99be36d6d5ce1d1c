import Avro
import Foundation
import Testing
import TestSupport

/// The CI stand-in for scripts/fuzz.sh: random mutations of the seed corpus in Fuzz/corpus
/// through the encoder and the decoder, in process, with the same properties the libFuzzer
/// targets check: nothing traps, what the encoder writes decodes and round-trips through Avro
/// JSON byte for byte, error excerpts stay short, and decoded frames write as JSON that encodes
/// back to the same value.
@Suite struct FuzzSmokeTests {
    /// The schemas the first byte of a corpus entry chooses from (as in Fuzz/FuzzSupport.swift).
    private static let schemaFiles = [
        "schemas/reference.avsc",
        "Tests/Fixtures/codec/all-types.avsc",
        "Tests/Fixtures/codec/validation.avsc",
        "Tests/Fixtures/codec/unions.avsc",
        "Tests/Fixtures/codec/recursive.avsc",
    ]

    private let codecs: [AvroCodec]

    init() throws {
        codecs = try Self.schemaFiles.map { path in
            let text = try String(contentsOf: TestEnvironment.packageRoot.appendingPathComponent(path), encoding: .utf8)
            return try AvroCodec(schema: try AvroSchema(parsing: text))
        }
    }

    private func corpus(_ folder: String) throws -> [[UInt8]] {
        let directory = TestEnvironment.packageRoot.appendingPathComponent("Fuzz/corpus/\(folder)")
        return try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted().map {
            [UInt8](try Data(contentsOf: directory.appendingPathComponent($0)))
        }
    }

    @Test func tenThousandMutatedEventsEncodeOrFailCleanly() throws {
        var mutator = Mutator(seed: 0x5EED_0001, corpus: try corpus("json"), tokens: Mutator.jsonTokens)
        var encoded = 0
        for _ in 0 ..< 10_000 {
            let input = mutator.next()
            guard let selector = input.first else { continue }
            let codec = codecs[Int(selector) % codecs.count]
            let format: AvroJSONFormat = selector & 0x80 == 0 ? .natural : .avroJSON
            let encoder = try codec.makeEncoder()
            do {
                let bytes = try encoder.encode(json: Array(input.dropFirst()), format: format)
                encoded += 1
                let value = try codec.makeDecoder().decode(bytes)
                let avroJSON = AvroJSONWriter(codec: codec, options: .init(format: .avroJSON)).json(value)
                #expect(try encoder.encode(json: avroJSON, format: .avroJSON) == bytes, "\(avroJSON)")
            } catch let errors as ValidationErrors {
                for error in errors.errors {
                    #expect(error.got.count <= 40 && !error.got.contains("\n"), "\(error)")
                }
            }
        }
        // The corpus entries themselves, and some mutations, are valid events.
        #expect(encoded > 10)
    }

    @Test func tenThousandMutatedFramesDecodeOrFailCleanly() throws {
        var mutator = Mutator(seed: 0x5EED_0002, corpus: try corpus("frame"), tokens: Mutator.binaryTokens)
        var decoded = 0
        for _ in 0 ..< 10_000 {
            let input = mutator.next()
            guard let selector = input.first else { continue }
            let codec = codecs[Int(selector) % codecs.count]
            guard let (_, value) = try? codec.makeDecoder().decodeFramed(Array(input.dropFirst())) else { continue }
            decoded += 1
            _ = AvroJSONWriter(codec: codec).json(value)
            let avroJSON = AvroJSONWriter(codec: codec, options: .init(format: .avroJSON)).json(value)
            guard let again = try? codec.makeEncoder().encode(json: avroJSON, format: .avroJSON) else { continue }
            let reread = try codec.makeDecoder().decode(again)
            #expect(AvroJSONWriter(codec: codec, options: .init(format: .avroJSON)).json(reread) == avroJSON)
        }
        #expect(decoded > 10)
    }
}

/// A deterministic byte mutator in the style of libFuzzer's: bit flips, byte changes, inserted
/// and deleted runs, dictionary tokens, truncation, splices of two corpus entries.
struct Mutator {
    static let jsonTokens: [[UInt8]] = ["null", "true", "\"", "\\", "\\u0000", "\\ud800", "{", "}", "[", "]", ",", ":", "-0",
                                        "1e400", "2147483648", "9223372036854775808", "0.1", "\"NaN\"", "{\"long\":1}",
                                        "\"2024-02-30T00:00:00Z\"", "\"1.005\"", "é", "\u{FFFF}"].map { Array($0.utf8) }
    static let binaryTokens: [[UInt8]] = [[0x00], [0x01], [0x02], [0x7F], [0x80], [0xFF],
                                          [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01],
                                          [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01], [0xC3, 0x28]]

    private var state: UInt64
    private let corpus: [[UInt8]]
    private let tokens: [[UInt8]]

    init(seed: UInt64, corpus: [[UInt8]], tokens: [[UInt8]]) {
        state = seed
        self.corpus = corpus
        self.tokens = tokens
    }

    /// SplitMix64.
    private mutating func random(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(max(bound, 1)))
    }

    mutating func next() -> [UInt8] {
        var input = corpus[random(corpus.count)]
        for _ in 0 ... random(4) {
            let position = input.isEmpty ? 0 : random(input.count)
            switch random(8) {
            case 0 where !input.isEmpty: input[position] ^= UInt8(1 << random(8))
            case 1 where !input.isEmpty: input[position] = UInt8(random(256))
            case 2: input.insert(UInt8(random(256)), at: position)
            case 3 where !input.isEmpty: input.removeSubrange(position ..< min(input.count, position + 1 + random(8)))
            case 4: input.insert(contentsOf: tokens[random(tokens.count)], at: position)
            case 5 where input.count > 1: input.removeSubrange((1 + random(input.count - 1))...)
            case 6:
                let other = corpus[random(corpus.count)]
                if !other.isEmpty { input = Array(input.prefix(position)) + other[random(other.count)...] }
            default:
                if !input.isEmpty { input.insert(contentsOf: input[position ..< min(input.count, position + random(16))], at: random(input.count)) }
            }
        }
        return input
    }
}
