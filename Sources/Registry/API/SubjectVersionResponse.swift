/// One version of a subject, as `GET /subjects/{subject}/versions/{version}` and the lookup
/// `POST /subjects/{subject}` answer it.
public struct SubjectVersionResponse: Codable, Sendable, Hashable {
    public var subject: String
    public var id: Int
    public var version: Int
    public var schema: String
    /// Absent for Avro.
    public var schemaType: String?
    /// Absent when the schema has none.
    public var references: [SchemaReference]?

    public init(subject: String, id: Int, version: Int, schema: String, schemaType: String? = nil, references: [SchemaReference]? = nil) {
        self.subject = subject
        self.id = id
        self.version = version
        self.schema = schema
        self.schemaType = schemaType
        self.references = references
    }

    private enum CodingKeys: String, CodingKey {
        case subject, version, id, schemaType, references, schema
    }

    /// The schema type, `AVRO` when the response does not say.
    public var effectiveSchemaType: String { schemaType ?? RegistryAPI.avroSchemaType }
}
