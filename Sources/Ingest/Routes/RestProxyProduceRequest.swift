import Avro

/// A Confluent REST Proxy v2 produce body for `application/vnd.kafka.avro.v2+json`:
/// `value_schema` or `value_schema_id`, optional `key_schema` or `key_schema_id`, and
/// `records: [{key, value, partition}]`, keys and values in the Avro JSON encoding.
struct RestProxyProduceRequest {
    struct Record {
        var key: JSONValue?
        var value: JSONValue
        var partition: Int32?
    }

    var valueSchema: String?
    var valueSchemaID: Int?
    var keySchema: String?
    var keySchemaID: Int?
    var records: [Record]

    /// Reads the body's shape; 400 (40003) naming the member that is wrong.
    init(_ body: JSONValue) throws(IngestError) {
        guard case .object(let object) = body else {
            throw IngestError(.invalidParameter, "a REST Proxy produce body is a JSON object with `records` (and `value_schema` or `value_schema_id`), got \(body.typeName)")
        }
        func schemaText(_ name: String) throws(IngestError) -> String? {
            switch object[name] {
            case nil, .null?: return nil
            case .string(let text)?: return text
            case let other?: throw IngestError(.invalidParameter, "`\(name)` must be the schema as a JSON string, got \(other.typeName)")
            }
        }
        func schemaID(_ name: String) throws(IngestError) -> Int? {
            switch object[name] {
            case nil, .null?: return nil
            case .integer(let id)? where id > 0 && id <= Int64(Int32.max): return Int(id)
            case let other?: throw IngestError(.invalidParameter, "`\(name)` must be a registry schema id, got \(other.jsonText.prefix(40))")
            }
        }
        valueSchema = try schemaText("value_schema")
        valueSchemaID = try schemaID("value_schema_id")
        keySchema = try schemaText("key_schema")
        keySchemaID = try schemaID("key_schema_id")
        guard case .array(let items)? = object["records"] else {
            throw IngestError(.invalidParameter, "a REST Proxy produce body needs `records`, an array of {\"value\": …, \"key\": …, \"partition\": …}")
        }
        records = []
        records.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            guard case .object(let record) = item else {
                throw IngestError(.invalidParameter, "records[\(index)] must be an object with `value` (and optional `key`, `partition`), got \(item.typeName)")
            }
            var partition: Int32?
            switch record["partition"] {
            case nil, .null?: partition = nil
            case .integer(let value)? where value >= 0 && value <= Int64(Int32.max): partition = Int32(value)
            case let other?: throw IngestError(.invalidParameter, "records[\(index)].partition must be a partition number, got \(other.jsonText.prefix(40))")
            }
            let key: JSONValue? = if case .null? = record["key"] { nil } else { record["key"] }
            records.append(Record(key: key, value: record["value"] ?? .null, partition: partition))
        }
    }
}
