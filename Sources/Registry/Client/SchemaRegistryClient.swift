import Avro
import Logging

/// A client of a Confluent Schema Registry (ours or Confluent's), over libcurl.
///
/// Schemas by id are cached for the client's lifetime, the ids of schemas looked up or
/// registered under a subject too, a subject's versions for ``SchemaRegistryClientConfiguration/CachePolicy/subjectTTL``
/// and "not found" answers briefly. Concurrent calls for the same thing share one request.
/// Requests run on the client's own threads, never on the caller's executor.
public final class SchemaRegistryClient: Sendable {
    let transport: RegistryTransport
    let schemasByID: RequestCache<Int, RegisteredSchema>
    let lookups: RequestCache<SchemaKey, RegisteredSchema>
    let registrations: RequestCache<SchemaKey, Int>
    let subjectVersions: RequestCache<VersionKey, RegisteredSchema>

    /// Throws ``SchemaRegistryError/Kind/invalidConfiguration`` for an unusable URL or TLS file.
    public init(configuration: SchemaRegistryClientConfiguration, logger: Logger = Logger(label: "avrogate.registry-client")) throws(SchemaRegistryError) {
        transport = try RegistryTransport(configuration: configuration, logger: logger)
        let notFoundTTL = configuration.cache.notFoundTTL
        schemasByID = RequestCache(retention: .forever, notFoundTTL: notFoundTTL)
        lookups = RequestCache(retention: .forever, notFoundTTL: notFoundTTL)
        registrations = RequestCache(retention: .forever, notFoundTTL: nil)
        subjectVersions = RequestCache(retention: .timeToLive(configuration.cache.subjectTTL), notFoundTTL: notFoundTTL)
    }

    /// A client of the registry at `url` (or comma-separated URLs), with default settings.
    public convenience init(url: String) throws(SchemaRegistryError) {
        try self.init(configuration: SchemaRegistryClientConfiguration(urls: [url]))
    }

    /// The registry URLs, without credentials.
    public var urls: [String] { transport.urls }

    /// Cache hits and misses so far, and the requests sent.
    public var cacheStatistics: SchemaRegistryCacheStatistics {
        var statistics = SchemaRegistryCacheStatistics()
        statistics.schemasByID = schemasByID.counters
        statistics.lookups = lookups.counters
        statistics.registrations = registrations.counters
        statistics.subjectVersions = subjectVersions.counters
        statistics.requests = transport.requestCount.withLock { $0 }
        return statistics
    }

    /// Forgets what this client knows about a subject, after it changed the subject itself.
    func forget(subject: String) {
        lookups.removeAll { $0.subject == subject }
        registrations.removeAll { $0.subject == subject }
        subjectVersions.removeAll { $0.subject == subject }
    }
}

/// A schema under a subject, as the lookup and registration caches know it: Avro schemas by
/// their normalized form, so two texts of one schema share an entry.
struct SchemaKey: Hashable, Sendable {
    var subject: String
    var schema: String
    var schemaType: String
    var references: [SchemaReference]
    var normalize: Bool

    init(subject: String, schema: String, schemaType: String, references: [SchemaReference], normalize: Bool) {
        self.subject = subject
        self.schemaType = schemaType
        self.references = references
        self.normalize = normalize
        if schemaType == RegistryAPI.avroSchemaType, references.isEmpty, let parsed = try? AvroSchema(parsing: schema) {
            self.schema = parsed.normalizedForm
        } else {
            self.schema = schema
        }
    }

    init(subject: String, schema: AvroSchema, references: [SchemaReference], normalize: Bool) {
        self.subject = subject
        self.schema = schema.normalizedForm
        self.schemaType = RegistryAPI.avroSchemaType
        self.references = references
        self.normalize = normalize
    }
}

/// A subject's version by number, or its latest (`version == nil`).
struct VersionKey: Hashable, Sendable {
    var subject: String
    var version: Int?
}
