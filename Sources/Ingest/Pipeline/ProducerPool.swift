import Kafka
import Logging
import Synchronization

/// The gateway's producer, replaced by a fresh one when librdkafka reports an error the producer cannot
/// recover from by itself: its idempotence state is broken (fenced, unknown producer id, invalid epoch,
/// out-of-order sequence) or it raised a fatal error. Without this, one broker hiccup that breaks the
/// producer id would fail every later request until a restart.
///
/// Each producer is a *generation*: its delivery reports keep filling their requests' delivery groups after
/// it is retired (a retired producer is closed: what it still held fails with a purge error, so every
/// request gets an answer for every record).
final class ProducerPool: Sendable {
    /// One producer; its delivery reports fill their groups on its polling thread as they come.
    struct Generation: Sendable {
        let number: Int
        let producer: KafkaProducer
    }

    private struct State {
        var current: Generation?
        var retired: [Generation] = []
        var replacements = 0
        var closed = false
    }

    private let state = Mutex(State())
    private let configuration: KafkaProducerConfiguration
    private let onReplacement: @Sendable (KafkaError) -> Void
    private let logger: Logger

    /// librdkafka codes after which a non-transactional idempotent producer stays broken: `_FATAL`,
    /// OUT_OF_ORDER_SEQUENCE_NUMBER, INVALID_PRODUCER_EPOCH, INVALID_PRODUCER_ID_MAPPING, UNKNOWN_PRODUCER_ID,
    /// PRODUCER_FENCED.
    static let unrecoverableCodes: Set<Int32> = [-150, 45, 47, 49, 59, 90]

    /// Starts the first producer.
    init(configuration: KafkaProducerConfiguration, logger: Logger,
         onReplacement: @escaping @Sendable (KafkaError) -> Void) throws(KafkaError) {
        self.configuration = configuration
        self.logger = logger
        self.onReplacement = onReplacement
        let first = try makeGeneration(number: 0)
        state.withLock { $0.current = first }
    }

    /// The producer new records go to.
    var current: Generation {
        state.withLock { $0.current! }
    }

    /// How many times the producer was replaced.
    var replacements: Int { state.withLock { $0.replacements } }

    private func makeGeneration(number: Int) throws(KafkaError) -> Generation {
        let producer = try KafkaProducer.makeProducer(configuration: configuration, logger: logger) { [weak self] error in
            if let code = error.librdkafkaCode, Self.unrecoverableCodes.contains(code) {
                self?.replace(number, because: error)
            }
        }
        return Generation(number: number, producer: producer)
    }

    /// Replaces generation `number` if it is still the current one (its other failures, arriving later,
    /// change nothing), and closes it in the background.
    private func replace(_ number: Int, because error: KafkaError) {
        let retired: Generation? = state.withLock { state -> Generation? in
            guard !state.closed, let current = state.current, current.number == number else { return nil }
            do {
                state.current = try makeGeneration(number: number + 1)
            } catch {
                logger.error("Cannot replace the broken Kafka producer: \(error)")
                return nil
            }
            state.retired.append(current)
            state.replacements += 1
            return current
        }
        guard let retired else { return }
        logger.warning("Replacing the Kafka producer after an error it cannot recover from: \(error.message)")
        onReplacement(error)
        Task { await retired.producer.close(flushTimeout: .seconds(1)) }
    }

    /// Closes every producer (the current one gets `flushTimeout` to have its records acknowledged); once
    /// it returns, every report reached its request. Idempotent.
    func close(flushTimeout: Duration) async {
        let generations: [Generation] = state.withLock { state in
            state.closed = true
            return (state.current.map { [$0] } ?? []) + state.retired
        }
        for generation in generations {
            await generation.producer.close(flushTimeout: flushTimeout)
        }
    }
}
