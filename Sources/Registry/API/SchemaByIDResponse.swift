/// The answer to `GET /schemas/ids/{id}`. Confluent omits `schemaType` for Avro and
/// `references` when there are none.
public struct SchemaByIDResponse: Codable, Sendable, Hashable {
    public var schema: String
    public var schemaType: String?
    public var references: [SchemaReference]?

    public init(schema: String, schemaType: String? = nil, references: [SchemaReference]? = nil) {
        self.schema = schema
        self.schemaType = schemaType
        self.references = references
    }

    /// The schema type, `AVRO` when the response does not say.
    public var effectiveSchemaType: String { schemaType ?? RegistryAPI.avroSchemaType }
}
