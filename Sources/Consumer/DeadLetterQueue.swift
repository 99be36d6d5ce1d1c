import Kafka
import Logging

/// Sends dead letters and waits until the broker acknowledged every one of them, so the consumer only
/// stores the offsets of records that are safe somewhere. Owned by the consumer's loop (not shared).
struct DeadLetterQueue {
    private let producer: KafkaProducer
    private var outcomes: AsyncStream<DeliveryOutcome>.Iterator
    private let admin: KafkaAdmin
    private var knownTopics: Set<String> = []
    private let logger: Logger

    /// A producer for the cluster `kafka` points at, with `acks=all` and idempotence (the producer's defaults).
    init(kafka: KafkaConfiguration, logger: Logger) throws(KafkaError) {
        let properties = kafka.connectionProperties
        var configuration = KafkaProducerConfiguration(kafka: properties)
        configuration.messageTimeout = .seconds(30)
        let (producer, outcomes) = try KafkaProducer.makeProducerWithDeliveryReports(configuration: configuration, logger: logger)
        self.producer = producer
        self.outcomes = outcomes.makeAsyncIterator()
        self.admin = try KafkaAdmin(configuration: properties, logger: logger)
        self.logger = logger
    }

    /// Sends `letters` in order and returns once all were acknowledged; throws the first failure.
    mutating func send(_ letters: [DeadLetter]) async throws(DecodingConsumerError) {
        for topic in Set(letters.map(\.topic)) where !knownTopics.contains(topic) {
            await ensureTopic(topic)
        }
        var waiting: Set<DeliveryTicket> = []
        for letter in letters {
            do {
                waiting.insert(try producer.sendWithoutWaiting(letter.message))
            } catch {
                throw .deadLetter(error)
            }
        }
        var firstFailure: KafkaError?
        while !waiting.isEmpty, let outcome = await outcomes.next() {
            guard waiting.remove(outcome.ticket) != nil else { continue }
            if case .failure(let error) = outcome.result, firstFailure == nil { firstFailure = error }
        }
        if let firstFailure { throw .deadLetter(firstFailure) }
        if !waiting.isEmpty { throw .deadLetter(KafkaError(code: .closed, message: "the dead-letter producer stopped before \(waiting.count) records were acknowledged")) }
    }

    /// Flushes what is outstanding and stops the producer.
    func shutdown() async {
        await producer.close()
        await admin.close()
    }

    /// Creates a missing dead-letter topic (one partition) rather than relying on the broker's auto-creation;
    /// when that is not allowed, sending tells whether the topic exists.
    private mutating func ensureTopic(_ topic: String) async {
        do {
            if try await admin.createTopic(NewTopic(name: topic), ifNotExists: true) {
                logger.info("Created dead-letter topic \(topic)")
            }
        } catch {
            logger.warning("Cannot create dead-letter topic \(topic): \(error.message)")
        }
        knownTopics.insert(topic)
    }
}

extension KafkaConfiguration {
    /// The properties without the consumer-only ones, for the producer and admin clients a consumer makes
    /// (librdkafka warns about consumer properties given to them).
    var connectionProperties: KafkaConfiguration {
        var properties = KafkaConfiguration()
        for (key, value) in self.properties where !Self.isConsumerProperty(key) {
            properties[key] = value
        }
        return properties
    }

    private static func isConsumerProperty(_ key: String) -> Bool {
        key.hasPrefix("group.") || key.hasPrefix("auto.") || key.hasPrefix("enable.auto.") || key.hasPrefix("fetch.")
            || key.hasPrefix("queued.") || key.hasPrefix("partition.assignment") || key.hasPrefix("isolation.")
            || ["session.timeout.ms", "heartbeat.interval.ms", "max.poll.interval.ms", "enable.partition.eof", "check.crcs",
                "coordinator.query.interval.ms", "consume.callback.max.messages", "offset.store.method"].contains(key)
    }
}
