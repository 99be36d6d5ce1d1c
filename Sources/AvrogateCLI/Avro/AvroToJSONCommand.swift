import ArgumentParser
import Avro
import Foundation

/// `avrogate avro tojson --schema FILE`: Avro datums on stdin, one JSON line per datum on stdout.
struct AvroToJSONCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tojson",
        abstract: "Decode Avro datums from stdin as JSON.",
        discussion: """
        --schema is the writer schema, the one the datums were written with. With --reader, each \
        datum is resolved into the reader schema (the Avro specification's schema resolution) and \
        written in its shape.

        Input (--input): hex, one datum in hex per line (the default); binary, datums concatenated, \
        decoded until the end of stdin; framed, Confluent wire-format frames, one hex line each, or \
        concatenated bytes with --raw. With --schema-id, a frame naming another id is an error.

        Output (--format): json, natural JSON (bare unions, ISO-8601 timestamps in UTC, decimals as \
        strings); avro-json, the Avro JSON encoding (wrapped unions, logical types as their \
        underlying type). One line per datum, compact, byte-stable.

        A datum that does not decode is reported on stderr (record number, where, why); with hex \
        lines decoding goes on with the next line, in a binary stream it stops (nothing marks where \
        the next datum starts). Exit status: 0 all decoded; 1 some did not; 2 bad arguments or schemas.
        """
    )

    enum Input: String, ExpressibleByArgument, CaseIterable {
        case hex, binary, framed
    }

    @OptionGroup var schema: SchemaFileOptions

    @Option(name: .long, help: "A reader schema file to resolve the datums into.")
    var reader: String?

    @Option(name: .long, help: "hex, binary or framed.")
    var input: Input = .hex

    @Flag(name: .long, help: "With --input framed: read concatenated frame bytes instead of hex lines.")
    var raw = false

    @Option(name: .long, help: "With --input framed: the schema id every frame must name.")
    var schemaID: UInt32?

    @Option(name: .long, help: "json (natural JSON) or avro-json (the Avro JSON encoding).")
    var format: AvroFromJSONCommand.Format = .json

    @Flag(name: .long, help: "Write bytes and fixed values as base64 instead of code points U+0000–U+00FF (natural JSON).")
    var bytesBase64 = false

    func run() async throws {
        try await runReportingFailures {
            if raw && input != .framed { throw CLIFailure(exitCode: 2, message: "--raw applies to --input framed only") }
            if schemaID != nil && input != .framed { throw CLIFailure(exitCode: 2, message: "--schema-id applies to --input framed only") }
            let session = try DecodingSession(command: self)
            var streams = StandardStreams()
            var failures = 0
            switch input {
            case .hex, .framed where !raw:
                var lineNumber = 0
                while let line = readLine(strippingNewline: true) {
                    lineNumber += 1
                    if line.allSatisfy(\.isWhitespace) { continue }
                    guard let bytes = Hex.decode(line) else {
                        streams.writeError("record \(lineNumber): not a line of hex digits")
                        failures += 1
                        continue
                    }
                    do {
                        streams.writeLine(try input == .framed ? session.frame(bytes) : session.datum(bytes))
                    } catch {
                        streams.writeError("record \(lineNumber): \(error)")
                        failures += 1
                    }
                }
            case .binary, .framed:
                let stream = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
                var offset = 0
                var record = 0
                while offset < stream.count {
                    record += 1
                    do {
                        streams.writeLine(try session.next(in: stream, at: &offset, framed: input == .framed))
                    } catch {
                        streams.writeError("record \(record) (byte \(offset)): \(error)")
                        failures += 1
                        break
                    }
                }
            }
            streams.flush()
            if failures > 0 {
                throw CLIFailure(exitCode: 1, message: "\(failures) of the records could not be decoded")
            }
        }
    }
}

/// The schemas, decoder, resolution and JSON writer of one `tojson` run.
private struct DecodingSession {
    let decoder: AvroDecoder
    let resolution: ResolutionPlan?
    let writer: AvroJSONWriter
    let schemaID: UInt32?

    init(command: AvroToJSONCommand) throws {
        let writerSchema = try command.schema.load()
        let readerSchema = try command.reader.map(AvroSchemaFile.load)
        do {
            decoder = try AvroCodec(schema: writerSchema).makeDecoder()
            let output = try readerSchema.map { try AvroCodec(schema: $0) } ?? decoder.codec
            writer = AvroJSONWriter(codec: output, options: AvroJSONWriter.Options(
                format: command.format == .avroJSON ? .avroJSON : .natural, bytesEncoding: command.bytesBase64 ? .base64 : .codePoints))
        } catch {
            throw CLIFailure(exitCode: 2, message: "\(error)")
        }
        do {
            resolution = try readerSchema.map { try ResolutionPlan(writer: writerSchema, reader: $0) }
        } catch {
            throw CLIFailure(exitCode: 2, message: "the reader schema \(command.reader ?? "") cannot read data of \(command.schema.schema): \(error)")
        }
        schemaID = command.schemaID
    }

    /// The JSON line of one datum filling `bytes`.
    func datum(_ bytes: [UInt8]) throws -> String {
        try json(decoder.decode(bytes))
    }

    /// The JSON line of the datum in one frame.
    func frame(_ bytes: [UInt8]) throws -> String {
        let (id, value) = try decoder.decodeFramed(bytes)
        try check(id)
        return try json(value)
    }

    /// The JSON line of the datum (framed or not) at `offset` of a stream; moves `offset` past it.
    func next(in stream: [UInt8], at offset: inout Int, framed: Bool) throws -> String {
        try stream.withUnsafeBytes { bytes in
            var position = offset
            if framed {
                let header = UnsafeRawBufferPointer(rebasing: bytes[position...])
                try check(try ConfluentWireFormat.unframe(UnsafeRawBufferPointer(rebasing: header.prefix(ConfluentWireFormat.headerSize))).schemaID)
                position += ConfluentWireFormat.headerSize
            }
            let value = try decoder.decode(bytes, from: &position)
            offset = position
            return try json(value)
        }
    }

    private func check(_ id: UInt32) throws {
        if let schemaID, id != schemaID {
            throw CLIFailure(exitCode: 1, message: "frame names schema id \(id), not \(schemaID)")
        }
    }

    private func json(_ value: AvroValue) throws -> String {
        writer.json(try resolution.map { try $0.project(value) } ?? value)
    }
}
