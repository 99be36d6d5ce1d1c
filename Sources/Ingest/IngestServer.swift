import Hummingbird
import Kafka
import Logging
import Registry
import ServerSupport
import Synchronization

/// The HTTP ingest API (`avrogate serve`).
///
/// | Route | |
/// |---|---|
/// | `POST /topics/{topic}` | produce events (JSON, NDJSON, REST Proxy v2 Avro) |
/// | `GET /topics/{topic}/schema` | the schema used, an example event, a JSON Schema |
/// | `GET /topics/{topic}/partitions/{p}/offsets/{o}` | whether an event is in the log and consumed by `?group=` |
/// | `GET /health/live`, `GET /health/ready` | liveness; broker and registry readiness |
/// | `GET /metrics` | Prometheus metrics |
///
/// In process: `let port = try await server.start()`, then ``stop()``. As a command: ``run()``,
/// which returns on SIGINT or SIGTERM after finishing in-flight requests and flushing the producer.
public final class IngestServer: Sendable {
    public let configuration: IngestConfiguration
    /// The server's metrics (its own Prometheus registry).
    public let metrics: IngestMetrics
    private let logger: Logger
    private let running = Mutex<Running?>(nil)

    private struct Running: Sendable {
        var pipeline: IngestPipeline
        var admin: KafkaAdmin
        var http: Task<Void, any Error>?
    }

    /// A server for `configuration`; nothing connects until ``start()`` or ``run()``.
    public init(configuration: IngestConfiguration, metrics: IngestMetrics = IngestMetrics(), logger: Logger = Logger(label: "avrogate.ingest")) {
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
    }

    /// Listens; returns the bound port once requests are answered.
    public func start() async throws -> Int {
        let (ports, portSink) = AsyncStream<Int>.makeStream()
        let application = try makeApplication { port in
            portSink.yield(port)
            portSink.finish()
        }
        let http = Task {
            defer { portSink.finish() }
            try await application.run()
        }
        running.withLock { $0?.http = http }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            await stop()
            try await http.value
            throw IngestServerError(message: "the HTTP server stopped before listening")
        }
        logger.info("ingest API listening", metadata: ["address": "\(configuration.host):\(port)"])
        return port
    }

    /// Listens until SIGINT or SIGTERM, then stops accepting, finishes in-flight requests, flushes
    /// the producer and returns.
    public func run() async throws {
        let application = try makeApplication { [logger, configuration] port in
            logger.info("ingest API listening", metadata: ["address": "\(configuration.host):\(port)"])
        }
        do {
            try await application.runService()
        } catch {
            await stop()
            throw error
        }
        await stop()
    }

    /// Stops listening and shuts the producer down (flushing it). Idempotent.
    public func stop() async {
        guard let running = running.withLock({ running in defer { running = nil }; return running }) else { return }
        running.http?.cancel()
        _ = try? await running.http?.value
        await running.pipeline.shutdown()
        await running.admin.close()
    }

    private func makeApplication(onListening: @escaping @Sendable (Int) -> Void) throws -> some ApplicationProtocol {
        let pipeline = try IngestPipeline(configuration: configuration, metrics: metrics, logger: logger)
        var adminProperties = configuration.kafka
        adminProperties["enable.idempotence"] = nil
        adminProperties["transactional.id"] = nil
        let admin = try KafkaAdmin(configuration: adminProperties, logger: logger)
        running.withLock { $0 = Running(pipeline: pipeline, admin: admin) }

        var readinessRegistry = configuration.registry
        readinessRegistry.connectTimeout = configuration.readinessTimeout
        readinessRegistry.requestTimeout = configuration.readinessTimeout
        readinessRegistry.retry.maxRetries = 0
        readinessRegistry.maxConnections = 1

        let router = MethodAwareRouter(Router(context: IngestRequestContext.self, options: .autoGenerateHeadEndpoints))
        router.add(middleware: RequestLogMiddleware(metrics: metrics))
        HealthRoutes(admin: admin, registry: try SchemaRegistryClient(configuration: readinessRegistry, logger: logger), timeout: configuration.readinessTimeout)
            .add(to: router)
        MetricsRoute(metrics: metrics, pipeline: pipeline).add(to: router)
        let topics = router.group("topics")
        if let keys = configuration.apiKeys {
            topics.add(middleware: APIKeyMiddleware(keys: keys))
        }
        ProduceRoutes(pipeline: pipeline, limits: configuration.limits).add(to: topics)
        TopicSchemaRoute(pipeline: pipeline, allowsUnknownFields: configuration.ignoreUnknownFields).add(to: topics)
        OffsetStatusRoute(admin: admin).add(to: topics)
        router.answerOtherMethods()
        return Application(
            router: router.router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "avrogate"),
            services: [pipeline],
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
    }
}

/// The ingest server could not start.
public struct IngestServerError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
