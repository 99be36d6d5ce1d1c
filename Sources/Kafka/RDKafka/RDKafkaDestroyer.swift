import Foundation

/// Runs librdkafka's blocking teardown (`rd_kafka_destroy` joins every broker thread, which can take a
/// second against an unreachable broker) on a short-lived thread of its own, so that dropping the last
/// reference to a client from a Swift concurrency task never blocks its executor.
enum RDKafkaDestroyer {
    /// Wraps the pointers to tear down. `@unchecked Sendable`: after `deinit` hands them over, nothing else uses them.
    struct Pointers: @unchecked Sendable {
        let pointers: [OpaquePointer]
    }

    static func destroy(_ pointers: Pointers, keepingAlive owner: (any Sendable)?, _ teardown: @escaping @Sendable (Pointers) -> Void) {
        let thread = Thread {
            teardown(pointers)
            // The callbacks' target must outlive the teardown, which may still call them.
            withExtendedLifetime(owner) {}
        }
        thread.name = "kafka-destroy"
        thread.start()
    }
}
