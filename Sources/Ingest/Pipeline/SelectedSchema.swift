import Avro

/// A writer schema chosen for a request: its registry id (written into every record's frame),
/// where it was found, and its compiled codec.
public struct SelectedSchema: Sendable {
    /// The registry's global id.
    public let id: Int
    /// The subject it was selected under; `nil` when pinned by id.
    public let subject: String?
    /// Its version under ``subject``; `nil` when pinned by id.
    public let version: Int?
    /// The parsed schema.
    public var schema: AvroSchema { compiled.codec.schema }
    /// The schema text as the registry holds it.
    public let text: String
    let compiled: CompiledSchema
}

/// A schema compiled once per registry id, with its encoders.
final class CompiledSchema: Sendable {
    let codec: AvroCodec
    let encoders: EncoderPool

    init(codec: AvroCodec, options: AvroEncoder.Options) {
        self.codec = codec
        self.encoders = EncoderPool(codec: codec, options: options)
    }
}
