import Consumer
import ServiceLifecycle

/// A ``DecodingConsumer`` as a `Service`: graceful shutdown (SIGTERM, SIGINT) asks it to finish its batch,
/// commit and leave the group.
struct ConsumerService: Service {
    let consumer: DecodingConsumer

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await consumer.run()
        } onGracefulShutdown: {
            consumer.stop()
        }
    }
}
