import Avro
import Registry

/// Where the reader schema comes from: the schema every record is projected into before it is written.
public enum ReaderSchemaSource: Sendable, Hashable {
    /// No reader schema: each record comes out in the shape of the schema it was written with.
    case writerSchema
    /// A schema given up front (for example read from a file).
    case schema(AvroSchema)
    /// A version of a registry subject, or its latest version when `version` is `nil`; fetched once at start.
    case subject(String, version: Int?)

    /// The reader schema this source names, fetched from `registry` for a subject; `nil` for ``writerSchema``.
    func resolve(with registry: SchemaRegistryClient) async throws(SchemaRegistryError) -> AvroSchema? {
        switch self {
        case .writerSchema:
            return nil
        case .schema(let schema):
            return schema
        case .subject(let subject, let version?):
            return try await registry.version(subject: subject, version: version).avroSchema
        case .subject(let subject, nil):
            return try await registry.latest(subject: subject).avroSchema
        }
    }
}
