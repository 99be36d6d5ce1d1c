/// The body of `POST /subjects/{subject}/versions` and `POST /subjects/{subject}` (lookup).
/// `id` and `version` are only honoured in IMPORT mode; properties this registry does not
/// know (`metadata`, `ruleSet`, …) are ignored when decoding.
public struct RegisterSchemaRequest: Codable, Sendable, Hashable {
    public var schema: String
    /// `AVRO` when absent.
    public var schemaType: String?
    public var references: [SchemaReference]?
    public var id: Int?
    public var version: Int?

    public init(schema: String, schemaType: String? = nil, references: [SchemaReference]? = nil, id: Int? = nil, version: Int? = nil) {
        self.schema = schema
        self.schemaType = schemaType
        self.references = references
        self.id = id
        self.version = version
    }

    /// The schema type, `AVRO` when the body does not say.
    public var effectiveSchemaType: String { schemaType ?? RegistryAPI.avroSchemaType }
}
