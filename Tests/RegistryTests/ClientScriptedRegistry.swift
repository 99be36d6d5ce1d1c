import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Registry
import TestSupport

/// A registry stand-in with scripted faults (scripts/scripted-registry.py), one process per
/// test: it answers each "METHOD /path" with its list of answers in turn, and records requests.
final class ScriptedRegistry {
    /// One answer: status, body (JSON text, or plain text), and the faults to inject.
    struct Answer: Sendable {
        var status = 200
        /// The body as JSON text.
        var json: String?
        /// The body as plain text, when it is not JSON.
        var text: String?
        var contentType: String?
        var delay: Double?
        var headers: [String: String] = [:]
        var requireAuthorization: String?

        func scripted() throws -> [String: Any] {
            var answer: [String: Any] = ["status": status, "headers": headers]
            if let json { answer["body"] = try JSONSerialization.jsonObject(with: Data(json.utf8), options: .fragmentsAllowed) }
            if let text { answer["body"] = text }
            if let contentType { answer["contentType"] = contentType }
            if let delay { answer["delay"] = delay }
            if let requireAuthorization { answer["requireAuthorization"] = requireAuthorization }
            return answer
        }

        static func ok(_ json: String, contentType: String? = nil, delay: Double? = nil) -> Answer {
            Answer(status: 200, json: json, contentType: contentType, delay: delay)
        }

        static func error(_ status: Int, _ code: Int, _ message: String, headers: [String: String] = [:]) -> Answer {
            Answer(status: status, json: ScriptedRegistry.json(["error_code": code, "message": message]), headers: headers)
        }
    }

    /// JSON text for a body built from Swift values.
    static func json(_ value: Any) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]), as: UTF8.self)
    }

    /// A request the stand-in received.
    struct SeenRequest: Decodable {
        var method: String
        var path: String
        var headers: [String: String]
        var body: String?
        var clientPort: Int

        func header(_ name: String) -> String? {
            headers.first { $0.key.lowercased() == name.lowercased() }?.value
        }
    }

    private let process = Process()
    let port: Int

    init(_ script: [String: [Answer]]) async throws {
        let json = try JSONSerialization.data(withJSONObject: script.mapValues { try $0.map { try $0.scripted() } })
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", TestEnvironment.packageRoot.appendingPathComponent("scripts/scripted-registry.py").path,
                             String(decoding: json, as: UTF8.self)]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        // The blocking read happens on its own thread, not on the test's executor.
        let line = await withCheckedContinuation { continuation in
            Thread {
                var line = Data()
                while !line.contains(UInt8(ascii: "\n")) {
                    let chunk = output.fileHandleForReading.availableData
                    if chunk.isEmpty { break }
                    line.append(chunk)
                }
                continuation.resume(returning: String(decoding: line, as: UTF8.self))
            }.start()
        }
        guard let port = Int(line.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw ScriptedRegistryFailure(message: "the scripted registry printed no port (got \(line.debugDescription))")
        }
        self.port = port
    }

    deinit {
        // SIGKILL: nothing to shut down gracefully, and it cannot be blocked.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// The requests received so far.
    func requests() async throws -> [SeenRequest] {
        let (data, _) = try await URLSession.shared.data(from: URL(string: url + "/__requests")!)
        return try JSONDecoder().decode([SeenRequest].self, from: data)
    }

    /// How many requests came for this path (raw, with its query).
    func count(_ method: String, _ path: String) async throws -> Int {
        try await requests().filter { $0.method == method && $0.path == path }.count
    }

    /// A loopback URL nothing listens on: connections to it are refused.
    static func refusingURL() throws -> String {
        let socket = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else { throw ScriptedRegistryFailure(message: "cannot find a free port") }
        return "http://127.0.0.1:\(UInt16(bigEndian: address.sin_port))"
    }
}

struct ScriptedRegistryFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

extension SchemaRegistryClientConfiguration {
    /// A configuration for tests: quick retries and timeouts.
    static func testing(_ urls: [String], maxRetries: Int = 2, requestTimeout: Duration = .seconds(5),
                        cache: CachePolicy = CachePolicy(), authentication: Authentication = .none) -> SchemaRegistryClientConfiguration {
        SchemaRegistryClientConfiguration(
            urls: urls, authentication: authentication, connectTimeout: .seconds(10), requestTimeout: requestTimeout,
            retry: RetryPolicy(maxRetries: maxRetries, initialBackoff: .milliseconds(10), maxBackoff: .milliseconds(50)),
            cache: cache
        )
    }
}
