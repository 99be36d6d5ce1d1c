import ArgumentParser

/// `avrogate-bench`: the performance checks, one subcommand per part of the system.
struct AvrogateBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "avrogate-bench",
        abstract: "avrogate's benchmarks.",
        subcommands: [KafkaBenchmark.self, RegistryClientBenchmark.self, AvroBenchmark.self, IngestBenchmark.self, ConsumeBenchmark.self])

    /// Top-level code resolves `main()` to ParsableCommand's synchronous one; from an `async` function the
    /// async one wins, which async subcommands need.
    static func start() async {
        await main()
    }
}

await AvrogateBench.start()
