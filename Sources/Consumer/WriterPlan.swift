import Avro
import Registry

/// Everything prepared once per writer schema id, so that a record only costs its decode, its projection
/// and its JSON: the writer schema's decoder, the resolution into the reader schema (checked compatible
/// when it was planned), and the JSON writer of the output schema.
struct WriterPlan: Sendable {
    let schemaID: Int
    let decoder: AvroDecoder
    /// `nil` when records come out in the writer's shape (no reader schema).
    let resolution: ResolutionPlan?
    let json: AvroJSONWriter

    /// What fetching and planning a writer schema id gave.
    enum Preparation: Sendable {
        /// Records with this id can be decoded with the plan.
        case ready(WriterPlan)
        /// Records with this id cannot be decoded: unknown id, unusable schema, or a writer the reader cannot read.
        case undecodable(UndecodableRecord)
        /// The registry failed in a way retrying will not fix (refused credentials, a broken configuration).
        case failed(SchemaRegistryError)
        /// The fetch was cancelled because the consumer is stopping.
        case cancelled
    }

    /// Fetches the writer schema `schemaID` and plans its records' decoding into `reader` (the reader
    /// schema's codec, or `nil` to keep the writer's shape). Throws only what the registry threw, except a
    /// 404, which is the record's fault.
    static func prepare(schemaID: Int, registry: SchemaRegistryClient, reader: AvroCodec?, json options: AvroJSONWriter.Options) async throws(SchemaRegistryError) -> Preparation {
        let registered: RegisteredSchema
        do {
            registered = try await registry.schema(id: schemaID)
        } catch where error.isNotFound {
            return .undecodable(UndecodableRecord(reason: .unknownSchemaID, message: "the registry has no schema \(schemaID): \(error.message)", schemaID: schemaID))
        }
        let writerSchema: AvroSchema
        do {
            writerSchema = try registered.avroSchema
        } catch {
            return .undecodable(UndecodableRecord(reason: .unsupportedSchema, message: error.message, schemaID: schemaID))
        }
        let writer: AvroCodec
        do {
            writer = try AvroCodec(schema: writerSchema)
        } catch {
            return .undecodable(UndecodableRecord(reason: .unsupportedSchema, message: "schema \(schemaID): \(error.message)", schemaID: schemaID))
        }
        guard let reader else {
            return .ready(WriterPlan(schemaID: schemaID, decoder: writer.makeDecoder(), resolution: nil, json: AvroJSONWriter(codec: writer, options: options)))
        }
        do {
            let resolution = try ResolutionPlan(writer: writerSchema, reader: reader.schema)
            return .ready(WriterPlan(schemaID: schemaID, decoder: writer.makeDecoder(), resolution: resolution, json: AvroJSONWriter(codec: reader, options: options)))
        } catch {
            return .undecodable(UndecodableRecord(reason: .incompatibleWriter, message: "the reader schema cannot read writer schema \(schemaID): \(error.description)", schemaID: schemaID))
        }
    }
}
