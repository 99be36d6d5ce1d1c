import Foundation
import Ingest
import Kafka
import Registry

/// `avrogate serve`'s options resolved against the environment and the configuration file.
struct ServeSettings {
    let command: ServeCommand
    let sources: ServeSettingSources

    func configuration() throws -> IngestConfiguration {
        guard let brokers = value(command.brokers, "brokers", "AVROGATE_BROKERS") else {
            throw CLIFailure(exitCode: 2, message: "no brokers: pass --brokers HOST:PORT, set AVROGATE_BROKERS, or put brokers= in the --config file")
        }
        guard let registry = value(command.registry, "registry", "AVROGATE_REGISTRY_URL") else {
            throw CLIFailure(exitCode: 2, message: "no registry: pass --registry URL, set AVROGATE_REGISTRY_URL, or put registry= in the --config file")
        }
        let (host, port) = try listenAddress()
        var configuration = IngestConfiguration(brokers: brokers, registryURLs: registry.split(separator: ",").map(String.init), host: host, port: port)
        configuration.registry.authentication = try registryAuthentication()
        configuration.registry.tls.caFile = value(command.registryCAFile, "registry-ca-file", "AVROGATE_REGISTRY_CA_FILE")
        if let strategy = value(command.subjectStrategy, "subject-strategy", "AVROGATE_SUBJECT_STRATEGY") {
            guard let parsed = SubjectNameStrategy(rawValue: strategy) else {
                throw CLIFailure(exitCode: 2, message: "--subject-strategy must be topic, record or topic-record, got \(strategy)")
            }
            configuration.subjectStrategy = parsed
        }
        configuration.valueRecordNames = try pairs(values(command.valueRecord, "value-record", "AVROGATE_VALUE_RECORD"), option: "--value-record", shape: "topic=record.FullName")
        configuration.keyFields = try pairs(values(command.keyField, "key-field", "AVROGATE_KEY_FIELD"), option: "--key-field", shape: "topic=field")
        configuration.limits.maxBodyBytes = try integer(command.maxBodyBytes, "max-body-bytes", "AVROGATE_MAX_BODY_BYTES") ?? configuration.limits.maxBodyBytes
        configuration.limits.maxBatchRecords = try integer(command.maxBatchRecords, "max-batch-records", "AVROGATE_MAX_BATCH_RECORDS") ?? configuration.limits.maxBatchRecords
        configuration.limits.maxDepth = try integer(command.maxDepth, "max-depth", "AVROGATE_MAX_DEPTH") ?? configuration.limits.maxDepth
        if let timeout = try integer(command.deliveryTimeoutMs, "delivery-timeout-ms", "AVROGATE_DELIVERY_TIMEOUT_MS") {
            configuration.deliveryTimeout = .milliseconds(timeout)
        }
        if let text = value(command.schemaCacheMs, "schema-cache-ms", "AVROGATE_SCHEMA_CACHE_MS") {
            guard let milliseconds = Int64(text), milliseconds >= 0 else {
                throw CLIFailure(exitCode: 2, message: "--schema-cache-ms must be a whole number of milliseconds, 0 or more, got \(text)")
            }
            configuration.registry.cache.subjectTTL = .milliseconds(milliseconds)
        }
        configuration.maxQueuedRecords = try integer(command.maxQueuedRecords, "max-queued-records", "AVROGATE_MAX_QUEUED_RECORDS") ?? configuration.maxQueuedRecords
        configuration.ignoreUnknownFields = command.ignoreUnknownFields
            || ["true", "1", "yes"].contains(value(nil, "ignore-unknown-fields", "AVROGATE_IGNORE_UNKNOWN_FIELDS")?.lowercased() ?? "")
        configuration.kafka = try kafka(brokers: brokers)
        configuration.apiKeys = try apiKeys()
        return configuration
    }

    private func value(_ flag: String?, _ key: String, _ environment: String) -> String? {
        sources.value(flag, key: key, environment: environment)
    }

    private func values(_ flags: [String], _ key: String, _ environment: String) -> [String] {
        sources.values(flags, key: key, environment: environment)
    }

    private func integer(_ flag: String?, _ key: String, _ environment: String) throws -> Int? {
        guard let text = value(flag, key, environment) else { return nil }
        guard let number = Int(text), number > 0 else {
            throw CLIFailure(exitCode: 2, message: "--\(key) must be a positive whole number, got \(text)")
        }
        return number
    }

    private func listenAddress() throws -> (String, Int) {
        let listen = value(command.listen, "listen", "AVROGATE_LISTEN") ?? "127.0.0.1:8080"
        let address = try ListenAddress(listen, option: "--listen")
        return (address.host, address.port)
    }

    private func registryAuthentication() throws -> SchemaRegistryClientConfiguration.Authentication {
        let token = value(command.registryToken, "registry-token", "AVROGATE_REGISTRY_TOKEN")
        let user = value(command.registryUser, "registry-user", "AVROGATE_REGISTRY_USER")
        switch (token, user) {
        case (let token?, nil): return .bearer(token: token)
        case (nil, let user?): return .basic(user: user, password: value(command.registryPassword, "registry-password", "AVROGATE_REGISTRY_PASSWORD") ?? "")
        case (nil, nil): return .none
        case (_?, _?): throw CLIFailure(exitCode: 2, message: "use either --registry-user and --registry-password or --registry-token, not both")
        }
    }

    /// Connection, security and tuning properties: the properties file, then `--kafka-property`,
    /// then the dedicated options.
    private func kafka(brokers: String) throws -> KafkaConfiguration {
        var kafka = KafkaConfiguration(bootstrapServers: brokers)
        do throws(KafkaError) {
            if let file = value(command.kafkaPropertiesFile, "kafka-properties-file", "AVROGATE_KAFKA_PROPERTIES_FILE") {
                try kafka.loadPropertiesFile(atPath: file)
            }
            try kafka.apply(propertyArguments: values(command.kafkaProperty, "kafka-property", "AVROGATE_KAFKA_PROPERTY"))
        } catch {
            throw CLIFailure(exitCode: 2, message: error.message)
        }
        kafka.bootstrapServers = brokers
        let dedicated: [(flag: String?, key: String, environment: String, property: String)] = [
            (command.compression, "compression", "AVROGATE_COMPRESSION", "compression.type"),
            (command.lingerMs, "linger-ms", "AVROGATE_LINGER_MS", "linger.ms"),
            (command.securityProtocol, "security-protocol", "AVROGATE_SECURITY_PROTOCOL", "security.protocol"),
            (command.saslMechanism, "sasl-mechanism", "AVROGATE_SASL_MECHANISM", "sasl.mechanism"),
            (command.saslUsername, "sasl-username", "AVROGATE_SASL_USERNAME", "sasl.username"),
            (command.saslPassword, "sasl-password", "AVROGATE_SASL_PASSWORD", "sasl.password"),
            (command.sslCaLocation, "ssl-ca-location", "AVROGATE_SSL_CA_LOCATION", "ssl.ca.location"),
        ]
        for setting in dedicated {
            if let value = value(setting.flag, setting.key, setting.environment) {
                kafka[setting.property] = value
            }
        }
        if let codec = kafka["compression.type"], KafkaProducerConfiguration.Compression(rawValue: codec) == nil {
            throw CLIFailure(exitCode: 2, message: "--compression must be none, gzip, snappy, lz4 or zstd, got \(codec)")
        }
        return kafka
    }

    private func apiKeys() throws -> APIKeys? {
        if let path = value(command.apiKeysFile, "api-keys-file", "AVROGATE_API_KEYS_FILE") {
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw CLIFailure(exitCode: 2, message: "cannot read API keys file \(path): \(error.localizedDescription)")
            }
            return try parseKeys(text, origin: path)
        }
        if let inline = sources.environment["AVROGATE_API_KEYS"], !inline.isEmpty {
            return try parseKeys(inline, origin: "$AVROGATE_API_KEYS")
        }
        return nil
    }

    private func parseKeys(_ text: String, origin: String) throws -> APIKeys {
        do {
            let keys = try APIKeys(parsing: text, origin: origin)
            guard !keys.keys.isEmpty else {
                throw CLIFailure(exitCode: 2, message: "\(origin) holds no API key: every request would be refused")
            }
            return keys
        } catch let error as APIKeysError {
            throw CLIFailure(exitCode: 2, message: error.message)
        }
    }

    private func pairs(_ arguments: [String], option: String, shape: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for argument in arguments {
            guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex, argument.index(after: equals) != argument.endIndex else {
                throw CLIFailure(exitCode: 2, message: "\(option) must be \(shape), got \(argument)")
            }
            result[String(argument[..<equals])] = String(argument[argument.index(after: equals)...])
        }
        return result
    }
}
