/// The stable `error_code` of every ingest failure: the HTTP status times 100 plus a number, as
/// Confluent's REST Proxy and Schema Registry write them. The REST Proxy's own codes keep their
/// meaning (40401 topic, 40402 partition, 42201 key schema missing,
/// 42203 JSON to Avro conversion failed, 42205 invalid schema); the others are avrogate's.
public enum IngestErrorCode: Int, Sendable, Hashable, CaseIterable {
    /// The body is not JSON (the message gives line and column).
    case malformedJSON = 40001
    /// JSON nested deeper than the configured limit.
    case nestingTooDeep = 40002
    /// A query parameter or body field has an unusable value.
    case invalidParameter = 40003
    /// No API key, or an unknown one.
    case unauthenticated = 40101
    /// The API key may not write to (or read) this topic.
    case topicNotAllowed = 40301
    /// The topic does not exist.
    case topicNotFound = 40401
    /// The partition does not exist.
    case partitionNotFound = 40402
    /// No schema with that id.
    case schemaNotFound = 40403
    /// The subject has no versions.
    case subjectNotFound = 40404
    /// The subject has no such version.
    case versionNotFound = 40405
    /// The request body is larger than `--max-body-bytes`.
    case bodyTooLarge = 41301
    /// The request holds more records than `--max-batch-records`.
    case tooManyRecords = 41302
    /// The content type is not one this endpoint reads.
    case unsupportedContentType = 41501
    /// A REST Proxy body has keys that can be neither strings nor encoded with a key schema.
    case keySchemaMissing = 42201
    /// One or more records do not match the schema.
    case invalidRecord = 42203
    /// An inline schema is not valid Avro.
    case invalidSchema = 42205
    /// The selected schema is not an Avro schema (the registry also holds Protobuf and JSON Schema).
    case schemaNotAvro = 42206
    /// An inline schema is valid but not registered under the subject; this gateway never registers.
    case schemaNotRegistered = 42207
    /// The producer's queue is full: retry after `Retry-After` seconds.
    case producerQueueFull = 42901
    /// Anything unexpected.
    case internalError = 50001
    /// Kafka refused the record (a non-retriable broker error).
    case kafkaError = 50002
    /// The registry cannot be reached and the schema is not cached.
    case registryUnavailable = 50301
    /// The broker did not acknowledge the record within the delivery timeout.
    case deliveryTimeout = 50302
    /// The broker cannot be reached, or the gateway is shutting down.
    case brokerUnavailable = 50303
    /// The broker refused the record for a passing reason (a leader change, the idempotent producer
    /// renewing its epoch): it was not written, and a retry may succeed. REST Proxy's 50003.
    case kafkaRetriable = 50304

    /// The HTTP status that goes with the code.
    public var httpStatus: Int { rawValue / 100 }
}
