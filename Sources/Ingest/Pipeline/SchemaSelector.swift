import Avro
import Logging
import Registry
import Synchronization

/// Finds writer schemas in the registry, read-only, and compiles each once.
///
/// The registry client caches schemas by id for good and a subject's latest version for its TTL;
/// when the TTL ran out and the registry cannot be reached, the last latest version this selector
/// saw is used (logged), so a registry outage does not stop topics already in use.
final class SchemaSelector: Sendable {
    let registry: SchemaRegistryClient
    private let strategy: SubjectNameStrategy
    private let valueRecordNames: [String: String]
    private let encoderOptions: AvroEncoder.Options
    private let compiled = Mutex<[Int: CompiledSchema]>([:])
    private let lastLatest = Mutex<[String: SelectedSchema]>([:])
    private let logger: Logger

    init(registry: SchemaRegistryClient, strategy: SubjectNameStrategy, valueRecordNames: [String: String], encoderOptions: AvroEncoder.Options, logger: Logger) {
        self.registry = registry
        self.strategy = strategy
        self.valueRecordNames = valueRecordNames
        self.encoderOptions = encoderOptions
        self.logger = logger
    }

    /// The value subject of `topic` under the configured strategy.
    func valueSubject(topic: String, recordName: String?) throws(IngestError) -> String {
        try strategy.valueSubject(topic: topic, recordName: recordName ?? valueRecordNames[topic])
    }

    /// The value schema `selection` names for `topic`.
    func select(_ selection: SchemaSelection, topic: String) async throws(IngestError) -> SelectedSchema {
        switch selection {
        case .latest(let recordName):
            return try await latest(subject: try valueSubject(topic: topic, recordName: recordName))
        case .subjectLatest(let subject):
            return try await latest(subject: subject)
        case .subjectVersion(let subject, let version):
            return try await selected(what: "version \(version) of subject \(subject)") { () async throws(SchemaRegistryError) in
                try await self.registry.version(subject: subject, version: version)
            }
        case .id(let id):
            return try await selected(what: "schema id \(id)") { () async throws(SchemaRegistryError) in
                try await self.registry.schema(id: id)
            }
        case .registeredText(let text, let explicitSubject):
            var subject = explicitSubject ?? ""
            if explicitSubject == nil {
                subject = try valueSubject(topic: topic, recordName: nil)
            }
            return try await registered(text: text, subject: subject)
        }
    }

    /// The latest schema of `{topic}-key`, or `nil` when that subject does not exist (keys are strings then).
    func keySchema(topic: String) async throws(IngestError) -> SelectedSchema? {
        do {
            return try await latest(subject: SubjectNameStrategy.keySubject(topic: topic))
        } catch where error.code == .subjectNotFound || error.code == .versionNotFound {
            return nil
        }
    }

    /// A key schema given in a REST Proxy body, by id or inline (looked up under `{topic}-key`).
    func keySchema(id: Int?, text: String?, topic: String) async throws(IngestError) -> SelectedSchema? {
        if let id {
            return try await select(.id(id), topic: topic)
        }
        if let text {
            return try await registered(text: text, subject: SubjectNameStrategy.keySubject(topic: topic))
        }
        return try await keySchema(topic: topic)
    }

    private func latest(subject: String) async throws(IngestError) -> SelectedSchema {
        do {
            let schema = try await selected(what: "the latest version of subject \(subject)") { () async throws(SchemaRegistryError) in
                try await self.registry.latest(subject: subject)
            }
            lastLatest.withLock { $0[subject] = schema }
            return schema
        } catch where error.code == .registryUnavailable {
            guard let known = lastLatest.withLock({ $0[subject] }) else { throw error }
            logger.warning("registry unreachable; using the last known latest version of the subject", metadata: [
                "subject": "\(subject)", "schema_id": "\(known.id)", "version": "\(known.version.map(String.init) ?? "?")",
            ])
            return known
        }
    }

    private func registered(text: String, subject: String) async throws(IngestError) -> SelectedSchema {
        let parsed: AvroSchema
        do {
            parsed = try AvroSchema(parsing: text)
        } catch {
            throw IngestError(.invalidSchema, "the inline schema is not valid Avro: \(error)")
        }
        do {
            return try await selected(what: "the inline schema under subject \(subject)") { () async throws(SchemaRegistryError) in
                try await self.registry.lookup(subject: subject, schema: parsed)
            }
        } catch where [.subjectNotFound, .schemaNotFound, .versionNotFound].contains(error.code) {
            throw IngestError(.schemaNotRegistered, "the inline schema is not registered under subject \(subject); this gateway never registers schemas: register it first (e.g. `avrogate schema register --subject \(subject)`), or send value_schema_id")
        }
    }

    /// Fetches a registered schema and compiles it (once per id).
    private func selected(what: String, _ fetch: @Sendable () async throws(SchemaRegistryError) -> RegisteredSchema) async throws(IngestError) -> SelectedSchema {
        let registered: RegisteredSchema
        let schema: AvroSchema
        do {
            registered = try await fetch()
            schema = try registered.avroSchema
        } catch {
            throw Self.ingestError(error, what: what)
        }
        if let known = compiled.withLock({ $0[registered.id] }) {
            return SelectedSchema(id: registered.id, subject: registered.subject, version: registered.version, text: registered.text, compiled: known)
        }
        let codec: AvroCodec
        do {
            codec = try AvroCodec(schema: schema)
        } catch {
            throw IngestError(.invalidSchema, "schema id \(registered.id) cannot be used for encoding: \(error.message)")
        }
        let entry = compiled.withLock { table in
            if let raced = table[registered.id] { return raced }
            let entry = CompiledSchema(codec: codec, options: encoderOptions)
            table[registered.id] = entry
            return entry
        }
        return SelectedSchema(id: registered.id, subject: registered.subject, version: registered.version, text: registered.text, compiled: entry)
    }

    /// The answer for a registry failure: 404 for what does not exist, 503 when the registry is out of reach.
    static func ingestError(_ error: SchemaRegistryError, what: String) -> IngestError {
        if error.isNotFound {
            switch error.code {
            case .subjectNotFound:
                return IngestError(.subjectNotFound, "\(what): the subject does not exist in the registry; register a schema under it first, or pick another subject or schema")
            case .versionNotFound:
                return IngestError(.versionNotFound, "\(what): no such version in the registry")
            default:
                return IngestError(.schemaNotFound, "\(what): not found in the registry")
            }
        }
        switch error.kind {
        case .unavailable, .timeout, .transport, .tls, .cancelled:
            return IngestError(.registryUnavailable, "\(what): the schema registry cannot be reached and the schema is not cached (\(error.description)); retry later", retryAfter: 5)
        case .malformedResponse:
            if error.message.contains("not Avro") {
                return IngestError(.schemaNotAvro, "\(what): \(error.message)")
            }
            return IngestError(.registryUnavailable, "\(what): the registry answered something unusable (\(error.message))", retryAfter: 5)
        case .registry where error.isTransient:
            return IngestError(.registryUnavailable, "\(what): the schema registry failed (\(error.description)); retry later", retryAfter: 5)
        case .registry where error.code == .invalidSchema:
            return IngestError(.invalidSchema, "\(what): \(error.message)")
        case .registry, .invalidConfiguration:
            return IngestError(.internalError, "\(what): \(error.description)")
        }
    }
}
