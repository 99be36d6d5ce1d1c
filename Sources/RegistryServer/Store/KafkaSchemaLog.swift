import Kafka
import Logging

/// A ``SchemaLog`` in a Kafka topic with one partition, created compacted when missing, as
/// Confluent's `_schemas` topic is.
///
/// Records are produced to partition 0 with `acks=all` and idempotence (so a write's offset, once
/// acknowledged, is final and in order). The reader is assigned partition 0 from its beginning, without
/// joining a group: every instance reads the whole log.
final class KafkaSchemaLog: SchemaLog {
    let topic: String
    private let producer: KafkaProducer
    private let consumer: KafkaConsumer
    private let logger: Logger

    /// Connects to the cluster `kafka` points at, creating `topic` if needed.
    static func open(kafka: KafkaConfiguration, topic: String, logger: Logger) async throws -> KafkaSchemaLog {
        let admin = try KafkaAdmin(configuration: kafka, logger: logger)
        do {
            let created = try await admin.createTopic(
                NewTopic(name: topic, partitions: 1, configs: ["cleanup.policy": "compact"]), ifNotExists: true)
            if created { logger.info("created the schemas topic", metadata: ["topic": "\(topic)"]) }
            // The log's order is the order of one partition: records elsewhere would never be read.
            let partitions = try await admin.describeTopic(topic).partitionCount
            guard partitions == 1 else {
                throw RegistryServerError(message: "the schemas topic \(topic) has \(partitions) partitions; the registry needs exactly 1")
            }
            await admin.close()
        } catch {
            await admin.close()
            throw error
        }
        return try KafkaSchemaLog(kafka: kafka, topic: topic, logger: logger)
    }

    private init(kafka: KafkaConfiguration, topic: String, logger: Logger) throws {
        self.topic = topic
        self.logger = logger
        var producerConfiguration = KafkaProducerConfiguration(kafka: kafka)
        producerConfiguration.acks = .all
        producerConfiguration.idempotence = true
        // A registry write waits for its record: batching would only add latency.
        producerConfiguration.linger = .zero
        producer = try KafkaProducer(configuration: producerConfiguration, logger: logger)
        var consumerKafka = kafka
        for (key, value) in Self.readerDefaults where consumerKafka[key] == nil {
            consumerKafka[key] = value
        }
        let consumerConfiguration = KafkaConsumerConfiguration(
            assignment: [TopicPartition(topic: topic, partition: 0): KafkaConsumer.offsetBeginning], kafka: consumerKafka)
        consumer = try KafkaConsumer(configuration: consumerConfiguration, logger: logger)
    }

    /// Reader properties: fetches return quickly, since a write waits until the reader has seen its record.
    private static let readerDefaults = [
        "fetch.wait.max.ms": "10",
        "fetch.error.backoff.ms": "50",
    ]

    /// One poll hands over a batch when it is full or when this passed: a batch of one record hands
    /// each record over as soon as it arrives (a write waits for its own), the timeout only bounds idle polls.
    private static let pollBatch = 1
    private static let pollTimeout: Duration = .milliseconds(100)

    func append(_ records: [LogRecord]) async throws -> [Int64] {
        var offsets: [Int64] = []
        for record in records {
            let report = try await producer.send(KafkaProducerMessage(topic: topic, partition: 0, key: record.key, value: record.value))
            offsets.append(report.offset)
        }
        return offsets
    }

    func records(from offset: Int64) -> AsyncThrowingStream<LoggedRecord, any Error> {
        let consumer = consumer
        let (stream, continuation) = AsyncThrowingStream<LoggedRecord, any Error>.makeStream()
        let task = Task {
            do {
                while !Task.isCancelled {
                    let batch = try await consumer.nextBatch(maxMessages: Self.pollBatch, timeout: Self.pollTimeout)
                    for message in batch where message.offset >= offset {
                        continuation.yield(LoggedRecord(offset: message.offset, key: message.key, value: message.value))
                    }
                }
                continuation.finish()
            } catch let error as KafkaError where error.code == .closed {
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    func close() async {
        await producer.close()
        await consumer.close()
    }
}
