import Logging

/// An in-process fake Kafka cluster (librdkafka's mock cluster) for tests: real protocol, injectable failures.
public final class KafkaMockCluster: Sendable {
    /// A broker error a mock request can be made to fail with.
    public enum BrokerError: Sendable {
        /// `NOT_ENOUGH_REPLICAS`: retriable; the producer retries until `message.timeout.ms`.
        case notEnoughReplicas
        /// `REQUEST_TIMED_OUT`: retriable.
        case requestTimedOut
        /// `MESSAGE_TOO_LARGE`: not retriable; fails the batch at once.
        case messageTooLarge
        /// `TOPIC_AUTHORIZATION_FAILED`: not retriable.
        case topicAuthorizationFailed
    }

    private let cluster: RDKafkaMockCluster

    /// Starts a mock cluster of `brokers` brokers (ids 1…`brokers`) on loopback ports.
    public init(brokers: Int = 1, logger: Logger) throws(KafkaError) {
        cluster = try RDKafkaMockCluster(brokers: brokers, handlers: RDKafkaEventHandlers(logger: logger, secretValues: []))
    }

    /// The `bootstrap.servers` value that reaches the mock brokers.
    public var bootstrapServers: String { cluster.bootstrapServers }

    /// Creates a topic.
    public func createTopic(_ name: String, partitions: Int32 = 1, replicationFactor: Int32 = 1) throws(KafkaError) {
        try cluster.createTopic(name, partitions: partitions, replicationFactor: replicationFactor)
    }

    /// Makes the next `count` Produce requests fail with `error`.
    public func failProduceRequests(_ count: Int, with error: BrokerError) {
        cluster.failProduceRequests(count, with: error)
    }

    /// Takes broker `id` down (its connections close and it refuses new ones) or brings it back up.
    public func setBroker(_ id: Int32, up: Bool) {
        cluster.setBroker(id, up: up)
    }
}
