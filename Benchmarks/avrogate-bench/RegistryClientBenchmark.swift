import ArgumentParser
import Avro
import Foundation
import Registry

/// `avrogate-bench registry --registry URL`: the registry client's throughput against a running
/// registry: registrations, uncached schema fetches, and cached lookups by id and by schema.
struct RegistryClientBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "Registry client throughput: registrations/s, uncached GET /schemas/ids/{id}/s, cached lookups/s."
    )

    @Option(name: .long, help: "The registry URL (e.g. one `avrogate registry serve` listens on).")
    var registry: String

    @Option(name: .long, help: "Seconds each measurement runs.")
    var seconds: Double = 3

    @Option(name: .long, help: "Concurrent callers (and client connections).")
    var concurrency: Int = 4

    @Option(name: .long, help: "Schemas to register, each a new version of one subject.")
    var schemas: Int = 200

    func run() async throws {
        let configuration = SchemaRegistryClientConfiguration(urls: [registry], maxConnections: concurrency)
        let client = try SchemaRegistryClient(configuration: configuration)
        let subject = "bench-\(UInt32.random(in: 0 ... .max))-value"
        // Every schema is a new version: no compatibility rule should reject or slow them.
        try await client.setCompatibilityLevel(.none, subject: subject)

        let texts = (0 ..< schemas).map { #"{"type":"record","name":"Bench","namespace":"avrogate.bench","fields":[{"name":"f\#($0)","type":"long"}]}"# }
        let start = ContinuousClock.now
        var ids: [Int] = []
        for text in texts {
            ids.append(try await client.register(subject: subject, schema: text))
        }
        report("registrations (sequential)", count: texts.count, elapsed: ContinuousClock.now - start)
        let registered = ids

        let uncached = try await measure { worker, iteration in
            // A fresh client per pass over the ids, so every fetch is a request.
            let index = iteration % registered.count
            _ = try await worker.client(for: iteration / registered.count, configuration: configuration).schema(id: registered[index])
        }
        report("uncached schema(id:) → GET /schemas/ids/{id}", count: uncached.count, elapsed: uncached.elapsed)

        let id = ids[0]
        _ = try await client.schema(id: id)
        let byID = try await measure { _, _ in _ = try await client.schema(id: id) }
        report("cached schema(id:)", count: byID.count, elapsed: byID.elapsed)

        let schema = try AvroSchema(parsing: texts[0])
        _ = try await client.lookup(subject: subject, schema: schema)
        let bySchema = try await measure { _, _ in _ = try await client.lookup(subject: subject, schema: schema) }
        report("cached lookup(subject:schema:)", count: bySchema.count, elapsed: bySchema.elapsed)

        try await client.deleteSubject(subject)
        try await client.deleteSubject(subject, permanent: true)
    }

    /// Runs `operation` from `concurrency` tasks for `seconds`; returns the operations done.
    private func measure(_ operation: @escaping @Sendable (Worker, Int) async throws -> Void) async throws -> (count: Int, elapsed: Duration) {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        let start = ContinuousClock.now
        let count = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0 ..< concurrency {
                group.addTask {
                    let worker = Worker()
                    var done = 0
                    while ContinuousClock.now < deadline {
                        try await operation(worker, done)
                        done += 1
                    }
                    return done
                }
            }
            return try await group.reduce(0, +)
        }
        return (count, ContinuousClock.now - start)
    }

    private func report(_ name: String, count: Int, elapsed: Duration) {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = Double(count) / max(seconds, 1e-9)
        print("\(name): \(Int(rate.rounded()))/s (\(count) in \(String(format: "%.2f", seconds)) s)")
    }
}

/// One benchmark task's state: the fresh client of the uncached measurement.
private final class Worker: @unchecked Sendable {
    // @unchecked: a Worker is used by the one task that made it.
    private var current: (pass: Int, client: SchemaRegistryClient)?

    func client(for pass: Int, configuration: SchemaRegistryClientConfiguration) throws -> SchemaRegistryClient {
        if let current, current.pass == pass { return current.client }
        var single = configuration
        single.maxConnections = 1
        let client = try SchemaRegistryClient(configuration: single)
        current = (pass, client)
        return client
    }
}
