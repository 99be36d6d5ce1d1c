import ArgumentParser
import Avro
import Consumer
import Foundation
import Kafka
import Logging
import Registry
import ServiceLifecycle

/// `avrogate consume`: decodes Confluent wire-format Avro records from Kafka topics into NDJSON.
struct ConsumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consume",
        abstract: "Decode Avro records from Kafka topics into JSON lines, as a member of a consumer group.",
        discussion: """
            Each record's writer schema is fetched from the registry by the id in its frame; with a reader \
            schema (--reader-schema or --reader-subject) every record comes out in the reader's shape, as Avro \
            schema resolution defines it. At least once: a record's offset is stored only after its line was \
            written, and committed every --commit-interval, on rebalance and on shutdown. Undecodable records \
            (wrong magic byte, truncated, trailing bytes, unknown schema id, a writer the reader cannot read) \
            go to the dead-letter topic with avrogate.* headers saying why. Null values (tombstones) come out \
            as null. SIGINT or SIGTERM: finish the batch, commit, leave the group, exit 0.
            """
    )

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case json
        case avroJSON = "avro-json"
    }

    enum BytesOption: String, ExpressibleByArgument, CaseIterable {
        case codePoints = "code-points"
        case base64
    }

    @Option(name: .long, help: ArgumentHelp("Kafka bootstrap servers (default: $AVROGATE_BROKERS).", valueName: "host:port[,…]"))
    var brokers: String?

    @Option(name: .long, help: ArgumentHelp("Topic to read; repeatable.", valueName: "name"))
    var topic: [String] = []

    @Option(name: .long, help: ArgumentHelp("Consumer group id.", valueName: "id"))
    var group: String

    @OptionGroup var registry: ConsumeRegistryOptions

    @Option(name: .long, help: ArgumentHelp("Reader schema file: every record is projected into this schema.", valueName: "file"))
    var readerSchema: String?

    @Option(name: .long, help: ArgumentHelp("Registry subject whose schema is the reader schema.", valueName: "subject"))
    var readerSubject: String?

    @Option(name: .long, help: ArgumentHelp("Version of --reader-subject: a number or latest (default: latest).", valueName: "version"))
    var readerVersion: String?

    @Option(name: .long, help: ArgumentHelp("Append the lines to this file instead of writing them to standard output.", valueName: "file"))
    var output: String?

    @Flag(name: .long, help: "Wrap each value with its topic, partition, offset, timestamp, key, headers and schema id.")
    var envelope = false

    @Option(name: .long, help: "json: natural JSON; avro-json: the Avro specification's JSON encoding.")
    var format: OutputFormat = .json

    @Option(name: .long, help: "How bytes and fixed values are written in natural JSON.")
    var bytes: BytesOption = .codePoints

    @Option(name: .long, help: "What to do with an undecodable record: dlq, skip, or fail (stop, offset not committed).")
    var onError: ErrorPolicy = .dlq

    @Option(name: .long, help: ArgumentHelp("Dead-letter topic; {topic} is the source topic.", valueName: "name"))
    var dlqTopic = "{topic}.dlq"

    @Option(name: .long, help: ArgumentHelp("Seconds between commits of the stored offsets.", valueName: "seconds"))
    var commitInterval: Double = 5

    @Flag(name: .long, help: "A new group starts at the beginning of each partition (default: at its end).")
    var fromBeginning = false

    @Option(name: .long, help: ArgumentHelp("Stop after this many records (written, dead-lettered or skipped).", valueName: "n"))
    var maxMessages: Int?

    @Option(name: .long, help: ArgumentHelp("Stop when no record arrived for this many seconds.", valueName: "seconds"))
    var idleTimeout: Double?

    @Option(name: .long, help: ArgumentHelp("Most records read and written per batch.", valueName: "n"))
    var batchSize = 1000

    @Option(name: .long, help: ArgumentHelp("Tasks decoding slices of a batch at once; more than 1 helps only where cores stay idle while consuming.", valueName: "n"))
    var decodeTasks = 1

    @Option(name: .long, help: ArgumentHelp("librdkafka properties file (key=value lines).", valueName: "file"))
    var kafkaConfig: String?

    @Option(name: .long, help: ArgumentHelp("librdkafka property; repeatable, wins over --kafka-config.", valueName: "key=value"))
    var kafkaProperty: [String] = []

    @Option(name: .long, help: ArgumentHelp("Serve Prometheus metrics at http://HOST:PORT/metrics and liveness at /health (port 0: any free port, logged).", valueName: "host:port"))
    var metricsListen: String?

    @Option(name: .long, help: ArgumentHelp("Log level: trace, debug, info, notice, warning, error, critical.", valueName: "level"))
    var logLevel = "info"

    func validate() throws {
        guard !topic.isEmpty else { throw ValidationError("pass at least one --topic") }
        guard readerSchema == nil || readerSubject == nil else { throw ValidationError("use either --reader-schema or --reader-subject, not both") }
        guard readerVersion == nil || readerSubject != nil else { throw ValidationError("--reader-version needs --reader-subject") }
        guard commitInterval > 0 else { throw ValidationError("--commit-interval must be positive") }
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive") }
        guard decodeTasks > 0 else { throw ValidationError("--decode-tasks must be positive") }
        guard maxMessages.map({ $0 > 0 }) ?? true else { throw ValidationError("--max-messages must be positive") }
        guard idleTimeout.map({ $0 > 0 }) ?? true else { throw ValidationError("--idle-timeout must be positive") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown log level \(logLevel)") }
        if let metricsListen, (try? ListenAddress(metricsListen, option: "--metrics-listen")) == nil {
            throw ValidationError("--metrics-listen must be HOST:PORT, got \(metricsListen)")
        }
    }

    func run() async throws {
        KafkaConsumer.keepFetchBuffersMapped()
        try await runReportingFailures {
            var logger = Logger(label: "avrogate.consume")
            logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
            let consumer = DecodingConsumer(
                configuration: try consumerConfiguration(environment: ProcessInfo.processInfo.environment),
                registry: try registry.client(logger: logger),
                output: try outputWriter(),
                logger: logger)
            var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
                .init(service: ConsumerService(consumer: consumer), successTerminationBehavior: .gracefullyShutdownGroup)
            ]
            if let metricsListen {
                let address = try ListenAddress(metricsListen, option: "--metrics-listen")
                services.append(.init(service: ConsumerMetricsEndpoint.application(consumer: consumer, address: address, logger: logger)))
            }
            let group = ServiceGroup(
                configuration: ServiceGroupConfiguration(
                    services: services,
                    gracefulShutdownSignals: [.sigterm, .sigint],
                    logger: logger))
            do {
                try await group.run()
            } catch let error as DecodingConsumerError {
                throw CLIFailure(exitCode: 1, message: error.description)
            }
            logger.info("\(Self.summary(consumer.metrics.snapshot))")
        }
    }

    /// The closing log line: what was consumed and how fast (from the first record's batch to the last one's end).
    static func summary(_ snapshot: ConsumerMetrics.Snapshot) -> String {
        var text = "Consumed \(snapshot.handled) records (\(snapshot.written.values.reduce(0, +)) written, "
            + "\(snapshot.deadLettered.values.reduce(0, +)) dead-lettered, \(snapshot.skipped.values.reduce(0, +)) skipped)"
        if let busy = snapshot.busyDuration {
            let seconds = Double(busy.components.seconds) + Double(busy.components.attoseconds) * 1e-18
            text += String(format: " in %.3f s from the first record: %.0f records/s", seconds, seconds > 0 ? Double(snapshot.handled) / seconds : 0)
        }
        return text
    }

    /// The consumer's configuration from the options, falling back to the environment for the brokers.
    func consumerConfiguration(environment: [String: String]) throws -> DecodingConsumerConfiguration {
        guard let brokers = brokers ?? environment["AVROGATE_BROKERS"].flatMap({ $0.isEmpty ? nil : $0 }) else {
            throw CLIFailure(exitCode: 2, message: "no brokers: pass --brokers HOST:PORT or set AVROGATE_BROKERS")
        }
        var kafka = KafkaConfiguration(bootstrapServers: brokers)
        kafka["auto.offset.reset"] = fromBeginning ? "earliest" : "latest"
        do {
            if let kafkaConfig { try kafka.loadPropertiesFile(atPath: kafkaConfig) }
            try kafka.apply(propertyArguments: kafkaProperty)
        } catch {
            throw CLIFailure(exitCode: 2, message: error.message)
        }
        var configuration = DecodingConsumerConfiguration(
            kafka: KafkaConsumerConfiguration(groupID: group, topics: topic, kafka: kafka),
            readerSchema: try readerSchemaSource(),
            output: RecordFormat(
                json: AvroJSONWriter.Options(format: format == .json ? .natural : .avroJSON, bytesEncoding: bytes == .base64 ? .base64 : .codePoints),
                envelope: envelope))
        configuration.errorPolicy = onError
        configuration.deadLetterTopic = dlqTopic
        configuration.commitInterval = .milliseconds(Int64((commitInterval * 1000).rounded()))
        configuration.maxMessages = maxMessages
        configuration.idleTimeout = idleTimeout.map { .milliseconds(Int64(($0 * 1000).rounded())) }
        configuration.batchSize = batchSize
        configuration.decodeTasks = decodeTasks
        return configuration
    }

    private func readerSchemaSource() throws -> ReaderSchemaSource {
        if let readerSchema {
            return .schema(try AvroSchemaFile.load(readerSchema))
        }
        guard let readerSubject else { return .writerSchema }
        switch readerVersion {
        case nil, "latest"?:
            return .subject(readerSubject, version: nil)
        case let text?:
            guard let version = Int(text), version > 0 else {
                throw CLIFailure(exitCode: 2, message: "--reader-version must be a positive number or latest, got \(text)")
            }
            return .subject(readerSubject, version: version)
        }
    }

    private func outputWriter() throws -> OutputWriter {
        guard let output else { return .standardOutput() }
        do {
            return try OutputWriter(appendingTo: output)
        } catch {
            throw CLIFailure(exitCode: 2, message: error.message)
        }
    }
}

extension ErrorPolicy: ExpressibleByArgument {}
