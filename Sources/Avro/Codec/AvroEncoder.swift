import CAvro

/// Encodes JSON events to the Avro binary encoding: the JSON is parsed and checked against the
/// schema in one walk that fills an avro-c value, which avro-c then writes.
///
/// Not thread-safe (it owns one avro-c value and reusable buffers): make one per task or thread
/// with ``AvroCodec/makeEncoder(options:)``. Reusing one encoder avoids allocating per event.
///
/// **Natural JSON** (``AvroJSONFormat/natural``), what people write:
/// - Records are objects. A missing field takes its default, else is an error; an unknown
///   member is an error unless `ignoreUnknownFields`; `null` fits only `null` (and unions with it).
/// - int and long take JSON integers in range, and integral reals (`2.0`, not `1.5`); float and
///   double take any number and the strings `"NaN"`, `"Infinity"`, `"-Infinity"`.
/// - bytes and fixed take a string whose code points U+0000–U+00FF are the bytes (or base64
///   with ``BytesEncoding/base64``); fixed must have exactly its size. An enum takes a symbol.
/// - Logical types take human formats or their raw number: timestamps an ISO-8601 date-time
///   with a zone (`2024-05-17T09:31:27.412Z`, `+02:00`), local timestamps one without, dates
///   `YYYY-MM-DD`, times `HH:MM:SS[.fraction]`; a fraction finer than the type keeps is an error,
///   not rounded. A uuid must be 8-4-4-4-12 hex digits. A decimal takes a string (`"12.30"`,
///   `"1.5e3"`) or a JSON number, both read from their text so nothing is lost, and must fit the
///   precision with at most `scale` fraction digits (more only if the extra digits are zeros).
/// - A union takes a bare value: `null` goes to the null branch; otherwise the first branch
///   that takes the value without loss, trying numbers as int, long, float, double, then decimal
///   branches; strings as string, enums (declared order), int and long with a textual logical
///   type, float and double (for `"NaN"`…), bytes, then fixed types (declared order); objects as
///   records (declared order), then map; and booleans and arrays by their one branch. A number
///   no branch holds exactly goes to the first float or double branch. When only one branch
///   could take the JSON kind at all, its own errors are reported; otherwise "one of [...]".
///   The Avro JSON form `{"branch": value}` (type name, full name, or an unambiguous simple
///   name of a named type) is accepted too, when that branch takes the value.
///
/// **Avro JSON** (``AvroJSONFormat/avroJSON``) is the specification's JSON encoding: unions
/// must be `null` or wrapped, logical types take only their underlying type's values, bytes and
/// fixed are always code points.
///
/// Every error of an event is reported (up to `maxErrors`), each with a JSONPath, what the
/// schema expects there, and a short excerpt of the input.
public final class AvroEncoder {
    /// Limits and leniency; the defaults suit an HTTP ingest endpoint.
    public struct Options: Sendable {
        /// Skip object members that name no field, instead of rejecting the event.
        public var ignoreUnknownFields: Bool
        /// How bytes and fixed values are written in natural JSON.
        public var bytesEncoding: BytesEncoding
        /// The deepest nesting of JSON arrays and objects accepted, capped at 256: that deep a walk
        /// takes about 0.5 MiB of stack in release builds, and fits the default 8 MiB thread stack
        /// of Linux even in debug builds.
        public var maxDepth: Int
        /// The longest event accepted, in bytes.
        public var maxInputBytes: Int
        /// The most errors reported for one event.
        public var maxErrors: Int

        public init(ignoreUnknownFields: Bool = false, bytesEncoding: BytesEncoding = .codePoints, maxDepth: Int = 64, maxInputBytes: Int = 1 << 20, maxErrors: Int = 100) {
            self.ignoreUnknownFields = ignoreUnknownFields
            self.bytesEncoding = bytesEncoding
            self.maxDepth = min(max(maxDepth, 1), 256)
            self.maxInputBytes = maxInputBytes
            self.maxErrors = max(maxErrors, 1)
        }
    }

    /// The codec this encoder was made from.
    public let codec: AvroCodec
    public let options: Options
    private let datum: AvroCDatum
    private var reused = Reused()

    /// The buffers kept from event to event, in one stored property: an event then pays for one
    /// exclusive access to the encoder's state rather than one per buffer and use.
    private struct Reused {
        var tape = JSONTape()
        /// Where avro-c writes the value (grown when avro-c reports it full).
        var output = [UInt8](repeating: 0, count: 4096)
        var walk = EncodingWalk.Scratch()
    }

    init(codec: AvroCodec, options: Options) throws(AvroCodecError) {
        self.codec = codec
        self.options = options
        self.datum = try AvroCDatum(codec.avroC)
    }

    /// Encodes one JSON event.
    public func encode(json: String, format: AvroJSONFormat = .natural) throws(ValidationErrors) -> [UInt8] {
        var out: [UInt8] = []
        var text = json
        let result = text.withUTF8 { utf8 in
            Result { () throws(ValidationErrors) in try encode(json: UnsafeRawBufferPointer(utf8), format: format, appendingTo: &out) }
        }
        try result.get()
        return out
    }

    /// Encodes one JSON event given as UTF-8 bytes.
    public func encode(json: [UInt8], format: AvroJSONFormat = .natural) throws(ValidationErrors) -> [UInt8] {
        var out: [UInt8] = []
        let result = json.withUnsafeBytes { utf8 in
            Result { () throws(ValidationErrors) in try encode(json: utf8, format: format, appendingTo: &out) }
        }
        try result.get()
        return out
    }

    /// Encodes an already-parsed JSON value (e.g. one record of a REST Proxy body).
    public func encode(_ value: JSONValue, format: AvroJSONFormat = .natural) throws(ValidationErrors) -> [UInt8] {
        try encode(json: value.jsonText, format: format)
    }

    /// Encodes each non-blank line of newline-delimited JSON, handing `body` the 1-based line
    /// number and the encoding or the line's errors.
    public func encodeLines(_ ndjson: [UInt8], format: AvroJSONFormat = .natural, _ body: (Int, Result<[UInt8], ValidationErrors>) throws -> Void) rethrows {
        var lineNumber = 0
        var start = 0
        while start < ndjson.count {
            lineNumber += 1
            let end = ndjson[start...].firstIndex(of: UInt8(ascii: "\n")) ?? ndjson.count
            let line = ndjson[start ..< end]
            start = end + 1
            if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }) { continue }
            var out: [UInt8] = []
            let result = line.withUnsafeBytes { utf8 in
                Result { () throws(ValidationErrors) in
                    try encode(json: utf8, format: format, appendingTo: &out)
                    return out
                }
            }
            try body(lineNumber, result)
        }
    }

    /// Encodes one JSON event, appending the Avro binary encoding to `out` (nothing is
    /// appended when the event is invalid).
    public func encode(json input: UnsafeRawBufferPointer, format: AvroJSONFormat = .natural, appendingTo out: inout [UInt8]) throws(ValidationErrors) {
        try encode(input, format: format, reusing: &reused, appendingTo: &out)
    }

    /// The encoding, with the reused buffers held for the whole event.
    private func encode(_ input: UnsafeRawBufferPointer, format: AvroJSONFormat, reusing reused: inout Reused, appendingTo out: inout [UInt8]) throws(ValidationErrors) {
        try checkSize(input.count)
        do {
            try reused.tape.parse(input, maxDepth: options.maxDepth)
        } catch {
            let parse = error.parseError
            let near = Excerpt.make(UnsafeRawBufferPointer(rebasing: input[min(error.offset, input.count)...]))
            throw ValidationErrors([ValidationError(
                kind: error.tooDeep ? .tooDeep : .malformedJSON(line: parse.line, column: parse.column),
                path: "$",
                expected: error.tooDeep
                    ? "at most \(options.maxDepth) levels of nesting (line \(parse.line), column \(parse.column))"
                    : "valid JSON (\(parse.message) at line \(parse.line), column \(parse.column))",
                got: near.isEmpty ? "end of input" : near)])
        }
        try encodeParsed(node: 0, of: input, format: format, reusing: &reused, appendingTo: &out)
    }

    /// Encodes each element of `json`, a JSON array, as a Confluent wire-format frame for `schemaID`, from one
    /// parse of the whole array: `body` gets each element's index, its bytes' range in `json`, and its frame or
    /// errors, in order. The errors are those ``encode(json:format:appendingTo:)`` gives the element alone.
    ///
    /// Returns `false` without calling `body` when `json` is not a well-formed array of at most `maxElements`
    /// values nested at most `maxDepth` levels below it: the caller then splits it and encodes its elements one by
    /// one, which places each problem.
    public func encodeFramedElements(
        ofArray json: UnsafeRawBufferPointer, schemaID: UInt32, format: AvroJSONFormat = .natural, maxElements: Int,
        _ body: (_ index: Int, _ range: Range<Int>, _ frame: Result<[UInt8], ValidationErrors>) -> Void
    ) -> Bool {
        encodeElements(json, schemaID: schemaID, format: format, maxElements: maxElements, reusing: &reused, body)
    }

    private func encodeElements(
        _ json: UnsafeRawBufferPointer, schemaID: UInt32, format: AvroJSONFormat, maxElements: Int, reusing reused: inout Reused,
        _ body: (Int, Range<Int>, Result<[UInt8], ValidationErrors>) -> Void
    ) -> Bool {
        // Anything but an array is left to the caller before paying for a parse.
        guard json.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) == UInt8(ascii: "["),
              // One level more than an event may have: the array's own.
              (try? reused.tape.parse(json, maxDepth: options.maxDepth + 1)) != nil,
              let root = reused.tape.nodes.first, root.kind == .array, root.count <= maxElements else { return false }
        var node = 1
        for index in 0 ..< root.count {
            let range = Int(reused.tape.nodes[node].source) ..< reused.tape.end(of: node, in: json)
            var frame: [UInt8] = []
            frame.reserveCapacity(range.count / 2 + 16)
            ConfluentWireFormat.appendHeader(schemaID: schemaID, to: &frame)
            do throws(ValidationErrors) {
                try checkSize(range.count)
                try encodeParsed(node: node, of: json, format: format, reusing: &reused, appendingTo: &frame)
                body(index, range, .success(frame))
            } catch {
                body(index, range, .failure(error))
            }
            node = reused.tape.next(after: node)
        }
        return true
    }

    private func checkSize(_ count: Int) throws(ValidationErrors) {
        guard count <= options.maxInputBytes else {
            throw ValidationErrors([ValidationError(kind: .tooLarge, path: "$", expected: "at most \(options.maxInputBytes) bytes", got: "\(count) bytes")])
        }
    }

    /// Walks the parsed value at tape node `root` (of the document `input`) into the avro-c value and writes it.
    private func encodeParsed(node root: Int, of input: UnsafeRawBufferPointer, format: AvroJSONFormat, reusing reused: inout Reused,
                              appendingTo out: inout [UInt8]) throws(ValidationErrors) {
        // The value borrows the event's strings (see EncodingWalk), so it is emptied before
        // the call returns, whatever the outcome.
        defer { datum.reset() }
        let codec = self.codec
        let options = self.options
        let dialect: JSONDialect = format == .natural ? .natural : .avroJSON
        var value = datum.value
        let (accepted, finished) = reused.tape.nodes.withUnsafeBufferPointer { nodes in
            reused.tape.buffer.withUnsafeBufferPointer { buffer in
                codec.plan.withTables { tables in
                    var walk = EncodingWalk(
                        plan: tables, codec: codec, ignoreUnknownFields: options.ignoreUnknownFields, bytesEncoding: options.bytesEncoding,
                        maxErrors: options.maxErrors, scratch: reused.walk.take())
                    let view = TapeView(nodes: nodes, buffer: buffer.baseAddress!, original: input)
                    let accepted = walk.walk(view, root, codec.plan.root, &value, dialect)
                    return (accepted, walk)
                }
            }
        }
        reused.walk = finished.scratch
        guard accepted else {
            throw ValidationErrors(finished.errors.map(\.validationError), isTruncated: finished.isTruncated)
        }
        guard !finished.avroCFailed else {
            throw ValidationErrors([ValidationError(kind: .encodingFailed, path: "$", expected: "a value avro-c can hold", got: "avro-c refused it")])
        }
        do {
            try datum.write(appendingTo: &out, scratch: &reused.output)
        } catch {
            throw ValidationErrors([ValidationError(kind: .encodingFailed, path: "$", expected: "a value avro-c can write", got: Excerpt.make(error.message))])
        }
    }
}
