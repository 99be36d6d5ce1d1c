import Logging

/// Cluster administration and inspection: topics, metadata, group offsets, watermarks, readiness.
///
/// Every operation is a blocking librdkafka request bounded by its `timeout`; it runs on the admin client's
/// own thread, never on a Swift concurrency executor.
public final class KafkaAdmin: Sendable {
    private let client: RDKafkaClient
    private let thread: RDKafkaServiceThread
    private let lifecycle = ClientLifecycle()
    private let logger: Logger

    /// An admin client for the cluster `configuration` points at (only connection and security properties matter).
    public init(configuration: KafkaConfiguration, logger: Logger) throws(KafkaError) {
        try LibraryVersion.requireSupported()
        var properties = configuration.properties
        // Inspecting a topic must never create it.
        properties["allow.auto.create.topics"] = "false"
        let client = try RDKafkaClient(
            kind: .producer, properties: properties,
            handlers: RDKafkaEventHandlers(logger: logger, secretValues: configuration.secretValues))
        self.client = client
        self.logger = logger
        self.thread = RDKafkaServiceThread(name: "kafka-admin", idle: .pollMainQueue(client))
    }

    deinit {
        thread.requestStop()
    }

    /// Checks that a broker answers a metadata request within `timeout` and returns the brokers it lists;
    /// throws ``KafkaError/Code/brokerUnavailable`` otherwise (for readiness checks).
    public func probe(timeout: Duration = .seconds(5)) async throws(KafkaError) -> ClusterDescription {
        try await thread.run { [client] () throws(KafkaError) in
            try client.metadata(allTopics: false, timeout: timeout).cluster
        }
    }

    /// Creates `topic`. Throws ``KafkaError/Code/topicAlreadyExists`` when it exists, unless `ifNotExists`;
    /// returns whether it was created.
    @discardableResult
    public func createTopic(_ topic: NewTopic, ifNotExists: Bool = false, timeout: Duration = .seconds(10)) async throws(KafkaError) -> Bool {
        do {
            try await thread.run { [client] () throws(KafkaError) in
                try client.createTopic(topic, timeout: timeout)
            }
            logger.info("Created topic \(topic.name) with \(topic.partitions) partitions")
            return true
        } catch where error.code == .topicAlreadyExists && ifNotExists {
            return false
        }
    }

    /// Every topic the cluster knows, by name.
    public func listTopics(timeout: Duration = .seconds(10)) async throws(KafkaError) -> [TopicDescription] {
        try await thread.run { [client] () throws(KafkaError) in
            try client.metadata(allTopics: true, timeout: timeout).topics.sorted { $0.name < $1.name }
        }
    }

    /// One topic; throws ``KafkaError/Code/unknownTopic`` when the cluster does not know it.
    public func describeTopic(_ name: String, timeout: Duration = .seconds(10)) async throws(KafkaError) -> TopicDescription {
        try await thread.run { [client] () throws(KafkaError) in
            try Self.describe(name, client: client, timeout: timeout)
        }
    }

    /// The offsets group `group` committed for the partitions of `topic` (the offset it resumes at),
    /// only for partitions with a commit.
    public func committedOffsets(group: String, topic: String, timeout: Duration = .seconds(10)) async throws(KafkaError) -> [Int32: Int64] {
        try await thread.run { [client] () throws(KafkaError) in
            let partitions = try Self.describe(topic, client: client, timeout: timeout).partitions
                .map { TopicPartition(topic: topic, partition: $0.id) }
            let offsets = try client.committedOffsets(group: group, partitions: partitions, timeout: timeout)
            return offsets.reduce(into: [:]) { result, entry in
                if entry.key.topic == topic && entry.value >= 0 {
                    result[entry.key.partition] = entry.value
                }
            }
        }
    }

    /// The high watermark (the offset the next record will get) of each partition of `topic`.
    public func highWatermarks(topic: String, timeout: Duration = .seconds(10)) async throws(KafkaError) -> [Int32: Int64] {
        try await thread.run { [client] () throws(KafkaError) in
            var watermarks: [Int32: Int64] = [:]
            for partition in try Self.describe(topic, client: client, timeout: timeout).partitions {
                watermarks[partition.id] = try client.watermarks(of: TopicPartition(topic: topic, partition: partition.id), timeout: timeout).high
            }
            return watermarks
        }
    }

    /// Stops the admin client's thread. Idempotent.
    public func close() async {
        guard await lifecycle.beginClosing() else { return }
        await thread.shutdown()
        lifecycle.finishClosing()
    }

    private static func describe(_ name: String, client: RDKafkaClient, timeout: Duration) throws(KafkaError) -> TopicDescription {
        guard let topic = try client.metadata(allTopics: true, timeout: timeout).topics.first(where: { $0.name == name }) else {
            throw KafkaError(code: .unknownTopic, message: "topic \(name) does not exist")
        }
        return topic
    }
}
