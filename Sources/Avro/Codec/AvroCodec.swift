/// Everything prepared once per schema: the validated model, the plan the JSON and binary
/// walks follow, and avro-c's schema and generic value class. Share one per schema (it is
/// immutable and `Sendable`); make an ``AvroEncoder`` per task or thread from it.
public final class AvroCodec: Sendable {
    /// The schema this codec encodes and decodes.
    public let schema: AvroSchema
    let plan: SchemaPlan
    let avroC: AvroCSchema

    /// Compiles `schema`; fails only if avro-c cannot represent it (e.g. an enum without symbols).
    public init(schema: AvroSchema) throws(AvroCodecError) {
        self.schema = schema
        self.plan = SchemaPlan(schema)
        self.avroC = try AvroCSchema(schema)
    }

    /// A new encoder with its own avro-c value, for one task or thread at a time.
    public func makeEncoder(options: AvroEncoder.Options = AvroEncoder.Options()) throws(AvroCodecError) -> AvroEncoder {
        try AvroEncoder(codec: self, options: options)
    }

    /// A decoder for datums written with this schema.
    public func makeDecoder(options: AvroDecoder.Options = AvroDecoder.Options()) -> AvroDecoder {
        AvroDecoder(codec: self, options: options)
    }
}
