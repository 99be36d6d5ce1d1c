import ArgumentParser
import Avro
import Foundation

/// `avrogate avro fromjson --schema FILE`: newline-delimited JSON events on stdin, one Avro datum
/// per event on stdout.
struct AvroFromJSONCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fromjson",
        abstract: "Encode newline-delimited JSON events from stdin as Avro.",
        discussion: """
        Each non-blank line of stdin is one event (record N is line N). Events are read as natural \
        JSON (bare union values, ISO-8601 timestamps, decimals as strings) or, with --format \
        avro-json, in the Avro specification's JSON encoding (wrapped unions).

        Output (--output): hex, one line of lowercase hex per event (the default); binary, the \
        datums' bytes concatenated (`tojson --input binary` reads them back); framed, Confluent \
        wire-format frames for --schema-id, one hex line each, or their bytes concatenated with --raw.

        Every invalid event is reported on stderr, one line per error (record number, JSONPath, \
        what the schema expects, what the event has), and produces no output; valid events are \
        still encoded. Exit status: 0 all events valid; 1 some invalid; 2 bad arguments or schema.
        """
    )

    enum Output: String, ExpressibleByArgument, CaseIterable {
        case hex, binary, framed
    }

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json
        case avroJSON = "avro-json"
    }

    @OptionGroup var schema: SchemaFileOptions

    @Option(name: .long, help: "hex, binary or framed.")
    var output: Output = .hex

    @Option(name: .long, help: "The registry id written into frames (with --output framed).")
    var schemaID: UInt32?

    @Flag(name: .long, help: "With --output framed: write the frames' bytes instead of hex lines.")
    var raw = false

    @Option(name: .long, help: "json (natural JSON) or avro-json (the Avro JSON encoding).")
    var format: Format = .json

    @Flag(name: .long, help: "Skip object members that name no field instead of rejecting the event.")
    var ignoreUnknownFields = false

    @Flag(name: .long, help: "Read bytes and fixed values as base64 instead of code points U+0000–U+00FF.")
    var bytesBase64 = false

    func run() async throws {
        try await runReportingFailures {
            if output == .framed && schemaID == nil { throw CLIFailure(exitCode: 2, message: "--output framed needs --schema-id") }
            if raw && output != .framed { throw CLIFailure(exitCode: 2, message: "--raw applies to --output framed only") }
            let codec: AvroCodec
            let encoder: AvroEncoder
            do {
                codec = try AvroCodec(schema: try schema.load())
                encoder = try codec.makeEncoder(options: AvroEncoder.Options(
                    ignoreUnknownFields: ignoreUnknownFields, bytesEncoding: bytesBase64 ? .base64 : .codePoints))
            } catch let error as AvroCodecError {
                throw CLIFailure(exitCode: 2, message: "\(schema.schema): \(error)")
            }
            let jsonFormat: AvroJSONFormat = format == .avroJSON ? .avroJSON : .natural
            var streams = StandardStreams()
            var invalid = 0
            var lineNumber = 0
            var out: [UInt8] = []
            while let line = readLine(strippingNewline: true) {
                lineNumber += 1
                if line.allSatisfy(\.isWhitespace) { continue }
                out.removeAll(keepingCapacity: true)
                var text = line
                let result = text.withUTF8 { utf8 in
                    Result { () throws(ValidationErrors) in
                        if let schemaID, output == .framed {
                            try encoder.encodeFramed(json: UnsafeRawBufferPointer(utf8), schemaID: schemaID, format: jsonFormat, appendingTo: &out)
                        } else {
                            try encoder.encode(json: UnsafeRawBufferPointer(utf8), format: jsonFormat, appendingTo: &out)
                        }
                    }
                }
                switch result {
                case .success:
                    if output == .binary || raw {
                        streams.write(out)
                    } else {
                        streams.writeLine(Hex.encode(out))
                    }
                case .failure(let errors):
                    invalid += 1
                    for error in errors.errors {
                        streams.writeError("record \(lineNumber): \(error.path): expected \(error.expected), got \(error.got)")
                    }
                    if errors.isTruncated { streams.writeError("record \(lineNumber): more errors not shown") }
                }
            }
            streams.flush()
            if invalid > 0 {
                throw CLIFailure(exitCode: 1, message: "\(invalid) of the records were invalid and not encoded")
            }
        }
    }
}

/// Lowercase hex, the text form of datums and frames on stdin and stdout.
enum Hex {
    static func encode(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The bytes of a hex line (either letter case, surrounding whitespace ignored), or nil.
    static func decode(_ line: String) -> [UInt8]? {
        let text = Array(line.utf8.drop { $0 == 0x20 || $0 == 0x09 }.reversed().drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }.reversed())
        guard text.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count / 2)
        var index = 0
        while index < text.count {
            guard let high = nibble(text[index]), let low = nibble(text[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0") ... UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a") ... UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A") ... UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// Buffered stdout (datums can be binary) and line-wise stderr for the datum commands.
struct StandardStreams {
    private var buffer: [UInt8] = []

    mutating func write(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    mutating func writeLine(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= 1 << 16 { flush() }
    }

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }

    func writeError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
