import ArgumentParser
import Foundation
import Ingest
import Kafka
import Logging
import Registry

/// `avrogate produce`: NDJSON events from a file or standard input through the ingest pipeline.
struct ProduceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "produce",
        abstract: "Produce NDJSON events (one per line) to a topic as Avro, checked against the registry's schema.",
        discussion: """
            Each line is encoded with the topic's schema (latest of {topic}-value unless --subject, --version or \
            --schema-id pin one; the registry is only read) and sent; the command ends once the broker acknowledged \
            every record (acks=all, idempotent producer). Lines are validated and produced in order, line by line: \
            without --partial the first invalid line stops production (the lines before it are produced, none after \
            it) and the command exits 1; with --partial invalid lines are reported and skipped, and the command \
            exits 1 at the end if any was. Each error goes to standard error as `line N: PATH: expected X, got Y`. \
            On a terminal, a progress line shows records/s, acknowledged and rejected; a summary ends the run.

            Exit codes: 0 all produced; 1 some line rejected or not acknowledged; 2 bad usage or configuration; \
            3 the registry or the schema could not be reached or found.
            """
    )

    @Option(name: .long, help: ArgumentHelp("Kafka bootstrap servers (default: $AVROGATE_BROKERS).", valueName: "host:port[,…]"))
    var brokers: String?

    @OptionGroup var registry: ConsumeRegistryOptions

    @Option(name: .long, help: ArgumentHelp("Topic to produce to.", valueName: "name"))
    var topic: String

    @Option(name: .long, help: ArgumentHelp("Subject whose schema to use (default: {topic}-value).", valueName: "subject"))
    var subject: String?

    @Option(name: .long, help: ArgumentHelp("Version of --subject (default: latest).", valueName: "n"))
    var version: Int?

    @Option(name: .long, help: ArgumentHelp("Registry id of the schema to use.", valueName: "id"))
    var schemaID: Int?

    @Option(name: .long, help: ArgumentHelp("NDJSON file to read (default: standard input).", valueName: "file"))
    var file: String?

    @Flag(name: .long, help: "Skip invalid lines (reporting each) instead of stopping at the first.")
    var partial = false

    @Option(name: .long, help: ArgumentHelp("Top-level event field whose value is the record key.", valueName: "field"))
    var keyField: String?

    @Option(name: .long, help: ArgumentHelp("One key for every record.", valueName: "key"))
    var key: String?

    @Option(name: .long, help: ArgumentHelp("Partition to write to (default: by key, or spread).", valueName: "n"))
    var partition: Int32?

    @Option(name: .long, help: ArgumentHelp("How long the broker may take to acknowledge a record.", valueName: "ms"))
    var deliveryTimeoutMs: Int = 30_000

    @Option(name: .long, help: ArgumentHelp("librdkafka producer property; repeatable.", valueName: "key=value"))
    var kafkaProperty: [String] = []

    @Flag(name: .long, help: "Show the progress line even when standard error is not a terminal.")
    var progress = false

    func validate() throws {
        if schemaID != nil && subject != nil {
            throw ValidationError("pass either --schema-id or --subject, not both")
        }
        if version != nil && subject == nil {
            throw ValidationError("--version needs --subject")
        }
        if key != nil && keyField != nil {
            throw ValidationError("pass either --key or --key-field, not both")
        }
    }

    func run() async throws {
        try await runReportingFailures {
            var logger = Logger(label: "avrogate.produce")
            logger.logLevel = .warning
            let environment = ProcessInfo.processInfo.environment
            guard let brokers = brokers ?? environment["AVROGATE_BROKERS"].flatMap({ $0.isEmpty ? nil : $0 }) else {
                throw CLIFailure(exitCode: 2, message: "no brokers: pass --brokers HOST:PORT or set AVROGATE_BROKERS")
            }
            let input = try openInput()
            let client = try registry.client(logger: logger)
            var configuration = IngestConfiguration(brokers: brokers, registryURLs: client.urls)
            configuration.deliveryTimeout = .milliseconds(deliveryTimeoutMs)
            do throws(KafkaError) {
                try configuration.kafka.apply(propertyArguments: kafkaProperty)
            } catch {
                throw CLIFailure(exitCode: 2, message: error.message)
            }
            let pipeline: IngestPipeline
            do {
                pipeline = try IngestPipeline(configuration: configuration, registry: client, logger: logger)
            } catch {
                throw CLIFailure(exitCode: 2, message: "cannot create the producer: \(error)")
            }
            let outcome: Result<ProduceRun.Summary, any Error>
            do {
                outcome = .success(try await produce(input: input, pipeline: pipeline))
            } catch {
                outcome = .failure(error)
            }
            await pipeline.shutdown()
            let summary = try outcome.get()
            if summary.progress.rejected > 0 || summary.progress.failed > 0 {
                throw ExitCode(1)
            }
        }
    }

    private func produce(input: FileHandle, pipeline: IngestPipeline) async throws -> ProduceRun.Summary {
        let selection: SchemaSelection = if let schemaID { .id(schemaID) } else if let subject {
            version.map { .subjectVersion(subject, version: $0) } ?? .subjectLatest(subject)
        } else { .latest }
        let schema: SelectedSchema
        let keyFormat: KeyFormat
        let keySource: KeySource = key.map(KeySource.constant) ?? keyField.map(KeySource.field) ?? .none
        do {
            schema = try await pipeline.schema(topic: topic, selection)
            keyFormat = keySource == .none ? .string : try await pipeline.keyFormat(topic: topic)
        } catch {
            throw CLIFailure(exitCode: error.code == .invalidParameter ? 2 : 3, message: error.message)
        }
        let run = ProduceRun(topic: topic, schema: schema, showProgress: progress || isatty(STDERR_FILENO) == 1)
        return try await pipeline.withRecordEncoder(topic: topic, value: schema, key: keyFormat, keySource: keySource) { encoder in
            try await run.produce(input: input, pipeline: pipeline, encoder: encoder, partial: partial, partition: partition)
        }
    }

    private func openInput() throws -> FileHandle {
        guard let file, file != "-" else { return .standardInput }
        guard let handle = FileHandle(forReadingAtPath: file) else {
            throw CLIFailure(exitCode: 2, message: "cannot read \(file)")
        }
        return handle
    }
}
