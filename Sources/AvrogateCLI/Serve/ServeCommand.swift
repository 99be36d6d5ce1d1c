import ArgumentParser
import Foundation
import Ingest
import Kafka
import Logging
import Registry

/// `avrogate serve`: the HTTP ingest API.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP ingest API: JSON events in, schema-checked Avro records out to Kafka.",
        discussion: """
            Routes: POST /topics/{topic} (application/json: an event or an array; application/x-ndjson: one \
            event per line; application/vnd.kafka.avro.v2+json: a REST Proxy v2 body), GET /topics/{topic}/schema, \
            GET /topics/{topic}/partitions/{p}/offsets/{o}?group=G, GET /health/live, GET /health/ready, GET /metrics. \
            A request is answered 200 only once the broker acknowledged every record (acks=all, idempotent producer). \
            Schemas are read from the registry, never registered.

            Every option can also come from the environment (AVROGATE_LISTEN, AVROGATE_BROKERS, AVROGATE_REGISTRY_URL, \
            AVROGATE_API_KEYS_FILE or AVROGATE_API_KEYS, …: AVROGATE_ and the option name in capitals with _ for -, \
            repeatable options one value per line) or from a --config file of key=value lines whose keys are the \
            option names (`brokers=127.0.0.1:9092`, `kafka-property=compression.type=zstd`, repeated for repeatable \
            options). The command line wins over the environment, which wins over the file.

            API keys file: one `KEY PATTERN[,PATTERN…]` per line, patterns are topic names with * globs. SIGINT or \
            SIGTERM: stop accepting, finish in-flight requests, flush the producer, exit 0.
            """
    )

    @Option(name: .long, help: ArgumentHelp("key=value settings file (default: $AVROGATE_CONFIG).", valueName: "file"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Address to listen on (default: 127.0.0.1:8080).", valueName: "host:port"))
    var listen: String?

    @Option(name: .long, help: ArgumentHelp("Kafka bootstrap servers.", valueName: "host:port[,…]"))
    var brokers: String?

    @Option(name: .long, help: ArgumentHelp("Schema Registry URL; commas for failover ($AVROGATE_REGISTRY_URL).", valueName: "url"))
    var registry: String?

    @Option(name: .long, help: "User name for the registry's HTTP basic auth.")
    var registryUser: String?

    @Option(name: .long, help: "Password for the registry's HTTP basic auth.")
    var registryPassword: String?

    @Option(name: .long, help: "Bearer token for the registry.")
    var registryToken: String?

    @Option(name: .long, help: ArgumentHelp("PEM file of the certificate authorities for https registry URLs.", valueName: "file"))
    var registryCAFile: String?

    @Option(name: .long, help: ArgumentHelp("API keys file; turns authentication on (also $AVROGATE_API_KEYS: the file's content).", valueName: "file"))
    var apiKeysFile: String?

    @Option(name: .long, help: ArgumentHelp("Value subject naming: topic ({topic}-value), record ({record}) or topic-record ({topic}-{record}).", valueName: "strategy"))
    var subjectStrategy: String?

    @Option(name: .long, help: ArgumentHelp("Record full name of a topic's events, for the record strategies; repeatable.", valueName: "topic=name"))
    var valueRecord: [String] = []

    @Option(name: .long, help: ArgumentHelp("Top-level event field whose value is the record key; repeatable.", valueName: "topic=field"))
    var keyField: [String] = []

    @Option(name: .long, help: ArgumentHelp("Largest request body (default: 8388608).", valueName: "bytes"))
    var maxBodyBytes: String?

    @Option(name: .long, help: ArgumentHelp("Most records in one request (default: 10000).", valueName: "n"))
    var maxBatchRecords: String?

    @Option(name: .long, help: ArgumentHelp("Deepest nesting of an event (default: 64).", valueName: "levels"))
    var maxDepth: String?

    @Option(name: .long, help: ArgumentHelp("How long the broker may take to acknowledge a record, message.timeout.ms (default: 30000).", valueName: "ms"))
    var deliveryTimeoutMs: String?

    @Option(name: .long, help: ArgumentHelp("How long a subject's latest schema version is reused before the registry is asked again; 0 asks on every request (default: 30000).", valueName: "ms"))
    var schemaCacheMs: String?

    @Option(name: .long, help: ArgumentHelp("Records awaiting acknowledgement before requests get 429 (default: 100000).", valueName: "n"))
    var maxQueuedRecords: String?

    @Option(name: .long, help: ArgumentHelp("librdkafka producer property; repeatable.", valueName: "key=value"))
    var kafkaProperty: [String] = []

    @Option(name: .long, help: ArgumentHelp("librdkafka properties file (key=value lines).", valueName: "file"))
    var kafkaPropertiesFile: String?

    @Option(name: .long, help: ArgumentHelp("Batch compression: none, gzip, snappy, lz4 or zstd.", valueName: "codec"))
    var compression: String?

    @Option(name: .long, help: ArgumentHelp("linger.ms: how long a record may wait for its batch to fill (default: 1).", valueName: "ms"))
    var lingerMs: String?

    @Option(name: .long, help: ArgumentHelp("security.protocol: plaintext, ssl, sasl_plaintext or sasl_ssl.", valueName: "protocol"))
    var securityProtocol: String?

    @Option(name: .long, help: ArgumentHelp("sasl.mechanism: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 …", valueName: "mechanism"))
    var saslMechanism: String?

    @Option(name: .long, help: "sasl.username.")
    var saslUsername: String?

    @Option(name: .long, help: "sasl.password (prefer $AVROGATE_SASL_PASSWORD).")
    var saslPassword: String?

    @Option(name: .long, help: ArgumentHelp("ssl.ca.location: PEM file of the brokers' certificate authorities.", valueName: "file"))
    var sslCaLocation: String?

    @Flag(name: .long, help: "Skip event fields the schema does not know instead of rejecting the event.")
    var ignoreUnknownFields = false

    @Option(name: .long, help: ArgumentHelp("Append the logs to this file instead of standard error.", valueName: "file"))
    var logFile: String?

    @Option(name: .long, help: ArgumentHelp("trace, debug, info, notice, warning, error or critical (default: info).", valueName: "level"))
    var logLevel: String?

    @Option(name: .long, help: ArgumentHelp("json (one object per line) or text (default: json).", valueName: "format"))
    var logFormat: String?

    func run() async throws {
        try await runReportingFailures {
            let sources = try ServeSettingSources(configPath: config, environment: ProcessInfo.processInfo.environment)
            let logger = try makeLogger(sources)
            let configuration = try ServeSettings(command: self, sources: sources).configuration()
            let metrics = IngestMetrics()
            metrics.bootstrapMetricsSystem()
            let server = IngestServer(configuration: configuration, metrics: metrics, logger: logger)
            do {
                try await server.run()
            } catch {
                throw CLIFailure(exitCode: 1, message: "serve: \(error)")
            }
        }
    }

    /// The process's logger, bootstrapped once: JSON lines (or text) to standard error or `--log-file`.
    private func makeLogger(_ sources: ServeSettingSources) throws -> Logger {
        let levelName = sources.value(logLevel, key: "log-level", environment: "AVROGATE_LOG_LEVEL") ?? "info"
        guard let level = Logger.Level(rawValue: levelName.lowercased()) else {
            throw CLIFailure(exitCode: 2, message: "unknown log level \(levelName)")
        }
        let format = sources.value(logFormat, key: "log-format", environment: "AVROGATE_LOG_FORMAT") ?? "json"
        guard format == "json" || format == "text" else {
            throw CLIFailure(exitCode: 2, message: "--log-format must be json or text, got \(format)")
        }
        let path = sources.value(logFile, key: "log-file", environment: "AVROGATE_LOG_FILE")
        let sink = try path.map(JSONLinesLogHandler.Sink.init(appendingTo:)) ?? JSONLinesLogHandler.Sink(handle: .standardError)
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler = format == "json" || path != nil
                ? JSONLinesLogHandler(label: label, sink: sink)
                : StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: "avrogate.serve")
    }
}
