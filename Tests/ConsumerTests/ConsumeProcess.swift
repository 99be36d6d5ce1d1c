import Foundation
import Synchronization
import TestSupport

/// The `avrogate` binary running `consume` (or anything) with its standard output and error in files, waited
/// for without blocking a thread of the concurrency pool (the in-process registry runs on it).
final class ConsumeProcess: Sendable {
    private let process: Process
    private let exitStatus = Mutex<Int32?>(nil)
    let stdout: URL
    let stderr: URL

    init(_ arguments: [String]) throws {
        let directory = FileManager.default.temporaryDirectory
        stdout = directory.appendingPathComponent(TestEnvironment.uniqueName("consume-stdout"))
        stderr = directory.appendingPathComponent(TestEnvironment.uniqueName("consume-stderr"))
        _ = FileManager.default.createFile(atPath: stdout.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
        process = Process()
        process.executableURL = try TestEnvironment.binary()
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: stdout)
        process.standardError = try FileHandle(forWritingTo: stderr)
        process.terminationHandler = { [weak self] process in
            self?.exitStatus.withLock { $0 = process.terminationStatus }
        }
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: stdout)
        try? FileManager.default.removeItem(at: stderr)
    }

    /// Sends `signal` (SIGTERM, SIGKILL…).
    func send(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// The exit status once it exited, waiting up to `timeout`; `nil` if it is still running.
    func exit(within timeout: Duration) async throws -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let status = exitStatus.withLock({ $0 }) { return status }
            try await Task.sleep(for: .milliseconds(50))
        }
        return exitStatus.withLock { $0 }
    }

    var output: String { (try? String(contentsOf: stdout, encoding: .utf8)) ?? "" }
    var errors: String { (try? String(contentsOf: stderr, encoding: .utf8)) ?? "" }

    /// The complete lines of a file (a process killed mid-write may leave a partial last line).
    static func lines(of url: URL) -> [String] {
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.removeLast()
        return lines
    }

    /// `consume` arguments for the test broker and `registry`, with the group timeouts Tansu needs.
    static func consumeArguments(topic: String, group: String, registry: TestRegistry) throws -> [String] {
        ["consume", "--brokers", try TestEnvironment.brokers(), "--registry", registry.url, "--topic", topic, "--group", group,
         "--from-beginning", "--log-level", "warning",
         "--kafka-property", "session.timeout.ms=6000", "--kafka-property", "max.poll.interval.ms=7000",
         "--kafka-property", "heartbeat.interval.ms=1000"]
    }
}
