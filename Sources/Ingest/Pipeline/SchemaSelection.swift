/// Which writer schema a request's records are encoded with.
public enum SchemaSelection: Sendable, Hashable {
    /// The latest version of the topic's value subject under the configured strategy; the record
    /// strategies take the record's full name from here or from the configuration.
    case latest(recordName: String?)
    /// The latest version of a subject named explicitly (`?subject=S`).
    case subjectLatest(String)
    /// One version of a subject (`?subject=S&version=V`).
    case subjectVersion(String, version: Int)
    /// A schema by registry id (`?schema_id=N`, REST Proxy's `value_schema_id`).
    case id(Int)
    /// Schema text given inline (REST Proxy's `value_schema`), which must already be registered
    /// under the subject: the ingest path looks it up and never registers it.
    case registeredText(String, subject: String?)

    /// The topic's default: latest under the configured strategy.
    public static var latest: SchemaSelection { .latest(recordName: nil) }
}
