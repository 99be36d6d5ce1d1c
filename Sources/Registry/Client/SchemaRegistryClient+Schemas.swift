import Avro
import Foundation

extension SchemaRegistryClient {
    /// The schema with this global id (`GET /schemas/ids/{id}`), parsed; cached for the client's lifetime.
    public func schema(id: Int) async throws(SchemaRegistryError) -> RegisteredSchema {
        try await schemasByID.value(for: id) { [self] () async throws(SchemaRegistryError) -> RegisteredSchema in
            let response = try await transport.send(HTTPRequest(.get, ["schemas", "ids", String(id)]), as: SchemaByIDResponse.self)
            let references = response.references ?? []
            let parsed = try await parse(response.schema, schemaType: response.effectiveSchemaType, references: references, depth: 0)
            return RegisteredSchema(id: id, subject: nil, version: nil, schemaType: response.effectiveSchemaType,
                                    text: response.schema, references: references, parsed: parsed)
        }
    }

    /// The schema text with this id exactly as the registry stores it (`GET /schemas/ids/{id}/schema`).
    public func schemaText(id: Int) async throws(SchemaRegistryError) -> String {
        let response = try await transport.send(HTTPRequest(.get, ["schemas", "ids", String(id), "schema"]))
        return String(decoding: response.body, as: UTF8.self)
    }

    /// The subjects a schema id is registered under (`GET /schemas/ids/{id}/subjects`).
    public func subjects(schemaID: Int, includeDeleted: Bool = false) async throws(SchemaRegistryError) -> [String] {
        try await transport.send(HTTPRequest(.get, ["schemas", "ids", String(schemaID), "subjects"], query: Self.deleted(includeDeleted)), as: [String].self)
    }

    /// The subject versions a schema id is registered as (`GET /schemas/ids/{id}/versions`).
    public func subjectVersions(schemaID: Int, includeDeleted: Bool = false) async throws(SchemaRegistryError) -> [SubjectVersion] {
        try await transport.send(HTTPRequest(.get, ["schemas", "ids", String(schemaID), "versions"], query: Self.deleted(includeDeleted)), as: [SubjectVersion].self)
    }

    /// A subject's latest version (`GET /subjects/{subject}/versions/latest`), cached for the subject TTL.
    public func latest(subject: String) async throws(SchemaRegistryError) -> RegisteredSchema {
        let schema = try await subjectVersions.value(for: VersionKey(subject: subject, version: nil)) { [self] () async throws(SchemaRegistryError) -> RegisteredSchema in
            try await fetchVersion(subject: subject, version: "latest", depth: 0)
        }
        if let version = schema.version { subjectVersions.store(schema, for: VersionKey(subject: subject, version: version)) }
        return schema
    }

    /// One version of a subject (`GET /subjects/{subject}/versions/{version}`), cached for the subject TTL.
    public func version(subject: String, version: Int) async throws(SchemaRegistryError) -> RegisteredSchema {
        try await subjectVersions.value(for: VersionKey(subject: subject, version: version)) { [self] () async throws(SchemaRegistryError) -> RegisteredSchema in
            try await fetchVersion(subject: subject, version: String(version), depth: 0)
        }
    }

    /// The version under `subject` whose schema is this one (`POST /subjects/{subject}`);
    /// throws 40403 (schema not found) or 40401 (subject not found) when there is none.
    public func lookup(subject: String, schema: String, schemaType: String = RegistryAPI.avroSchemaType,
                       references: [SchemaReference] = [], normalize: Bool = false) async throws(SchemaRegistryError) -> RegisteredSchema {
        let key = SchemaKey(subject: subject, schema: schema, schemaType: schemaType, references: references, normalize: normalize)
        return try await lookup(key, text: schema)
    }

    /// The version under `subject` whose schema is this Avro schema.
    public func lookup(subject: String, schema: AvroSchema, references: [SchemaReference] = [], normalize: Bool = false) async throws(SchemaRegistryError) -> RegisteredSchema {
        try await lookup(SchemaKey(subject: subject, schema: schema, references: references, normalize: normalize), text: Self.text(of: schema))
    }

    /// Registers a schema under `subject` (`POST /subjects/{subject}/versions`) and returns its
    /// global id; a schema already registered there keeps its id and version. `normalize` asks
    /// the registry to normalize the schema before comparing it with existing versions.
    public func register(subject: String, schema: String, schemaType: String = RegistryAPI.avroSchemaType,
                         references: [SchemaReference] = [], normalize: Bool = false) async throws(SchemaRegistryError) -> Int {
        let key = SchemaKey(subject: subject, schema: schema, schemaType: schemaType, references: references, normalize: normalize)
        return try await register(key, text: schema)
    }

    /// Registers an Avro schema under `subject` and returns its global id.
    public func register(subject: String, schema: AvroSchema, references: [SchemaReference] = [], normalize: Bool = false) async throws(SchemaRegistryError) -> Int {
        try await register(SchemaKey(subject: subject, schema: schema, references: references, normalize: normalize), text: Self.text(of: schema))
    }

    /// Parses Avro schema text that uses the named types of registered schemas, fetching the
    /// references (and theirs) from the registry. Throws 42201 (invalid schema) for text that is not valid Avro.
    public func parse(_ text: String, references: [SchemaReference]) async throws(SchemaRegistryError) -> AvroSchema {
        switch try await parse(text, schemaType: RegistryAPI.avroSchemaType, references: references, depth: 0) {
        case .avro(let schema): return schema
        case .invalid(let error): throw SchemaRegistryError(kind: .registry, errorCode: RegistryErrorCode.invalidSchema.rawValue, message: error.description)
        case .notAvro: throw SchemaRegistryError(kind: .registry, errorCode: RegistryErrorCode.invalidSchema.rawValue, message: "not an Avro schema")
        }
    }

    private func lookup(_ key: SchemaKey, text: String) async throws(SchemaRegistryError) -> RegisteredSchema {
        let schema = try await lookups.value(for: key) { [self] () async throws(SchemaRegistryError) -> RegisteredSchema in
            let body = try Self.body(RegisterSchemaRequest(schema: text, schemaType: Self.wireType(key.schemaType),
                                                           references: key.references.isEmpty ? nil : key.references))
            let request = HTTPRequest(.post, ["subjects", key.subject], query: Self.normalize(key.normalize), body: body)
            return try await registered(try await transport.send(request, as: SubjectVersionResponse.self), depth: 0)
        }
        registrations.store(schema.id, for: key)
        return schema
    }

    private func register(_ key: SchemaKey, text: String) async throws(SchemaRegistryError) -> Int {
        try await registrations.value(for: key) { [self] () async throws(SchemaRegistryError) -> Int in
            let body = try Self.body(RegisterSchemaRequest(schema: text, schemaType: Self.wireType(key.schemaType),
                                                           references: key.references.isEmpty ? nil : key.references))
            let request = HTTPRequest(.post, ["subjects", key.subject, "versions"], query: Self.normalize(key.normalize), body: body)
            let id = try await transport.send(request, as: RegisterSchemaResponse.self).id
            // The subject may have a new latest version, and earlier "not found" answers are wrong now.
            lookups.removeNotFound { $0.subject == key.subject }
            subjectVersions.removeAll { $0.subject == key.subject }
            schemasByID.removeNotFound { $0 == id }
            return id
        }
    }

    private func fetchVersion(subject: String, version: String, depth: Int) async throws(SchemaRegistryError) -> RegisteredSchema {
        let response = try await transport.send(HTTPRequest(.get, ["subjects", subject, "versions", version]), as: SubjectVersionResponse.self)
        return try await registered(response, depth: depth)
    }

    /// A subject version's schema, parsed once per id: the id cache's parse is reused.
    private func registered(_ response: SubjectVersionResponse, depth: Int) async throws(SchemaRegistryError) -> RegisteredSchema {
        if let known = schemasByID.cachedValue(for: response.id) {
            return known.under(subject: response.subject, version: response.version)
        }
        let references = response.references ?? []
        let parsed = try await parse(response.schema, schemaType: response.effectiveSchemaType, references: references, depth: depth)
        let schema = RegisteredSchema(id: response.id, subject: response.subject, version: response.version, schemaType: response.effectiveSchemaType,
                                      text: response.schema, references: references, parsed: parsed)
        schemasByID.store(schema.byID, for: response.id)
        return schema
    }

    /// Parses an Avro schema with the named types of its references, fetched recursively.
    /// References are fetched outside the single-flight caches, so a reference cycle in a
    /// broken registry ends at the depth limit instead of waiting on itself.
    private func parse(_ text: String, schemaType: String, references: [SchemaReference], depth: Int) async throws(SchemaRegistryError) -> RegisteredSchema.Parsed {
        guard schemaType == RegistryAPI.avroSchemaType else { return .notAvro }
        var referenced: [AvroSchema] = []
        for reference in references {
            guard depth < Self.maxReferenceDepth else {
                throw SchemaRegistryError(kind: .malformedResponse, message: "schema references nest deeper than \(Self.maxReferenceDepth) levels")
            }
            let key = VersionKey(subject: reference.subject, version: reference.version)
            let schema: RegisteredSchema
            if let cached = subjectVersions.cachedValue(for: key) {
                schema = cached
            } else {
                schema = try await fetchVersion(subject: reference.subject, version: String(reference.version), depth: depth + 1)
                subjectVersions.store(schema, for: key)
            }
            guard case .avro(let avro) = schema.parsed else {
                return .invalid(SchemaError(path: "$", message: "reference '\(reference.name)' (\(reference.subject) version \(reference.version)) is not a valid Avro schema"))
            }
            referenced.append(avro)
        }
        do {
            return .avro(try AvroSchema(parsing: text, referencing: referenced))
        } catch {
            return .invalid(error)
        }
    }

    private static let maxReferenceDepth = 32

    /// The text sent for a parsed schema: as written, or its normalized form for a schema built in code.
    private static func text(of schema: AvroSchema) -> String {
        schema.text.isEmpty ? schema.normalizedForm : schema.text
    }

    /// Avro is sent without `schemaType`, as Confluent's own clients do.
    private static func wireType(_ schemaType: String) -> String? {
        schemaType == RegistryAPI.avroSchemaType ? nil : schemaType
    }

    static func body<Body: Encodable>(_ value: Body) throws(SchemaRegistryError) -> [UInt8] {
        do {
            return Array(try JSONEncoder().encode(value))
        } catch {
            throw SchemaRegistryError(kind: .transport, message: "cannot encode \(Body.self): \(error)")
        }
    }

    static func normalize(_ normalize: Bool) -> [(name: String, value: String)] {
        normalize ? [("normalize", "true")] : []
    }

    static func deleted(_ includeDeleted: Bool) -> [(name: String, value: String)] {
        includeDeleted ? [("deleted", "true")] : []
    }
}
