import Foundation
import Kafka
import Testing
import TestSupport

@Suite struct KafkaConfigurationTests {
    @Test func aPropertiesFileIsLoadedAndArgumentsOverrideIt() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName("client") + ".properties")
        try """
        # connection
        bootstrap.servers = broker-1:9092,broker-2:9092
        ! another comment style
        security.protocol: SASL_SSL
        sasl.mechanism=PLAIN
        sasl.password=p=ss:word

        client.id=from-file
        """.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }

        var configuration = KafkaConfiguration()
        try configuration.loadPropertiesFile(atPath: file.path)
        try configuration.apply(propertyArguments: ["client.id=from-argument", "linger.ms=20"])
        #expect(configuration.bootstrapServers == "broker-1:9092,broker-2:9092")
        #expect(configuration["security.protocol"] == "SASL_SSL")
        #expect(configuration["sasl.password"] == "p=ss:word")
        #expect(configuration.clientID == "from-argument")
        #expect(configuration["linger.ms"] == "20")
    }

    @Test func malformedPropertiesAreRejectedWithoutEchoingThem() throws {
        var configuration = KafkaConfiguration()
        let error = #expect(throws: KafkaError.self) { try configuration.apply(propertyArguments: ["no-equals-sign"]) }
        #expect(error?.code == .configuration)
        let fileError = #expect(throws: KafkaError.self) { _ = try KafkaConfiguration.parse(properties: "a=1\nhunter2\n", origin: "x.properties") }
        #expect(fileError?.code == .configuration)
        #expect(fileError?.message.contains("x.properties:2") == true)
        #expect(fileError?.message.contains("hunter2") == false)
    }

    @Test func secretsNeverAppearInTheDescription() {
        let configuration = KafkaConfiguration([
            "bootstrap.servers": "b:9092", "sasl.password": "hunter2", "ssl.key.password": "k3y",
            "sasl.oauthbearer.client.secret": "s3cret", "sasl.oauthbearer.config": "principal=x",
        ])
        for secret in ["hunter2", "k3y", "s3cret", "principal=x"] {
            #expect(!configuration.description.contains(secret))
        }
        #expect(configuration.description.contains("bootstrap.servers=b:9092"))
        #expect(KafkaConfiguration.isSecret("sasl.password"))
        #expect(!KafkaConfiguration.isSecret("sasl.mechanism"))
    }

    @Test func producerDefaultsAreDurableAndTypedSettingsWriteThrough() {
        var configuration = KafkaProducerConfiguration(kafka: KafkaConfiguration(["linger.ms": "50"]))
        #expect(configuration.kafka["acks"] == "all")
        #expect(configuration.kafka["enable.idempotence"] == "true")
        #expect(configuration.linger == .milliseconds(50), "a property already set is kept")
        configuration.compression = .zstd
        configuration.batchMessages = 1000
        #expect(configuration.kafka["compression.type"] == "zstd")
        #expect(configuration.kafka["batch.num.messages"] == "1000")

        let consumer = KafkaConsumerConfiguration(groupID: "g", topics: ["t"])
        #expect(consumer.kafka["enable.auto.offset.store"] == "false")
        #expect(consumer.kafka["group.id"] == "g")
    }

    @Test func anUnknownPropertyFailsClientCreationWithAConfigurationError() {
        let configuration = KafkaProducerConfiguration(kafka: KafkaConfiguration(["bootstrap.servers": "127.0.0.1:1", "no.such.property": "1"]))
        let error = #expect(throws: KafkaError.self) { _ = try KafkaProducer(configuration: configuration, logger: KafkaTestCluster.logger()) }
        #expect(error?.code == .configuration)
        #expect(error?.message.contains("no.such.property") == true)
    }

    @Test func aRejectedSecretPropertyIsNotEchoed() {
        let configuration = KafkaProducerConfiguration(kafka: KafkaConfiguration(["bootstrap.servers": "127.0.0.1:1", "sasl.oauthbearer.method": "hunter2"]))
        let error = #expect(throws: KafkaError.self) { _ = try KafkaProducer(configuration: configuration, logger: KafkaTestCluster.logger()) }
        #expect(error?.message.contains("hunter2") == false)
    }
}
