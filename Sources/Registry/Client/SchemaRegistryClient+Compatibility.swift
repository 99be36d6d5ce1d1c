import Avro

/// Which of a subject's versions a compatibility check tests a schema against.
public enum CompatibilityTarget: Sendable, Hashable {
    /// The versions the subject's compatibility level names: the latest, or all for a transitive level.
    case subjectLevel
    /// The latest version only.
    case latest
    /// One version.
    case version(Int)
}

extension SchemaRegistryClient {
    /// Whether a schema could be registered under `subject` as its compatibility level stands
    /// (`POST /compatibility/subjects/{subject}/versions[/{version}]?verbose=true`); when it
    /// could not, `messages` says why.
    public func checkCompatibility(subject: String, schema: String, schemaType: String = RegistryAPI.avroSchemaType,
                                   references: [SchemaReference] = [], against target: CompatibilityTarget = .subjectLevel,
                                   normalize: Bool = false) async throws(SchemaRegistryError) -> CompatibilityCheckResponse {
        var path = ["compatibility", "subjects", subject, "versions"]
        switch target {
        case .subjectLevel: break
        case .latest: path.append("latest")
        case .version(let version): path.append(String(version))
        }
        let body = try Self.body(RegisterSchemaRequest(schema: schema, schemaType: schemaType == RegistryAPI.avroSchemaType ? nil : schemaType,
                                                       references: references.isEmpty ? nil : references))
        let query = [(name: "verbose", value: "true")] + Self.normalize(normalize)
        return try await transport.send(HTTPRequest(.post, path, query: query, body: body), as: CompatibilityCheckResponse.self)
    }

    /// Whether an Avro schema could be registered under `subject`.
    public func checkCompatibility(subject: String, schema: AvroSchema, references: [SchemaReference] = [],
                                   against target: CompatibilityTarget = .subjectLevel, normalize: Bool = false) async throws(SchemaRegistryError) -> CompatibilityCheckResponse {
        try await checkCompatibility(subject: subject, schema: schema.text.isEmpty ? schema.normalizedForm : schema.text,
                                     references: references, against: target, normalize: normalize)
    }
}
