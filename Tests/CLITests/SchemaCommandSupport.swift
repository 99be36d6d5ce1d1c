import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TestSupport

/// One run of the `avrogate` binary: exit status and output.
struct SchemaCommandRun {
    let status: Int32
    let stdout: String
    let stderr: String
    var lines: [String] { stdout.split(separator: "\n").map(String.init) }

    /// The stdout as JSON.
    func json() throws -> Any {
        try JSONSerialization.jsonObject(with: Data(stdout.utf8), options: .fragmentsAllowed)
    }
}

/// Runs `avrogate ARGUMENTS` with `environment` added to this process's, and waits for it.
func avrogate(_ arguments: [String], environment: [String: String] = [:]) throws -> SchemaCommandRun {
    let process = Process()
    process.executableURL = try TestEnvironment.binary()
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    let stdout = Pipe()
    let stderr = Pipe()
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    // Read both pipes to the end concurrently, so neither fills up and blocks the child.
    let errorData = LockedData()
    let errorReader = Thread { errorData.set(stderr.fileHandleForReading.readDataToEndOfFile()) }
    errorReader.start()
    let out = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while !errorData.isSet { usleep(1000) }
    return SchemaCommandRun(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                            stderr: String(decoding: errorData.value, as: UTF8.self))
}

/// Data handed from a reader thread.
// @unchecked: `data` and `done` are only touched while holding `lock`.
private final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private var done = false

    func set(_ value: Data) { lock.lock(); data = value; done = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return done }
    var value: Data { lock.lock(); defer { lock.unlock() }; return data }
}

/// `avrogate registry serve` on a free loopback port with its own topic, stopped on deinit.
final class ServedRegistry {
    private let process = Process()
    let url: String

    init() async throws {
        let port = try freePort()
        url = "http://127.0.0.1:\(port)"
        process.executableURL = try TestEnvironment.binary()
        process.arguments = ["registry", "serve", "--listen", "127.0.0.1:\(port)", "--brokers", try TestEnvironment.brokers(),
                             "--topic", TestEnvironment.uniqueName("schemas")]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            guard process.isRunning else { throw ServedRegistryFailure(message: "avrogate registry serve exited with \(process.terminationStatus)") }
            if let (_, response) = try? await URLSession.shared.data(from: URL(string: url + "/subjects")!),
               (response as? HTTPURLResponse)?.statusCode == 200 {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        stop()
        throw ServedRegistryFailure(message: "avrogate registry serve did not answer within 30 s")
    }

    deinit {
        stop()
    }

    /// SIGTERM, so the registry shuts down as it would in production; SIGKILL if it has not within 10 s.
    private func stop() {
        guard process.isRunning else { return }
        process.terminate()
        for _ in 0 ..< 100 where process.isRunning { usleep(100_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}

struct ServedRegistryFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// A loopback port that was free a moment ago.
func freePort() throws -> Int {
    let socket = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
    }
    guard bound else { throw ServedRegistryFailure(message: "cannot find a free port") }
    return Int(UInt16(bigEndian: address.sin_port))
}
