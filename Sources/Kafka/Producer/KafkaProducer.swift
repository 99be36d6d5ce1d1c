import Logging
import ServiceLifecycle
import Synchronization

/// Produces records to Kafka through librdkafka.
///
/// Three ways to send:
/// - ``send(_:)`` returns once the broker acknowledged the record (with `acks=all`: every in-sync replica
///   wrote it), or throws why it was not delivered.
/// - ``sendWithoutWaiting(_:)`` enqueues and returns a ``DeliveryTicket`` at once, for throughput; outcomes
///   arrive on the stream of ``makeProducerWithDeliveryReports(configuration:logger:)`` (without a stream,
///   failures are logged, at most a line a second, and counted in ``unreportedDeliveryFailures``).
///   ``flush(timeout:)`` waits for all of them.
/// - ``sendWithoutWaiting(_:onComplete:)`` enqueues many messages as a ``DeliveryGroup``, whose slots their
///   delivery reports fill in place: a request's records, answered once all of them have an outcome.
///
/// None blocks: a full local queue fails the send with ``KafkaError/Code/queueFull`` at once. Delivery
/// reports are served on the producer's own thread, which resumes the awaiting task as soon as librdkafka
/// hands it the report. ``close(flushTimeout:)`` (or the `Service` run loop ending) flushes, then fails
/// whatever is still undelivered: no message is dropped silently.
public final class KafkaProducer: Service, Sendable {
    private let client: RDKafkaClient
    private let pollThread: RDKafkaServiceThread
    private let deliveries: DeliveryRegistry
    private let lifecycle = ClientLifecycle()
    private let sequence = Atomic<UInt64>(0)
    /// Calls of ``sendWithoutWaiting(_:onComplete:)`` in progress: close() waits for them before flushing, so
    /// that no message of a group is enqueued after the last report was served (its group would never complete).
    private let groupSenders = Atomic<Int>(0)
    private let latestStatistics: LatestStatistics
    private let logger: Logger

    /// A producer whose non-awaited deliveries are only logged when they fail.
    public convenience init(configuration: KafkaProducerConfiguration, logger: Logger) throws(KafkaError) {
        try self.init(configuration: configuration, logger: logger, outcomes: nil, onFinish: nil, onFailure: nil)
    }

    /// A producer and the stream of outcomes of its ``sendWithoutWaiting(_:)`` messages, in the order
    /// librdkafka reports them (per partition: the order they were sent). The stream buffers without bound:
    /// consume it. It ends when the producer closes.
    public static func makeProducerWithDeliveryReports(
        configuration: KafkaProducerConfiguration, logger: Logger
    ) throws(KafkaError) -> (KafkaProducer, AsyncStream<DeliveryOutcome>) {
        let (stream, continuation) = AsyncStream.makeStream(of: DeliveryOutcome.self)
        let producer = try KafkaProducer(configuration: configuration, logger: logger,
                                         outcomes: { continuation.yield($0) }, onFinish: { continuation.finish() }, onFailure: nil)
        return (producer, stream)
    }

    /// A producer that shows every failed delivery to `onDeliveryFailure`, on the producer's polling thread,
    /// before the message's own outcome is reported: for callers that must react to the producer's state
    /// (replace it after an error it cannot recover from). The handler must be quick (it holds up every
    /// later report); it is not called after ``close(flushTimeout:)`` returns.
    public static func makeProducer(
        configuration: KafkaProducerConfiguration, logger: Logger,
        onDeliveryFailure: @escaping @Sendable (KafkaError) -> Void
    ) throws(KafkaError) -> KafkaProducer {
        try KafkaProducer(configuration: configuration, logger: logger, outcomes: nil, onFinish: nil, onFailure: onDeliveryFailure)
    }

    private init(configuration: KafkaProducerConfiguration, logger: Logger,
                 outcomes: (@Sendable (DeliveryOutcome) -> Void)?, onFinish: (@Sendable () -> Void)?,
                 onFailure: (@Sendable (KafkaError) -> Void)?) throws(KafkaError) {
        try LibraryVersion.requireSupported()
        let deliveries = DeliveryRegistry(outcomes: outcomes, onFinish: onFinish, onFailure: onFailure, logger: logger)
        let statistics = LatestStatistics()
        let onStatistics: (@Sendable (KafkaStatistics) -> Void)? = configuration.statisticsInterval == nil ? nil : { @Sendable report in statistics.store(report) }
        let handlers = RDKafkaEventHandlers(
            logger: logger,
            secretValues: configuration.kafka.secretValues,
            onDelivery: { deliveries.deliver($0) },
            onStatistics: onStatistics)
        let client = try RDKafkaClient(kind: .producer, properties: configuration.kafka.properties, handlers: handlers)
        self.client = client
        self.deliveries = deliveries
        self.latestStatistics = statistics
        self.logger = logger
        self.pollThread = RDKafkaServiceThread(name: "kafka-producer-poll", idle: .pollMainQueue(client))
        logger.debug("Kafka producer \(client.name) started", metadata: ["kafka.configuration": "\(configuration.kafka)"])
    }

    deinit {
        if lifecycle.isRunning && client.outstandingMessages > 0 {
            logger.error("Kafka producer \(client.name) released without close(): \(client.outstandingMessages) messages may not be delivered")
        }
        deliveries.finish()
        pollThread.requestStop()
    }

    /// Sends `message` and returns once the broker acknowledged it.
    ///
    /// Throws ``KafkaError/Code/queueFull`` at once when the local queue is full, ``KafkaError/Code/delivery``
    /// when the broker rejected it or `message.timeout.ms` passed, ``KafkaError/Code/closed`` after ``close(flushTimeout:)``.
    /// Cancelling the task does not recall a message already handed to librdkafka.
    public func send(_ message: KafkaProducerMessage) async throws(KafkaError) -> DeliveryReport {
        let id = sequence.add(1, ordering: .relaxed).newValue | DeliveryRegistry.awaitedFlag
        let result = await withCheckedContinuation { (waiter: DeliveryRegistry.Waiter) in
            guard deliveries.register(id, waiter) else {
                waiter.resume(returning: .failure(Self.closedError))
                return
            }
            do throws(KafkaError) {
                try client.produce(message, opaque: DeliveryRegistry.opaque(sequence: id))
            } catch {
                deliveries.unregister(id)?.resume(returning: .failure(error))
            }
        }
        return try result.get()
    }

    /// Enqueues `message` without waiting for the broker; its outcome goes to the delivery-report stream.
    ///
    /// Throws at once (nothing was enqueued) with ``KafkaError/Code/queueFull`` when the local queue is full
    /// (back off, or answer "too many requests"), ``KafkaError/Code/messageTooLarge``,
    /// ``KafkaError/Code/unknownTopic`` or ``KafkaError/Code/closed``.
    @discardableResult
    public func sendWithoutWaiting(_ message: KafkaProducerMessage) throws(KafkaError) -> DeliveryTicket {
        guard deliveries.isAccepting else { throw Self.closedError }
        let id = sequence.add(1, ordering: .relaxed).newValue
        try client.produce(message, opaque: DeliveryRegistry.opaque(sequence: id))
        return DeliveryTicket(rawValue: id)
    }

    /// Enqueues `messages` without waiting for the broker; their outcomes fill the returned group, whose
    /// `onComplete` runs once every message has one, on the thread that gave the last outcome (the polling
    /// thread, or this one for a message refused at once). No lookup or lock per message: the group is the
    /// cheap way to send many.
    ///
    /// A message refused at once (the cases ``sendWithoutWaiting(_:)`` throws for) gets that error as its
    /// outcome; the others are still sent. Every group completes by the time ``close(flushTimeout:)`` returns;
    /// a producer released without `close` leaves its outstanding groups incomplete.
    public func sendWithoutWaiting(_ messages: [KafkaProducerMessage],
                                   onComplete: (@Sendable (DeliveryGroup) -> Void)? = nil) -> DeliveryGroup {
        let count = messages.count
        let last = sequence.add(UInt64(count), ordering: .relaxed).newValue
        let group = DeliveryGroup(count: count, firstTicket: last &- UInt64(count) &+ 1, onComplete: onComplete)
        // Counted in before checking `accepting`, so close() either refuses this group or waits for it.
        groupSenders.add(1, ordering: .sequentiallyConsistent)
        defer { groupSenders.subtract(1, ordering: .sequentiallyConsistent) }
        let accepting = deliveries.isAccepting
        for index in 0 ..< count {
            guard accepting else {
                group.refuse(index, Self.closedError)
                continue
            }
            do throws(KafkaError) {
                try client.produce(messages[index], opaque: group.opaque(of: index))
            } catch {
                group.refuse(index, error)
            }
        }
        return group
    }

    /// Waits until every message sent so far was acknowledged or failed; throws ``KafkaError/Code/timeout``
    /// when some are still outstanding after `timeout`. Batches waiting for `linger.ms` are sent at once.
    public func flush(timeout: Duration) async throws(KafkaError) {
        try await pollThread.run { [client] () throws(KafkaError) in
            try client.flush(timeout: timeout)
        }
    }

    /// librdkafka's latest statistics report; `nil` until the first one, or when
    /// ``KafkaProducerConfiguration/statisticsInterval`` is not set.
    public var statistics: KafkaStatistics? { latestStatistics.value }

    /// Messages handed to librdkafka and not yet acknowledged or failed.
    public var outstandingMessages: Int { client.outstandingMessages }

    /// Non-awaited messages that failed while the producer had no delivery-report stream (each was logged as an error).
    public var unreportedDeliveryFailures: Int { deliveries.failuresWithoutStream }

    /// Stops accepting messages, waits up to `flushTimeout` for the outstanding ones, fails those still
    /// outstanding after it, and stops the polling thread. Idempotent; concurrent callers all return once done.
    public func close(flushTimeout: Duration = .seconds(10)) async {
        guard await lifecycle.beginClosing() else { return }
        deliveries.stopAccepting()
        while groupSenders.load(ordering: .sequentiallyConsistent) > 0 {
            await Task.yield()
        }
        do {
            try await flush(timeout: flushTimeout)
        } catch {
            logger.warning("Kafka producer closing with messages undelivered: \(error.message)")
            _ = try? await pollThread.run { [client] in
                client.purgeOutstandingMessages()
                // Serves the purged messages' delivery reports: each fails with a purge error.
                try? client.flush(timeout: .seconds(1))
            }
        }
        await pollThread.shutdown()
        deliveries.finish()
        lifecycle.finishClosing()
        logger.debug("Kafka producer \(client.name) closed")
    }

    /// Runs until graceful shutdown (or cancellation), then ``close(flushTimeout:)``.
    public func run() async throws {
        try? await gracefulShutdown()
        await close()
    }

    private static let closedError = KafkaError(code: .closed, message: "the producer is shut down")
}
