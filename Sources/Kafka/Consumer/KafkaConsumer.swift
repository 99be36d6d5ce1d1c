import Logging
import ServiceLifecycle

/// A member of a consumer group reading a list of topics, at least once (or, with an explicit
/// ``KafkaConsumerConfiguration/assignment``, a plain reader of given partitions).
///
/// Read batches with ``nextBatch(maxMessages:timeout:)`` (runs on the consumer's own thread) or, from a
/// thread of your own, the blocking ``poll(maxMessages:timeout:)`` — not both. After processing records,
/// mark them with ``storeOffset(_:)``; stored offsets are committed every `auto.commit.interval.ms`, when
/// partitions are revoked, on ``commit()`` and on ``close()``. A record that was not stored is read again
/// by whoever owns its partition next. Rebalances arrive on ``events`` and, synchronously before offsets are
/// committed, on the configuration's ``KafkaConsumerConfiguration/rebalanceHandler``.
public final class KafkaConsumer: Service, Sendable {
    /// `RD_KAFKA_OFFSET_BEGINNING`, for ``seek(topic:partition:offset:timeout:)``.
    public static let offsetBeginning: Int64 = -2
    /// `RD_KAFKA_OFFSET_END`, for ``seek(topic:partition:offset:timeout:)``.
    public static let offsetEnd: Int64 = -1

    /// Rebalances and non-fatal errors, newest 1,000 kept when nobody reads them. Ends on ``close()``.
    public let events: AsyncStream<KafkaConsumerEvent>
    /// The group this consumer belongs to.
    public let groupID: String

    private let client: RDKafkaClient
    private let thread: RDKafkaServiceThread
    private let lifecycle = ClientLifecycle()
    private let eventSink: AsyncStream<KafkaConsumerEvent>.Continuation
    private let logger: Logger

    /// Creates the consumer and subscribes it to the configuration's topics (it joins the group on its first
    /// poll), or assigns it the configuration's partitions.
    public init(configuration: KafkaConsumerConfiguration, logger: Logger) throws(KafkaError) {
        try LibraryVersion.requireSupported()
        let (events, eventSink) = AsyncStream.makeStream(of: KafkaConsumerEvent.self, bufferingPolicy: .bufferingNewest(1000))
        let userHandler = configuration.rebalanceHandler
        let handlers = RDKafkaEventHandlers(
            logger: logger,
            secretValues: configuration.kafka.secretValues,
            onRebalance: { event in
                eventSink.yield(event)
                userHandler?(event)
            })
        let client = try RDKafkaClient(kind: .consumer, properties: configuration.kafka.properties, handlers: handlers)
        if let assignment = configuration.assignment {
            try client.assign(assignment)
        } else {
            try client.subscribe(configuration.topics)
        }
        self.events = events
        self.eventSink = eventSink
        self.groupID = configuration.groupID
        self.client = client
        self.logger = logger
        self.thread = RDKafkaServiceThread(name: "kafka-consumer", idle: .waitForJobs)
        logger.debug("Kafka consumer \(client.name) started", metadata: ["kafka.configuration": "\(configuration.kafka)"])
    }

    deinit {
        eventSink.finish()
        thread.requestStop()
    }

    /// Up to `maxMessages` records, waiting up to `timeout` for the first; empty when none came.
    /// Blocks the calling thread: call it from a thread of your own, never from a Swift concurrency task.
    /// Rebalances are served inside this call. Throws ``KafkaError/Code/fatal`` or ``KafkaError/Code/closed``.
    public func poll(maxMessages: Int = 1000, timeout: Duration) throws(KafkaError) -> [KafkaConsumerMessage] {
        try pollRaw(maxMessages: maxMessages, timeout: timeout).messages
    }

    /// ``poll(maxMessages:timeout:)`` without copying the records out of librdkafka's buffers. With a zero
    /// `timeout` it takes only what the client has already fetched and does not block, so a task may call it:
    /// a rebalance served inside only changes the assignment when `enable.auto.commit` is on (the default;
    /// librdkafka then commits the stored offsets of partitions taken away by itself).
    public func pollRaw(maxMessages: Int = 1000, timeout: Duration) throws(KafkaError) -> KafkaConsumerBatch {
        guard lifecycle.isRunning else { throw KafkaError(code: .closed, message: "the consumer is closed") }
        let batch = try client.consumeBatch(maxMessages: maxMessages, timeout: timeout)
        for error in batch.errors {
            logger.warning("Kafka consumer: \(error.message)")
            eventSink.yield(.error(code: error.code, message: error.message))
        }
        return KafkaConsumerBatch(storage: batch.messages)
    }

    /// ``poll(maxMessages:timeout:)`` run on the consumer's own thread.
    public func nextBatch(maxMessages: Int = 1000, timeout: Duration) async throws(KafkaError) -> [KafkaConsumerMessage] {
        try await nextRawBatch(maxMessages: maxMessages, timeout: timeout).messages
    }

    /// ``pollRaw(maxMessages:timeout:)`` run on the consumer's own thread: the records read in place.
    public func nextRawBatch(maxMessages: Int = 1000, timeout: Duration) async throws(KafkaError) -> KafkaConsumerBatch {
        try await thread.run { () throws(KafkaError) in
            try self.pollRaw(maxMessages: maxMessages, timeout: timeout)
        }
    }

    /// Marks `message` and every earlier record of its partition as processed.
    public func storeOffset(_ message: KafkaConsumerMessage) throws(KafkaError) {
        try storeOffset(topic: message.topic, partition: message.partition, offset: message.offset)
    }

    /// Marks `record` and every earlier record of its partition as processed.
    public func storeOffset(_ record: KafkaConsumerRecord) throws(KafkaError) {
        try storeOffset(topic: record.topic, partition: record.partition, offset: record.offset)
    }

    /// Marks every record of a batch as processed (the highest offset of each partition).
    public func storeOffsets(_ messages: [KafkaConsumerMessage]) throws(KafkaError) {
        var highest: [TopicPartition: Int64] = [:]
        for message in messages {
            highest[message.topicPartition] = max(highest[message.topicPartition] ?? -1, message.offset)
        }
        guard !highest.isEmpty else { return }
        try client.storeOffsets(highest.map { ($0.key, $0.value + 1) })
    }

    /// Marks the record at `offset` of `topic`/`partition`, and every earlier one, as processed: the group
    /// resumes that partition at `offset + 1`. Throws when the partition is not assigned to this consumer.
    public func storeOffset(topic: String, partition: Int32, offset: Int64) throws(KafkaError) {
        try client.storeOffsets([(TopicPartition(topic: topic, partition: partition), offset + 1)])
    }

    /// Commits the stored offsets now and waits for the broker's answer.
    public func commit() async throws(KafkaError) {
        try await thread.run { [client] () throws(KafkaError) in
            try client.commitStoredOffsets()
        }
    }

    /// The offsets the group committed for `partitions` (the offset it resumes at; `-1001` where none).
    public func committedOffsets(for partitions: [TopicPartition], timeout: Duration = .seconds(10)) async throws(KafkaError) -> [TopicPartition: Int64] {
        try await thread.run { [client] () throws(KafkaError) in
            try client.committed(partitions, timeout: timeout)
        }
    }

    /// The partitions currently assigned to this consumer.
    public func assignment() throws(KafkaError) -> [TopicPartition] {
        try client.assignment()
    }

    /// Stops fetching from `partitions` (assigned ones) until ``resume(_:)``; the consumer stays in the group.
    public func pause(_ partitions: [TopicPartition]) throws(KafkaError) {
        try client.setPaused(true, partitions)
    }

    /// Fetches from paused `partitions` again.
    public func resume(_ partitions: [TopicPartition]) throws(KafkaError) {
        try client.setPaused(false, partitions)
    }

    /// Moves the read position of an assigned partition to `offset` (or ``offsetBeginning`` / ``offsetEnd``).
    public func seek(topic: String, partition: Int32, offset: Int64, timeout: Duration = .seconds(10)) async throws(KafkaError) {
        try await thread.run { [client] () throws(KafkaError) in
            try client.seek(TopicPartition(topic: topic, partition: partition), to: offset, timeout: timeout)
        }
    }

    /// Leaves the group: commits the stored offsets (on revoke), leaves, and stops the consumer's thread.
    /// Idempotent; concurrent callers all return once it is done.
    public func close() async {
        guard await lifecycle.beginClosing() else { return }
        client.wakeConsumer()
        do {
            try await thread.run { [client] () throws(KafkaError) in
                try client.closeConsumer()
            }
        } catch {
            logger.warning("Kafka consumer close: \(error.message)")
        }
        await thread.shutdown()
        eventSink.finish()
        lifecycle.finishClosing()
        logger.debug("Kafka consumer \(client.name) closed")
    }

    /// Runs until graceful shutdown (or cancellation), then ``close()``. Polling is up to the caller.
    public func run() async throws {
        try? await gracefulShutdown()
        await close()
    }
}
