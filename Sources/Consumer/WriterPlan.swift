import Avro
import Registry

/// Everything prepared once per writer schema id, so that a record only costs its decoding: the writer
/// schema (and its resolution into the reader schema, checked compatible when it was planned) compiled with
/// the JSON options into a direct Avro → JSON decoder.
struct WriterPlan: Sendable {
    let schemaID: Int
    /// Writes a datum of the writer schema as JSON of the output shape (the reader's, when there is one).
    let decoder: DirectJSONDecoder

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
            return .ready(WriterPlan(schemaID: schemaID, decoder: DirectJSONDecoder(writer: writer, reader: nil, resolution: nil, json: options)))
        }
        do {
            let resolution = try ResolutionPlan(writer: writerSchema, reader: reader.schema)
            return .ready(WriterPlan(schemaID: schemaID, decoder: DirectJSONDecoder(writer: writer, reader: reader, resolution: resolution, json: options)))
        } catch {
            return .undecodable(UndecodableRecord(reason: .incompatibleWriter, message: "the reader schema cannot read writer schema \(schemaID): \(error.description)", schemaID: schemaID))
        }
    }
}
