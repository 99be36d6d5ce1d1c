import Foundation
import Kafka
import Logging

/// Helpers for tests that talk to the test run's broker (see ``TestEnvironment/brokers()``).
public enum KafkaTestCluster {
    /// A logger for tests: warnings and worse, unless `AVROGATE_TEST_LOG_LEVEL` says otherwise.
    public static func logger(_ label: String = "avrogate.tests") -> Logger {
        var logger = Logger(label: label)
        let level = ProcessInfo.processInfo.environment["AVROGATE_TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:))
        logger.logLevel = level ?? .warning
        return logger
    }

    /// Connection properties for the test broker.
    public static func configuration() throws -> KafkaConfiguration {
        KafkaConfiguration(bootstrapServers: try TestEnvironment.brokers())
    }

    /// A consumer configuration for the test broker with the short group timeouts Tansu needs: it holds a
    /// join for the whole rebalance timeout (`max.poll.interval.ms`), so joins take ~3 s instead of minutes.
    public static func consumerConfiguration(group: String, topics: [String]) throws -> KafkaConsumerConfiguration {
        var configuration = KafkaConsumerConfiguration(groupID: group, topics: topics, kafka: try Self.configuration())
        configuration.sessionTimeout = .seconds(6)
        configuration.maxPollInterval = .seconds(7)
        configuration.kafka["heartbeat.interval.ms"] = "1000"
        return configuration
    }

    /// Creates a topic with a fresh name starting with `prefix` and returns its name.
    public static func createTopic(_ prefix: String, partitions: Int32 = 1, configs: [String: String] = [:]) async throws -> String {
        let name = TestEnvironment.uniqueName(prefix)
        let admin = try KafkaAdmin(configuration: try configuration(), logger: logger())
        try await admin.createTopic(NewTopic(name: name, partitions: partitions, configs: configs))
        await admin.close()
        return name
    }
}
