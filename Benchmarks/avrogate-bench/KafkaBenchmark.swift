import ArgumentParser
import Foundation
import Kafka
import Logging

/// `avrogate-bench kafka --brokers HOST:PORT`: `KafkaProducer` against librdkafka's C API used directly,
/// same configuration, same broker: throughput of non-awaiting sends plus flush, the CPU cost of one send,
/// then send → acknowledgement latency at a moderate, paced rate. Every run uses a fresh topic and a fresh
/// producer, warmed up by one acknowledged message (connection and producer id are not measured), and raw
/// and KafkaProducer runs alternate ABBA, since the broker slows as it fills.
struct KafkaBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafka",
        abstract: "Producer throughput and latency: avrogate's KafkaProducer vs. raw librdkafka.")

    @Option(help: "The Kafka bootstrap servers.")
    var brokers: String

    @Option(help: "Messages per throughput run.")
    var count = 1_000_000

    @Option(help: "Payload bytes per message.")
    var size = 200

    @Option(help: "Partitions of each fresh topic.")
    var partitions: Int32 = 1

    @Option(help: "linger.ms, for both producers.")
    var lingerMs = 5

    @Option(help: "Throughput runs per producer, in ABBA order (the broker slows as it fills); medians are compared.")
    var rounds = 2

    @Option(help: "Messages per enqueue-cost run (sent to an unreachable broker: nothing drains the queue).")
    var enqueueCount = 500_000

    @Option(help: "Messages per second in the latency runs.")
    var rate = 2000

    @Option(help: "Seconds each latency run lasts.")
    var seconds = 5

    @Option(name: .customLong("kafka-property"), help: "Extra librdkafka property key=value for both producers (repeatable).")
    var kafkaProperties: [String] = []

    @Flag(help: "Exit with failure when a target is missed (KafkaProducer ≥ 90 % of raw throughput, p99 within 2 ms of raw). Needs a quiet machine.")
    var enforce = false

    /// The targets this benchmark checks.
    static let minimumThroughputRatio = 0.9
    static let maximumP99Difference = Duration.milliseconds(2)

    func run() async throws {
        var logger = Logger(label: "avrogate-bench")
        logger.logLevel = .warning
        var kafka = KafkaConfiguration(bootstrapServers: brokers)
        try kafka.apply(propertyArguments: kafkaProperties)
        var producerConfiguration = KafkaProducerConfiguration(kafka: kafka)
        producerConfiguration.linger = .milliseconds(lingerMs)
        let properties = producerConfiguration.kafka.properties
        let payloads = (0..<1024).map { seed in (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ seed) } }

        print("avrogate-bench kafka: librdkafka \(LibraryVersion.loadedString), brokers \(brokers), \(count) × \(size) B, partitions \(partitions)")
        print("  config: \(producerConfiguration.kafka)")
        let admin = try KafkaAdmin(configuration: kafka, logger: logger)
        func freshTopic(_ label: String) async throws -> String {
            let name = "bench-\(label)-\(UInt32.random(in: 0 ... .max))"
            try await admin.createTopic(NewTopic(name: name, partitions: partitions))
            return name
        }

        print("\nthroughput: non-awaiting send of every message, then flush")
        var raw: [KafkaThroughputResult] = [], ours: [KafkaThroughputResult] = []
        for round in 0..<rounds {
            for runRawFirst in round.isMultiple(of: 2) ? [true, false] : [false, true] {
                if runRawFirst {
                    raw.append(try await rawThroughput(topic: try await freshTopic("raw"), properties: properties, payloads: payloads))
                    print("  raw librdkafka  \(raw.last!.formatted(size: size))")
                } else {
                    ours.append(try await ourThroughput(topic: try await freshTopic("ours"), configuration: producerConfiguration, payloads: payloads, logger: logger))
                    print("  KafkaProducer   \(ours.last!.formatted(size: size))")
                }
            }
        }
        let medianRaw = median(raw.map(\.messagesPerSecond)), medianOurs = median(ours.map(\.messagesPerSecond))
        print(String(format: "  median: raw %.0f msgs/s (%.1f MB/s), KafkaProducer %.0f msgs/s (%.1f MB/s)",
                     medianRaw, medianRaw * Double(size) / 1e6, medianOurs, medianOurs * Double(size) / 1e6))
        print(String(format: "  ratio KafkaProducer / raw: %.1f %% (target ≥ 90 %%)", 100 * medianOurs / medianRaw))
        let rawCPU = median(raw.map { Double($0.cpuNanoseconds) / Double($0.messages) }), ourCPU = median(ours.map { Double($0.cpuNanoseconds) / Double($0.messages) })
        print(String(format: "  client CPU per message (median): raw %.2f µs, KafkaProducer %.2f µs (%+.1f %%)", rawCPU / 1000, ourCPU / 1000, 100 * (ourCPU - rawCPU) / rawCPU))

        // The broker's own speed varies a lot between runs on a shared machine; the CPU cost of one send does not.
        print("\nenqueue cost: CPU time of the sending thread, \(enqueueCount) non-awaiting sends into a queue nothing drains (bootstrap 127.0.0.1:1), ABBA")
        var unreachable = properties
        unreachable["bootstrap.servers"] = "127.0.0.1:1"
        unreachable["queue.buffering.max.messages"] = String(enqueueCount + 1)
        unreachable["queue.buffering.max.kbytes"] = "2097151"
        var rawCosts: [Double] = [], ourCosts: [Double] = []
        for runRaw in [true, false, false, true] {
            if runRaw {
                rawCosts.append(try await rawEnqueueCost(properties: unreachable, payloads: payloads))
            } else {
                ourCosts.append(try await ourEnqueueCost(properties: unreachable, payloads: payloads))
            }
        }
        let rawCost = median(rawCosts), ourCost = median(ourCosts)
        print(String(format: "  raw librdkafka  %6.0f ns/send   KafkaProducer %6.0f ns/send   (KafkaProducer adds %+.0f ns, %+.1f %%)",
                     rawCost, ourCost, ourCost - rawCost, 100 * (ourCost - rawCost) / rawCost))

        // ABBA again, each run half the time, samples pooled per producer.
        let messages = rate * seconds / 2
        print("\nlatency: \(rate) msgs/s for \(seconds) s (two runs each, ABBA), send → acknowledgement (each send awaited)")
        var rawSamples: [KafkaLatencySamples] = [], ourSamples: [KafkaLatencySamples] = []
        for runRaw in [true, false, false, true] {
            if runRaw {
                rawSamples.append(try await rawLatencies(topic: try await freshTopic("raw-latency"), properties: properties, payloads: payloads, messages: messages))
            } else {
                ourSamples.append(try await ourLatencies(topic: try await freshTopic("ours-latency"), configuration: producerConfiguration, payloads: payloads, messages: messages, logger: logger))
            }
        }
        let rawLatency = KafkaLatencyResult(rawSamples), ourLatency = KafkaLatencyResult(ourSamples)
        print("  raw librdkafka  \(rawLatency.formatted)")
        print("  KafkaProducer   \(ourLatency.formatted)")
        print(String(format: "  p99 KafkaProducer − raw: %+.3f ms (target ≤ 2 ms)", (ourLatency.p99 - rawLatency.p99).milliseconds))

        await admin.close()

        let throughputMet = medianOurs / medianRaw >= Self.minimumThroughputRatio
        let latencyMet = ourLatency.p99 - rawLatency.p99 <= Self.maximumP99Difference
        print("\ntargets: throughput \(throughputMet ? "met" : "MISSED"), p99 latency \(latencyMet ? "met" : "MISSED")")
        if enforce && !(throughputMet && latencyMet) {
            throw ExitCode.failure
        }
    }

    private func rawThroughput(topic: String, properties: [String: String], payloads: [[UInt8]]) async throws -> KafkaThroughputResult {
        let producer = try RawKafkaProducer(properties: properties, trackedMessages: 0)
        let count = count
        return try await onDedicatedThread {
            producer.warmUp(topic: topic, payload: payloads[0])
            let cpu = KafkaBenchClock.processCPUNanoseconds()
            let started = KafkaBenchClock.nanoseconds()
            producer.produce(topic: topic, payloads: payloads, count: count)
            let enqueued = KafkaBenchClock.nanoseconds()
            guard producer.finish(timeout: .seconds(300)) else { throw KafkaBenchmarkFailure("raw flush timed out") }
            let finished = KafkaBenchClock.nanoseconds()
            return KafkaThroughputResult(
                messages: count, enqueueNanoseconds: enqueued - started, totalNanoseconds: finished - started,
                cpuNanoseconds: KafkaBenchClock.processCPUNanoseconds() - cpu, failed: producer.reports.failed.load(ordering: .relaxed))
        }
    }

    private func ourThroughput(topic: String, configuration: KafkaProducerConfiguration, payloads: [[UInt8]], logger: Logger) async throws -> KafkaThroughputResult {
        let producer = try KafkaProducer(configuration: configuration, logger: logger)
        let messages = payloads.map { KafkaProducerMessage(topic: topic, value: $0) }
        let count = count
        _ = try await producer.send(messages[0])
        let cpu = KafkaBenchClock.processCPUNanoseconds()
        let (started, enqueued) = try await onDedicatedThread {
            let started = KafkaBenchClock.nanoseconds()
            for index in 0..<count {
                while true {
                    do {
                        try producer.sendWithoutWaiting(messages[index % messages.count])
                        break
                    } catch let error as KafkaError where error.code == .queueFull {
                        usleep(500)
                    }
                }
            }
            return (started, KafkaBenchClock.nanoseconds())
        }
        try await producer.flush(timeout: .seconds(300))
        let finished = KafkaBenchClock.nanoseconds()
        let cpuUsed = KafkaBenchClock.processCPUNanoseconds() - cpu
        await producer.close()
        return KafkaThroughputResult(
            messages: count, enqueueNanoseconds: enqueued - started, totalNanoseconds: finished - started,
            cpuNanoseconds: cpuUsed, failed: producer.unreportedDeliveryFailures)
    }

    /// Nanoseconds per send into a queue nothing drains.
    private func rawEnqueueCost(properties: [String: String], payloads: [[UInt8]]) async throws -> Double {
        let producer = try RawKafkaProducer(properties: properties, trackedMessages: 0)
        let count = enqueueCount
        return try await onDedicatedThread {
            let started = KafkaBenchClock.threadCPUNanoseconds()
            producer.produce(topic: "bench-enqueue", payloads: payloads, count: count)
            return Double(KafkaBenchClock.threadCPUNanoseconds() - started) / Double(count)
        }
    }

    private func ourEnqueueCost(properties: [String: String], payloads: [[UInt8]]) async throws -> Double {
        var quiet = Logger(label: "avrogate-bench")
        // The messages are purged on close, on purpose: no need to hear about it.
        quiet.logLevel = .critical
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(kafka: KafkaConfiguration(properties)), logger: quiet)
        let messages = payloads.map { KafkaProducerMessage(topic: "bench-enqueue", value: $0) }
        let count = enqueueCount
        let cost = try await onDedicatedThread {
            let started = KafkaBenchClock.threadCPUNanoseconds()
            for index in 0..<count {
                try producer.sendWithoutWaiting(messages[index % messages.count])
            }
            return Double(KafkaBenchClock.threadCPUNanoseconds() - started) / Double(count)
        }
        await producer.close(flushTimeout: .zero)
        return cost
    }

    private func rawLatencies(topic: String, properties: [String: String], payloads: [[UInt8]], messages: Int) async throws -> KafkaLatencySamples {
        let producer = try RawKafkaProducer(properties: properties, trackedMessages: messages)
        let interval = UInt64(1_000_000_000 / rate)
        try await onDedicatedThread {
            producer.warmUp(topic: topic, payload: payloads[0])
            topic.withCString { topicName in
                let start = KafkaBenchClock.nanoseconds()
                for index in 0..<messages {
                    let due = start + UInt64(index) * interval
                    let now = KafkaBenchClock.nanoseconds()
                    if due > now { usleep(UInt32((due - now) / 1000)) }
                    producer.produceTracked(topic: topicName, payload: payloads[index % payloads.count], index: index)
                }
            }
            guard producer.finish(timeout: .seconds(60)) else { throw KafkaBenchmarkFailure("raw flush timed out") }
        }
        return KafkaLatencySamples(latencies: producer.reports.recordedLatencies, failed: producer.reports.failed.load(ordering: .relaxed))
    }

    private func ourLatencies(topic: String, configuration: KafkaProducerConfiguration, payloads: [[UInt8]], messages: Int, logger: Logger) async throws -> KafkaLatencySamples {
        let producer = try KafkaProducer(configuration: configuration, logger: logger)
        let prepared = payloads.map { KafkaProducerMessage(topic: topic, value: $0) }
        _ = try await producer.send(prepared[0])
        let clock = ContinuousClock()
        let interval = Duration.nanoseconds(1_000_000_000 / rate)
        let start = clock.now
        let latencies = await withTaskGroup(of: Duration?.self) { group in
            for index in 0..<messages {
                try? await clock.sleep(until: start + interval * index, tolerance: .microseconds(50))
                let message = prepared[index % prepared.count]
                group.addTask {
                    let sent = clock.now
                    do {
                        _ = try await producer.send(message)
                        return clock.now - sent
                    } catch {
                        return nil
                    }
                }
            }
            return await group.reduce(into: [Duration?]()) { $0.append($1) }
        }
        await producer.close()
        return KafkaLatencySamples(latencies: latencies.compactMap { $0 }, failed: latencies.filter { $0 == nil }.count)
    }

    private func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count.isMultiple(of: 2) ? (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2 : sorted[sorted.count / 2]
    }

    /// Runs blocking benchmark loops on a thread of their own, off the Swift concurrency pool.
    private func onDedicatedThread<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }
}

/// One throughput run.
struct KafkaThroughputResult {
    let messages: Int
    let enqueueNanoseconds: UInt64
    let totalNanoseconds: UInt64
    /// CPU time of the benchmark process during the run (sender, librdkafka's threads, the polling thread).
    let cpuNanoseconds: UInt64
    let failed: Int

    var messagesPerSecond: Double { Double(messages) / (Double(totalNanoseconds) / 1e9) }

    func formatted(size: Int) -> String {
        let enqueueRate = Double(messages) / (Double(enqueueNanoseconds) / 1e9)
        return String(format: "%10.0f msgs/s  %6.1f MB/s  (%.2f s; enqueue alone %.0f msgs/s; client CPU %.2f µs/msg)%@",
                      messagesPerSecond, messagesPerSecond * Double(size) / 1e6, Double(totalNanoseconds) / 1e9, enqueueRate,
                      Double(cpuNanoseconds) / Double(messages) / 1000, failed > 0 ? "  \(failed) FAILED" : "")
    }
}

/// Send → acknowledgement latencies of one latency run.
struct KafkaLatencySamples {
    let latencies: [Duration]
    let failed: Int
}

/// Percentiles of pooled latency runs.
struct KafkaLatencyResult {
    let p50: Duration
    let p99: Duration
    let p999: Duration
    let count: Int
    let failed: Int
    /// Each run's own p99, to show how much of a difference is run-to-run noise.
    let runP99s: [Duration]

    init(_ runs: [KafkaLatencySamples]) {
        runP99s = runs.map { run in
            let sorted = run.latencies.sorted()
            return sorted.isEmpty ? .zero : sorted[min(sorted.count - 1, sorted.count * 99 / 100)]
        }
        let sorted = runs.flatMap(\.latencies).sorted()
        let failed = runs.map(\.failed).reduce(0, +)
        func percentile(_ fraction: Double) -> Duration {
            sorted.isEmpty ? .zero : sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
        }
        p50 = percentile(0.50)
        p99 = percentile(0.99)
        p999 = percentile(0.999)
        count = sorted.count
        self.failed = failed
    }

    var formatted: String {
        String(format: "p50 %6.3f ms  p99 %6.3f ms  p99.9 %6.3f ms  (%d acknowledged%@; p99 per run: %@)",
               p50.milliseconds, p99.milliseconds, p999.milliseconds, count, failed > 0 ? ", \(failed) FAILED" : "",
               runP99s.map { String(format: "%.2f ms", $0.milliseconds) }.joined(separator: ", "))
    }
}

fileprivate extension Duration {
    /// Fractional milliseconds, for printing.
    var milliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}
