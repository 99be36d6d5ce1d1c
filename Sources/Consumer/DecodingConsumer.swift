import Avro
import Kafka
import Logging
import Registry
import Synchronization

/// Reads Confluent wire-format Avro records from Kafka topics as a member of a consumer group and writes
/// each as one line of JSON, in the reader schema's shape when there is one.
///
/// Per record: the frame is read, the writer schema fetched by id (once), checked against the reader
/// schema and planned (once per id), the datum decoded and projected, and the line written. At least once:
/// a batch's lines are written out before the offsets of its records are stored, and stored offsets are
/// committed every ``DecodingConsumerConfiguration/commitInterval``, on revoke and on shutdown, so a crash
/// re-reads at most what was written since the last commit and never skips a record.
///
/// Undecodable records follow the ``ErrorPolicy``: by default they go to the dead-letter topic, and their
/// offset is stored only once the broker acknowledged the dead letter. An unavailable registry is not the
/// record's fault: the consumer pauses its partitions and retries with backoff, staying in the group.
public final class DecodingConsumer: Sendable {
    /// What it reads, how it decodes, what it writes.
    public let configuration: DecodingConsumerConfiguration
    /// Counts of what the consumer did, updated once per batch.
    public let metrics: ConsumerMetrics
    let registry: SchemaRegistryClient
    let output: any RecordOutput
    let logger: Logger
    private let stopping = Atomic<Bool>(false)

    /// A consumer writing to `output`, fetching schemas from `registry`; nothing connects before ``run()``.
    public init(configuration: DecodingConsumerConfiguration, registry: SchemaRegistryClient, output: any RecordOutput,
                metrics: ConsumerMetrics = ConsumerMetrics(), logger: Logger = Logger(label: "avrogate.consumer")) {
        self.configuration = configuration
        self.registry = registry
        self.output = output
        self.metrics = metrics
        self.logger = logger
    }

    /// Asks ``run()`` to finish the batch in hand, store and commit its offsets, leave the group and return.
    /// Safe from any thread, signal handlers' tasks included.
    public func stop() {
        stopping.store(true, ordering: .relaxed)
    }

    var isStopping: Bool { stopping.load(ordering: .relaxed) }

    /// Consumes until ``stop()``, `maxMessages` or `idleTimeout`, then commits and leaves the group.
    /// Throws when it had to stop early (see ``DecodingConsumerError``), after committing what it wrote.
    public func run() async throws(DecodingConsumerError) {
        guard case .ready(let reader) = try await prepareReader() else { return }
        var loop = try ConsumeLoop(owner: self, reader: reader)
        try await loop.run()
    }

    private enum ReaderPreparation {
        case ready(AvroCodec?)
        case stopped
    }

    /// The reader schema's codec; waits out an unavailable registry (until stopped).
    private func prepareReader() async throws(DecodingConsumerError) -> ReaderPreparation {
        var backoff = Duration.milliseconds(250)
        while !isStopping {
            let schema: AvroSchema?
            do {
                schema = try await configuration.readerSchema.resolve(with: registry)
            } catch where error.isTransient {
                metrics.registryRetried()
                logger.warning("Registry unavailable fetching the reader schema, retrying in \(backoff): \(error)")
                await sleepUnlessStopping(backoff)
                backoff = min(backoff * 2, configuration.maxRegistryBackoff)
                continue
            } catch {
                throw .registry(error)
            }
            guard let schema else { return .ready(nil) }
            do {
                return .ready(try AvroCodec(schema: schema))
            } catch {
                throw .readerSchema(error.message)
            }
        }
        return .stopped
    }

    /// The metrics in the Prometheus text format, with the lag of every partition processed so far (its high
    /// watermark, asked from the brokers now, minus the position reached). Opens an admin connection per call.
    public func prometheusText(timeout: Duration = .seconds(5)) async -> String {
        let topics = Set(metrics.snapshot.positions.keys.map(\.topic))
        var highWatermarks: [TopicPartition: Int64] = [:]
        if !topics.isEmpty, let admin = try? KafkaAdmin(configuration: configuration.kafka.kafka.connectionProperties, logger: logger) {
            for topic in topics.sorted() {
                guard let watermarks = try? await admin.highWatermarks(topic: topic, timeout: timeout) else { continue }
                for (partition, high) in watermarks {
                    highWatermarks[TopicPartition(topic: topic, partition: partition)] = high
                }
            }
            await admin.close()
        }
        return metrics.prometheusText(highWatermarks: highWatermarks)
    }

    /// Fetches and plans a writer schema id, retrying with backoff while the registry is unavailable.
    func prepareWriter(schemaID: Int, reader: AvroCodec?) async -> WriterPlan.Preparation {
        var backoff = Duration.milliseconds(250)
        while true {
            do {
                return try await WriterPlan.prepare(schemaID: schemaID, registry: registry, reader: reader, json: configuration.output.json)
            } catch where error.isTransient {
                metrics.registryRetried()
                logger.warning("Registry unavailable fetching writer schema \(schemaID), retrying in \(backoff): \(error)")
                do {
                    try await Task.sleep(for: backoff)
                } catch {
                    return .cancelled
                }
                backoff = min(backoff * 2, configuration.maxRegistryBackoff)
            } catch where error.kind == .cancelled {
                return .cancelled
            } catch {
                return .failed(error)
            }
        }
    }

    /// Sleeps `duration`, waking early when stopped.
    func sleepUnlessStopping(_ duration: Duration) async {
        let deadline = ContinuousClock.now + duration
        while !isStopping && ContinuousClock.now < deadline {
            try? await Task.sleep(for: min(.milliseconds(100), deadline - .now))
        }
    }
}
