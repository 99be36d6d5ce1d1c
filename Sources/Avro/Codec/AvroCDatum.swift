import CAvro

/// One avro-c generic value of the schema plus a memory writer: the mutable state of one
/// encoder. avro-c values are not thread-safe, so each ``AvroEncoder`` owns one of these.
final class AvroCDatum {
    /// A handle (interface and instance pointers): copies of it name the same value. A `let`,
    /// so that reading it needs no exclusive access.
    let value: avro_value_t
    private let writer: avro_writer_t
    /// Keeps the value class alive as long as the value.
    private let schema: AvroCSchema

    init(_ schema: AvroCSchema) throws(AvroCodecError) {
        var value = avro_value_t()
        guard avro_generic_value_new(schema.valueClass, &value) == 0 else {
            throw AvroCodecError(message: "avro-c could not create a value: \(String(cString: avro_strerror()))")
        }
        guard let writer = avro_writer_memory(nil, 0) else {
            avro_value_decref(&value)
            throw AvroCodecError(message: "avro-c could not create a memory writer")
        }
        self.value = value
        self.writer = writer
        self.schema = schema
    }

    deinit {
        var value = value
        avro_value_decref(&value)
        avro_writer_free(writer)
    }

    /// Empties the value for the next datum (arrays and maps keep their storage).
    func reset() {
        var value = value
        _ = avrogate_value_reset(&value)
    }

    /// Appends the value's binary encoding to `out`, into a scratch buffer that grows when
    /// avro-c reports it full.
    func write(appendingTo out: inout [UInt8], scratch: inout [UInt8]) throws(AvroCodecError) {
        var value = value
        while true {
            let result: (status: Int32, written: Int) = scratch.withUnsafeMutableBytes { buffer in
                avro_writer_memory_set_dest(writer, buffer.baseAddress!.assumingMemoryBound(to: CChar.self), Int64(buffer.count))
                let status = avro_value_write(writer, &value)
                return (status, Int(avro_writer_tell(writer)))
            }
            if result.status == 0 {
                out.append(contentsOf: scratch[..<result.written])
                return
            }
            guard result.status == ENOSPC, scratch.count < Int(Int32.max) else {
                throw AvroCodecError(message: "avro-c could not write the value: \(String(cString: avro_strerror()))")
            }
            scratch = [UInt8](repeating: 0, count: scratch.count * 2)
        }
    }
}
