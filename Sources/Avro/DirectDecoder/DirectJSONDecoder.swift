/// Decodes Avro binary straight into JSON text: the same bytes ``AvroJSONWriter`` writes for what
/// ``AvroDecoder`` decodes (projected by the ``ResolutionPlan`` when there is a reader schema), without
/// building an ``AvroValue`` tree and, for most schema pairs, without allocating per datum.
///
/// The writer schema, the resolution and the JSON options are compiled once into a flat program
/// (see ``DirectProgram``). It checks hostile input as strictly as ``AvroDecoder``; when a datum is
/// invalid, the tree decoder reads it again for the error's exact path, so errors are the ones
/// ``AvroDecoder`` throws. A schema pair the compiler does not handle (``isDirect`` false) takes the
/// tree path. Build it once per schema pair and share it; it is immutable and `Sendable` (a class, so
/// that handing it to each record costs one reference count).
public final class DirectJSONDecoder: Sendable {
    /// The codec whose schema the datums were written with.
    public let writer: AvroCodec
    /// The codec of the JSON's shape: the reader schema's, or the writer's when there is no reader.
    public let output: AvroCodec
    /// The resolution into the reader schema, if there is one.
    public let resolution: ResolutionPlan?
    /// The JSON shape written.
    public let options: AvroJSONWriter.Options
    private let decoder: AvroDecoder
    /// Owns the memory `pointers` reads.
    private let program: DirectProgram?
    /// The program's instructions and tables, read per datum without touching `program`'s reference count.
    /// `nonisolated(unsafe)`: the memory is `program`'s, written once before this decoder exists, then only read.
    nonisolated(unsafe) private let pointers: DirectProgram.Pointers?

    /// Compiles the decoding of `writer` datums into JSON of `reader`'s shape (of the writer's own
    /// shape when `reader` is nil).
    /// - Throws: ``ResolutionError`` when the reader schema cannot read the writer schema.
    public convenience init(writer: AvroCodec, reader: AvroCodec? = nil, json: AvroJSONWriter.Options = AvroJSONWriter.Options(),
                            decoding: AvroDecoder.Options = AvroDecoder.Options()) throws(ResolutionError) {
        let resolution = try reader.map { (reader) throws(ResolutionError) in try ResolutionPlan(writer: writer.schema, reader: reader.schema) }
        self.init(writer: writer, reader: reader, resolution: resolution, json: json, decoding: decoding)
    }

    /// Compiles with a resolution already planned from `writer`'s schema to `reader`'s.
    public init(writer: AvroCodec, reader: AvroCodec?, resolution: ResolutionPlan?, json: AvroJSONWriter.Options = AvroJSONWriter.Options(),
                decoding: AvroDecoder.Options = AvroDecoder.Options()) {
        self.writer = writer
        let output = resolution == nil ? writer : reader ?? writer
        self.output = output
        self.resolution = resolution
        options = json
        decoder = writer.makeDecoder(options: decoding)
        program = try? DirectProgramCompiler.compile(writer: writer, reader: output, resolution: resolution, json: json, decoding: decoding)
        pointers = program?.pointers
    }

    /// Whether datums are decoded by the compiled program (false: the schema pair takes the tree path).
    public var isDirect: Bool { program != nil }

    /// Appends the JSON text of the one datum filling all of `bytes` to `out`; on error `out` is as it was.
    public func write(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) throws(AvroDecodingError) {
        let mark = out.count
        do {
            try writeDirectly(bytes, to: &out)
        } catch {
            out.removeLast(out.count - mark)
            try writeThroughTree(bytes, to: &out, failure: error)
        }
    }

    /// Appends the JSON text of the one datum filling all of `bytes` to `out`; on error `out` is as it was.
    public func write(_ bytes: [UInt8], to out: inout [UInt8]) throws(AvroDecodingError) {
        let result = bytes.withUnsafeBytes { input in
            Result { () throws(AvroDecodingError) in try write(input, to: &out) }
        }
        try result.get()
    }

    /// The program's run alone: what failed and where, without the path. Only for a schema pair the
    /// compiler handles; otherwise it fails at once.
    func writeDirectly(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) throws(DecodeFailure) {
        guard let pointers else { throw DecodeFailure(kind: .truncated, offset: 0) }
        // Room for most datums at the first try: JSON is rarely more than a few times its Avro size.
        var room = max(1024, 8 * bytes.count)
        // Plain values only inside the closure, so that a datum costs no reference counting.
        let options = decoder.options
        while true {
            var stop: DirectRun.Stop?
            out.append(addingCapacity: room) { span in
                span.withUnsafeMutableBufferPointer { output, initialized in
                    var run = DirectRun(program: pointers, input: bytes, output: output, options: options)
                    do throws(DirectRun.Stop) {
                        try run.run(0, depth: 0)
                        guard run.position == bytes.count else {
                            throw .invalid(DecodeFailure(kind: .trailingBytes(count: bytes.count - run.position), offset: run.position))
                        }
                        initialized = run.written
                    } catch {
                        stop = error
                    }
                }
            }
            switch stop {
            case nil: return
            case .invalid(let failure)?: throw failure
            case .outputFull?: room *= 4
            }
        }
    }

    /// Decode, project, write: for schema pairs the compiler does not handle, and for the exact error of
    /// an invalid datum (the tree decoder's, with its path).
    private func writeThroughTree(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8], failure: DecodeFailure) throws(AvroDecodingError) {
        var value = try decoder.decode(bytes)
        if let resolution {
            // A value the writer's decoder produced always projects; were it not to, the program's error stands.
            guard let projected = try? resolution.project(value) else { throw failure.decodingError }
            value = projected
        }
        AvroJSONWriter(codec: output, options: options).write(value, to: &out)
    }
}
