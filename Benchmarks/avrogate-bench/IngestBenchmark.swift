import ArgumentParser
import Avro
import Foundation
import Glibc
import Kafka
import Synchronization

/// `avrogate-bench ingest --brokers HOST:PORT`: the HTTP ingest API (`avrogate serve`, run as its own
/// process with `avrogate registry serve`) under load from keep-alive connections, in the same run as
/// librdkafka producing the same records pre-encoded. Reference records: schemas/reference.avsc and
/// schemas/reference.example.json.
struct IngestBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Ingest API throughput and latency (batches of 1 and 100) against raw librdkafka, and its memory.")

    @Option(help: "The Kafka bootstrap servers.")
    var brokers: String

    @Option(help: "The avrogate binary (default: .build/release/avrogate, else .build/debug/avrogate).")
    var avrogate: String?

    @Option(help: "Seconds each load run lasts.")
    var seconds = 10

    @Option(help: "Concurrent keep-alive connections in the throughput runs.")
    var connections = 32

    @Option(help: "Keep-alive connections the paced run spreads its requests over (each waits for its answer).")
    var pacedConnections = 32

    @Option(help: "Requests per second in the paced single-record run.")
    var rate = 1000

    @Option(help: "Records the raw librdkafka run produces.")
    var rawCount = 200_000

    @Option(help: "Batch sizes (records per request) of the sweep that the chart shows, comma-separated; empty: no sweep.")
    var sweep = "1,10,50,100,500"

    @Option(help: "Seconds each batch size of the sweep lasts.")
    var sweepSeconds = 5

    @Option(help: "Where to write the sweep's SVG chart (throughput and p99 against batch size).")
    var chart = "docs/ingest-benchmark.svg"

    @Flag(help: "Exit with failure when a target is missed (batched ≥ 50 % of raw, paced p99 < 10 ms, RSS < 200 MB).")
    var enforce = false

    static let minimumBatchedRatio = 0.5
    static let maximumPacedP99 = Duration.milliseconds(10)
    static let maximumRSSBytes = 200 << 20

    func run() async throws {
        let binary = try avrogateBinary()
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let schemaText = try String(contentsOf: root.appendingPathComponent("schemas/reference.avsc"), encoding: .utf8)
        let event = try String(contentsOf: root.appendingPathComponent("schemas/reference.example.json"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)

        let registryPort = try BenchProcess.freePort()
        let registry = try BenchProcess(binary, ["registry", "serve", "--brokers", brokers, "--listen", "127.0.0.1:\(registryPort)",
                                                 "--topic", "_schemas-bench-\(UInt32.random(in: 0 ... .max))"])
        defer { registry.stop() }
        let registryURL = "http://127.0.0.1:\(registryPort)"
        try registry.waitUntilAnswering(port: registryPort, path: "/subjects")
        let topic = "ingest-bench-\(UInt32.random(in: 0 ... .max))"
        let admin = try KafkaAdmin(configuration: KafkaConfiguration(bootstrapServers: brokers), logger: .init(label: "avrogate-bench"))
        try await admin.createTopic(NewTopic(name: topic, partitions: 1))
        await admin.close()
        let schemaID = try BenchHTTP.registerSchema(schemaText, subject: "\(topic)-value", port: registryPort)

        let servePort = try BenchProcess.freePort()
        let serve = try BenchProcess(binary, ["serve", "--listen", "127.0.0.1:\(servePort)", "--brokers", brokers, "--registry", registryURL,
                                              "--log-level", "warning"])
        defer { serve.stop() }
        try serve.waitUntilAnswering(port: servePort, path: "/health/live")
        print("avrogate serve (\(binary)) on :\(servePort), registry on :\(registryPort), topic \(topic), schema id \(schemaID)")

        let path = "/topics/\(topic)"
        let single = Array(event.utf8)
        let batch = Array(("[" + Array(repeating: event, count: 100).joined(separator: ",") + "]").utf8)
        _ = try BenchLoad.closedLoop(port: servePort, path: path, body: single, connections: 1, duration: .seconds(1))
        var peakRSS = serve.residentBytes()

        let batched = try BenchLoad.closedLoop(port: servePort, path: path, body: batch, connections: connections, duration: .seconds(seconds))
        peakRSS = max(peakRSS, serve.residentBytes())
        let singles = try BenchLoad.closedLoop(port: servePort, path: path, body: single, connections: connections, duration: .seconds(seconds))
        peakRSS = max(peakRSS, serve.residentBytes())
        let paced = try BenchLoad.paced(port: servePort, path: path, body: single, rate: rate, connections: pacedConnections, duration: .seconds(seconds))
        peakRSS = max(peakRSS, serve.residentBytes())

        var points: [BenchChart.Point] = []
        for size in sweep.split(separator: ",").compactMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) where size > 0 {
            let body = size == 1 ? single : Array(("[" + Array(repeating: event, count: size).joined(separator: ",") + "]").utf8)
            let run = try BenchLoad.closedLoop(port: servePort, path: path, body: body, connections: connections, duration: .seconds(sweepSeconds))
            peakRSS = max(peakRSS, serve.residentBytes())
            run.print(label: "sweep: \(size) per request, \(connections) connections", eventsPerRequest: size)
            points.append(BenchChart.Point(batchSize: size, eventsPerSecond: run.eventsPerSecond(eventsPerRequest: size), p99Milliseconds: run.percentile(0.99).milliseconds))
        }

        let raw = try rawRate(event: event, schemaText: schemaText, schemaID: schemaID, topic: topic)
        if !points.isEmpty {
            let title = String(format: "avrogate serve: reference records, %d connections (raw librdkafka %.0fk events/s)", connections, raw / 1000)
            try BenchChart(title: title, points: points).svg().write(toFile: chart, atomically: true, encoding: .utf8)
            print("chart written to \(chart)")
        }

        print("")
        batched.print(label: "batches of 100, \(connections) connections", eventsPerRequest: 100)
        singles.print(label: "single records, \(connections) connections", eventsPerRequest: 1)
        paced.print(label: "single records paced at \(rate) req/s over \(pacedConnections) connections", eventsPerRequest: 1)
        print(String(format: "  raw librdkafka, pre-encoded: %.0f events/s", raw))
        print(String(format: "  avrogate serve peak RSS: %.1f MB", Double(peakRSS) / 1_048_576))
        let ratio = batched.eventsPerSecond(eventsPerRequest: 100) / raw
        let ratioMet = ratio >= Self.minimumBatchedRatio
        let latencyMet = paced.errors == 0 && paced.percentile(0.99) < Self.maximumPacedP99
        let memoryMet = peakRSS < Self.maximumRSSBytes
        print(String(format: "\ntargets: batched ingest %.0f %% of raw (≥ 50 %%) %@; paced p99 %.2f ms (< 10 ms) %@; RSS %.0f MB (< 200 MB) %@",
                     ratio * 100, ratioMet ? "met" : "MISSED", paced.percentile(0.99).milliseconds, latencyMet ? "met" : "MISSED",
                     Double(peakRSS) / 1_048_576, memoryMet ? "met" : "MISSED"))
        if enforce && !(ratioMet && latencyMet && memoryMet) {
            throw ExitCode.failure
        }
    }

    /// The same records pre-encoded, produced with librdkafka's C API directly, with the gateway's producer settings.
    private func rawRate(event: String, schemaText: String, schemaID: Int, topic: String) throws -> Double {
        let codec = try AvroCodec(schema: try AvroSchema(parsing: schemaText))
        let encoded = try codec.makeEncoder().encodeFramed(json: event, schemaID: UInt32(schemaID))
        let properties = ["bootstrap.servers": brokers, "acks": "all", "enable.idempotence": "true", "linger.ms": "5",
                          "queue.buffering.max.messages": "1000000"]
        let producer = try RawKafkaProducer(properties: properties, trackedMessages: 0)
        let started = ContinuousClock.now
        producer.produce(topic: topic, payloads: [encoded], count: rawCount)
        guard producer.finish(timeout: .seconds(120)) else { throw KafkaBenchmarkFailure("raw producer: flush timed out") }
        let elapsed = ContinuousClock.now - started
        return Double(producer.reports.delivered.load(ordering: .relaxed)) / elapsed.seconds
    }

    private func avrogateBinary() throws -> String {
        if let avrogate { return avrogate }
        for candidate in [".build/release/avrogate", ".build/debug/avrogate"] where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        throw KafkaBenchmarkFailure("no avrogate binary: build it (swift build -c release --product avrogate) or pass --avrogate PATH")
    }
}

/// Request latencies of one load run.
struct BenchLoadResult {
    var latencies: [Duration]
    var errors: Int
    var elapsed: Duration

    func percentile(_ fraction: Double) -> Duration {
        guard !latencies.isEmpty else { return .zero }
        let sorted = latencies.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
    }

    func eventsPerSecond(eventsPerRequest: Int) -> Double {
        Double(latencies.count * eventsPerRequest) / elapsed.seconds
    }

    func print(label: String, eventsPerRequest: Int) {
        Swift.print(String(format: "  %@: %.0f events/s, %.0f requests/s, p50 %.2f ms, p99 %.2f ms, p999 %.2f ms, %d errors",
                           label, eventsPerSecond(eventsPerRequest: eventsPerRequest), Double(latencies.count) / elapsed.seconds,
                           percentile(0.5).milliseconds, percentile(0.99).milliseconds, percentile(0.999).milliseconds, errors))
    }
}

/// Load generators over keep-alive connections, one thread each (blocking I/O off the concurrency pool).
enum BenchLoad {
    /// Each connection posts `body` again as soon as the previous answer came, for `duration`.
    static func closedLoop(port: Int, path: String, body: [UInt8], connections: Int, duration: Duration) throws -> BenchLoadResult {
        let deadline = KafkaBenchClock.nanoseconds() + UInt64(duration.components.seconds) * 1_000_000_000
        return try onThreads(connections, port: port) { connection in
            var latencies: [Duration] = []
            var errors = 0
            while KafkaBenchClock.nanoseconds() < deadline {
                let start = KafkaBenchClock.nanoseconds()
                let status = try connection.post(path, body: body)
                latencies.append(.nanoseconds(Int64(KafkaBenchClock.nanoseconds() - start)))
                if status != 200 { errors += 1 }
            }
            return (latencies, errors)
        }
    }

    /// Posts at `rate` requests per second spread over the connections; each latency counts from the
    /// moment the request was due, so a slow answer also delays (and is charged to) the ones behind it.
    static func paced(port: Int, path: String, body: [UInt8], rate: Int, connections: Int, duration: Duration) throws -> BenchLoadResult {
        let interval = UInt64(1_000_000_000 / max(rate / connections, 1))
        let start = KafkaBenchClock.nanoseconds()
        let count = Int(duration.components.seconds) * rate / connections
        return try onThreads(connections, port: port) { connection in
            var latencies: [Duration] = []
            var errors = 0
            for index in 0 ..< count {
                let due = start + UInt64(index) * interval
                let now = KafkaBenchClock.nanoseconds()
                if due > now { usleep(UInt32((due - now) / 1000)) }
                let status = try connection.post(path, body: body)
                latencies.append(.nanoseconds(Int64(KafkaBenchClock.nanoseconds() - due)))
                if status != 200 { errors += 1 }
            }
            return (latencies, errors)
        }
    }

    private static func onThreads(_ count: Int, port: Int, _ body: @escaping @Sendable (BenchHTTP.Connection) throws -> ([Duration], Int)) throws -> BenchLoadResult {
        let results = Mutex<[Result<([Duration], Int), any Error>]>([])
        let done = DispatchSemaphore(value: 0)
        let started = ContinuousClock.now
        for _ in 0 ..< count {
            Thread {
                let result = Result { try body(try BenchHTTP.Connection(port: port)) }
                results.withLock { $0.append(result) }
                done.signal()
            }.start()
        }
        for _ in 0 ..< count { done.wait() }
        let elapsed = ContinuousClock.now - started
        var merged = BenchLoadResult(latencies: [], errors: 0, elapsed: elapsed)
        for result in results.withLock({ $0 }) {
            let (latencies, errors) = try result.get()
            merged.latencies += latencies
            merged.errors += errors
        }
        return merged
    }
}

/// A minimal HTTP/1.1 client over a blocking socket: enough for a load generator that must not be the bottleneck.
/// `SOCK_STREAM`: Glibc declares it in a header another module of this target also includes, which leaves
/// the constant invisible here.
let benchStreamSocket = Int32(1)

enum BenchHTTP {
    /// One keep-alive connection to 127.0.0.1.
    final class Connection {
        private let socket: Int32
        private var buffer = [UInt8](repeating: 0, count: 64 << 10)

        init(port: Int) throws {
            socket = Glibc.socket(AF_INET, benchStreamSocket, 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = UInt16(port).bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
            }
            guard connected else {
                close(socket)
                throw KafkaBenchmarkFailure("cannot connect to 127.0.0.1:\(port)")
            }
            var yes: Int32 = 1
            setsockopt(socket, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
        }

        deinit { close(socket) }

        /// POSTs `body` and returns the status once the whole answer is read.
        func post(_ path: String, body: [UInt8], contentType: String = "application/json") throws -> Int {
            try exchange(path, body: body, contentType: contentType).status
        }

        func get(_ path: String) throws -> Int {
            try write(Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8))
            return try readResponse().status
        }

        /// POSTs `body` and returns the status and the answer's body.
        func exchange(_ path: String, body: [UInt8], contentType: String) throws -> (status: Int, body: ArraySlice<UInt8>) {
            let head = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: \(contentType)\r\nContent-Length: \(body.count)\r\n\r\n"
            try write(Array(head.utf8) + body)
            return try readResponse()
        }

        private func write(_ bytes: [UInt8]) throws {
            var sent = 0
            while sent < bytes.count {
                let written = bytes.withUnsafeBytes { Glibc.send(socket, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
                guard written > 0 else { throw KafkaBenchmarkFailure("send failed: errno \(errno)") }
                sent += written
            }
        }

        private func readResponse() throws -> (status: Int, body: ArraySlice<UInt8>) {
            var received: [UInt8] = []
            var headerEnd: Int?
            var contentLength = 0
            while true {
                let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
                guard count > 0 else { throw KafkaBenchmarkFailure("the server closed the connection") }
                received += buffer[0 ..< count]
                if headerEnd == nil, let end = Self.find([13, 10, 13, 10], in: received) {
                    headerEnd = end + 4
                    let head = String(decoding: received[0 ..< end], as: UTF8.self).lowercased()
                    if let line = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }) {
                        contentLength = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
                    }
                }
                if let headerEnd, received.count >= headerEnd + contentLength {
                    let statusLine = String(decoding: received.prefix(12), as: UTF8.self)
                    return (Int(statusLine.dropFirst(9).prefix(3)) ?? 0, received[headerEnd ..< headerEnd + contentLength])
                }
            }
        }

        private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
            guard haystack.count >= needle.count else { return nil }
            for start in 0 ... haystack.count - needle.count where haystack[start] == needle[0] && Array(haystack[start ..< start + needle.count]) == needle {
                return start
            }
            return nil
        }
    }

    /// Registers `schema` under `subject` and returns its id.
    static func registerSchema(_ schema: String, subject: String, port: Int) throws -> Int {
        let body = try JSONSerialization.data(withJSONObject: ["schema": schema])
        let answer = try Connection(port: port).exchange("/subjects/\(subject)/versions", body: Array(body), contentType: "application/vnd.schemaregistry.v1+json")
        guard answer.status == 200, let object = try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any], let id = object["id"] as? Int else {
            throw KafkaBenchmarkFailure("cannot register the reference schema: HTTP \(answer.status)")
        }
        return id
    }
}

/// A child process of the benchmark (`avrogate serve`, `avrogate registry serve`).
final class BenchProcess {
    private let process = Process()

    init(_ binary: String, _ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// Polls `GET path` until it answers 200, for up to 30 s.
    func waitUntilAnswering(port: Int, path: String) throws {
        for _ in 0 ..< 300 {
            guard process.isRunning else { throw KafkaBenchmarkFailure("\(process.arguments?.prefix(2).joined(separator: " ") ?? "") exited") }
            if let connection = try? BenchHTTP.Connection(port: port), (try? connection.get(path)) == 200 { return }
            usleep(100_000)
        }
        throw KafkaBenchmarkFailure("no answer on port \(port) within 30 s")
    }

    /// VmRSS from /proc.
    func residentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kilobytes * 1024
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        for _ in 0 ..< 100 where process.isRunning { usleep(100_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, benchStreamSocket, 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw KafkaBenchmarkFailure("no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

extension Duration {
    fileprivate var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
    fileprivate var milliseconds: Double { seconds * 1000 }
}
