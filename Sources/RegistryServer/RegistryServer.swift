import Hummingbird
import Kafka
import Logging
import Registry
import ServerSupport
import ServiceLifecycle

/// The built-in Confluent-compatible Schema Registry: Confluent's REST API over state kept in a
/// Kafka topic in Confluent's record format. Several instances may share one topic; see ``SchemaStore``.
///
/// In process: `let port = try await server.start()`, then ``stop()``. As a command: ``run()``,
/// which returns on SIGINT or SIGTERM.
public final class RegistryServer: Sendable {
    private struct Running {
        var store: SchemaStore?
        var services: ServiceGroup?
        var http: Task<Void, any Error>?
    }

    public let configuration: RegistryServerConfiguration
    private let logger: Logger
    private let openLog: @Sendable () async throws -> any SchemaLog
    private let running = LockedState(Running())

    /// A server for `configuration`; nothing connects until ``start()`` or ``run()``.
    public convenience init(configuration: RegistryServerConfiguration, logger: Logger = Logger(label: "avrogate.registry")) {
        self.init(configuration: configuration, logger: logger) {
            try await KafkaSchemaLog.open(kafka: configuration.kafka, topic: configuration.topic, logger: logger)
        }
    }

    /// A server over any ``SchemaLog`` (an ``InMemorySchemaLog`` in unit tests).
    init(configuration: RegistryServerConfiguration, logger: Logger, openLog: @escaping @Sendable () async throws -> any SchemaLog) {
        self.configuration = configuration
        self.logger = logger
        self.openLog = openLog
    }

    /// Replays the topic, then listens; returns the bound port once requests are answered.
    public func start() async throws -> Int {
        let store = try await startStore()
        let (portStream, portContinuation) = AsyncStream<Int>.makeStream()
        let application = makeApplication(store: store) { port in
            portContinuation.yield(port)
            portContinuation.finish()
        }
        let services = ServiceGroup(configuration: .init(services: [application], logger: logger))
        let http = Task {
            defer { portContinuation.finish() }
            try await services.run()
        }
        running.withLock { running in
            running.services = services
            running.http = http
        }
        var iterator = portStream.makeAsyncIterator()
        guard let port = await iterator.next() else {
            let failure: any Error
            do {
                try await http.value
                failure = RegistryServerError(message: "the HTTP server stopped before listening")
            } catch {
                failure = error
            }
            await stop()
            throw failure
        }
        logger.info("schema registry listening", metadata: ["address": "\(configuration.host):\(port)", "topic": "\(configuration.topic)"])
        return port
    }

    /// Replays the topic, listens, and returns on SIGINT or SIGTERM after shutting down.
    public func run() async throws {
        let store = try await startStore()
        let application = makeApplication(store: store) { [logger, configuration] port in
            logger.info("schema registry listening", metadata: ["address": "\(configuration.host):\(port)", "topic": "\(configuration.topic)"])
        }
        do {
            try await application.runService()
        } catch {
            await stop()
            throw error
        }
        await stop()
    }

    /// Stops listening (letting requests in flight finish) and closes the topic. Idempotent.
    public func stop() async {
        let (store, services, http) = running.withLock { running in
            defer { running = Running() }
            return (running.store, running.services, running.http)
        }
        await services?.triggerGracefulShutdown()
        _ = try? await http?.value
        await store?.stop()
    }

    private func startStore() async throws -> SchemaStore {
        let log = try await openLog()
        let store = SchemaStore(log: log, logger: logger)
        running.withLock { $0.store = store }
        do {
            try await store.start()
        } catch {
            await stop()
            throw error
        }
        return store
    }

    private func makeApplication(store: SchemaStore, onListening: @escaping @Sendable (Int) -> Void) -> some ApplicationProtocol {
        let service = RegistryService(
            store: store, defaultCompatibility: configuration.defaultCompatibility,
            incompatibleErrorCode: configuration.incompatibleErrorCode)
        let router = MethodAwareRouter(Router(context: BasicRequestContext.self, options: .autoGenerateHeadEndpoints))
        router.add(middleware: RegistryErrorMiddleware())
        if let users = configuration.users {
            router.add(middleware: BasicAuthMiddleware(users: users))
        }
        RootRoutes.add(to: router)
        SchemaRoutes.add(to: router, service: service)
        SubjectRoutes.add(to: router, service: service)
        CompatibilityRoutes.add(to: router, service: service)
        ConfigRoutes.add(to: router, service: service)
        ModeRoutes.add(to: router, service: service)
        router.answerOtherMethods()
        return Application(
            router: router.router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "avrogate-registry"),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
    }
}

/// The registry server could not start.
public struct RegistryServerError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
