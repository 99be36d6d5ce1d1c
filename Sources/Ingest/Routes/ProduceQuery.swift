import Hummingbird

/// The query parameters of `POST /topics/{topic}`.
struct ProduceQuery {
    var selection: SchemaSelection = .latest
    var key: String?
    var partition: Int32?
    var partial = false

    /// Reads `schema_id`, `subject`, `version`, `record`, `key`, `partition` and `partial`; 400 for unusable values.
    init(_ request: Request) throws(IngestError) {
        let query = request.uri.queryParameters
        func value(_ name: String) -> String? { query[name[...]].map(String.init) }
        if let text = value("schema_id") {
            guard let id = Int(text), id > 0 else {
                throw IngestError(.invalidParameter, "schema_id must be a positive registry schema id, got '\(text)'")
            }
            guard value("subject") == nil else {
                throw IngestError(.invalidParameter, "pass either schema_id or subject (with an optional version), not both")
            }
            selection = .id(id)
        } else if let subject = value("subject") {
            switch value("version") {
            case nil, "latest", "-1":
                selection = .subjectLatest(subject)
            case let text?:
                guard let version = Int(text), version > 0 else {
                    throw IngestError(.invalidParameter, "version must be a positive version number or 'latest', got '\(text)'")
                }
                selection = .subjectVersion(subject, version: version)
            }
        } else if value("version") != nil {
            throw IngestError(.invalidParameter, "version needs subject: pass ?subject=S&version=V")
        } else if let record = value("record") {
            selection = .latest(recordName: record)
        }
        key = value("key")
        if let text = value("partition") {
            guard let partition = Int32(text), partition >= 0 else {
                throw IngestError(.invalidParameter, "partition must be a partition number (0 or more), got '\(text)'")
            }
            self.partition = partition
        }
        if let text = value("partial") {
            switch text.lowercased() {
            case "", "true", "1", "yes": partial = true
            case "false", "0", "no": partial = false
            default: throw IngestError(.invalidParameter, "partial must be true or false, got '\(text)'")
            }
        }
    }
}
