import Avro
import Foundation
import Kafka

/// Everything a ``DecodingConsumer`` needs to know: what to read, how to decode it, what to write, and
/// what to do with records it cannot decode.
public struct DecodingConsumerConfiguration: Sendable {
    /// The group consumer's configuration: brokers, group, topics and any librdkafka property.
    /// `enable.auto.offset.store` is always off (the consumer stores offsets itself, after writing) and
    /// `auto.commit.interval.ms` is set from ``commitInterval``.
    public var kafka: KafkaConsumerConfiguration
    /// The schema records are projected into, if any.
    public var readerSchema: ReaderSchemaSource
    /// How values are written as JSON.
    public var output: RecordFormat
    /// What happens to undecodable records.
    public var errorPolicy: ErrorPolicy
    /// The dead-letter topic of a source topic: `{topic}` stands for the source topic's name.
    public var deadLetterTopic: String
    /// How often stored offsets are committed (also on partition revoke and on shutdown).
    public var commitInterval: Duration
    /// Stop after this many records (written, dead-lettered or skipped).
    public var maxMessages: Int?
    /// Stop after no record arrived for this long.
    public var idleTimeout: Duration?
    /// The most records read in one batch.
    public var batchSize: Int
    /// The longest wait between retries of a schema fetch while the registry is unavailable.
    public var maxRegistryBackoff: Duration
    /// How many tasks decode slices of a batch at once (a slice is at least 200 records). One (the default)
    /// decodes on the consuming task itself, which costs no thread switch per batch; more pay off only where
    /// cores stay idle while consuming (not when the broker or librdkafka's fetch thread share them).
    public var decodeTasks: Int

    /// A configuration for `kafka`'s group and topics; everything else at its default: writer-shaped natural
    /// JSON values, dead letters to `{topic}.dlq`, commits every 5 s, batches of up to 1,000 records decoded
    /// on one task.
    public init(kafka: KafkaConsumerConfiguration, readerSchema: ReaderSchemaSource = .writerSchema, output: RecordFormat = RecordFormat()) {
        self.kafka = kafka
        self.readerSchema = readerSchema
        self.output = output
        self.errorPolicy = .dlq
        self.deadLetterTopic = "{topic}.dlq"
        self.commitInterval = .seconds(5)
        self.maxMessages = nil
        self.idleTimeout = nil
        self.batchSize = 1000
        self.maxRegistryBackoff = .seconds(30)
        self.decodeTasks = 1
    }
}

/// The shape of each output line.
public struct RecordFormat: Sendable {
    /// Natural JSON or the Avro JSON encoding.
    public var json: AvroJSONWriter.Options
    /// Wraps each value with its topic, partition, offset, timestamp, key, headers and schema id.
    public var envelope: Bool

    /// Lines of `json`-shaped values, wrapped when `envelope`.
    public init(json: AvroJSONWriter.Options = AvroJSONWriter.Options(), envelope: Bool = false) {
        self.json = json
        self.envelope = envelope
    }
}
