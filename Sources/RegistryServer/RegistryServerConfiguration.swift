import Avro
import Kafka

/// How a ``RegistryServer`` listens and where it keeps its state.
public struct RegistryServerConfiguration: Sendable {
    /// The address to bind; loopback unless exposing the registry is intended.
    public var host: String
    /// The port to bind; 0 picks a free one (``RegistryServer/start()`` returns it).
    public var port: Int
    /// The Kafka cluster (`bootstrap.servers`) and any client properties (security, tuning).
    public var kafka: KafkaConfiguration
    /// The topic holding the registry's records, Confluent's `_schemas` by default.
    public var topic: String
    /// The users allowed in with HTTP basic authentication; `nil` turns authentication off.
    public var users: RegistryUsers?
    /// The `error_code` of incompatible-schema errors: 409 as Confluent answered before 7.x, or its newer 40901.
    public var incompatibleErrorCode: Int
    /// The compatibility level when no config sets one.
    public var defaultCompatibility: CompatibilityLevel

    /// A configuration for the cluster at `brokers` (`host:port[,host:port…]`).
    public init(
        brokers: String, host: String = "127.0.0.1", port: Int = 8081, topic: String = "_schemas",
        users: RegistryUsers? = nil, incompatibleErrorCode: Int = 409, defaultCompatibility: CompatibilityLevel = .backward
    ) {
        self.host = host
        self.port = port
        self.kafka = KafkaConfiguration(bootstrapServers: brokers)
        self.topic = topic
        self.users = users
        self.incompatibleErrorCode = incompatibleErrorCode
        self.defaultCompatibility = defaultCompatibility
    }
}
