import Foundation
import Testing
import TestSupport

/// Confluent's own Python client (`confluent_kafka.schema_registry`) against the registry server.
@Suite struct ServerInteropTests {
    @Test func confluentsPythonClientRegistersFetchesChecksAndConfigures() async throws {
        try await withRegistryServer { server in
            let (status, output) = try await Self.run(
                "python3", TestEnvironment.packageRoot.appendingPathComponent("scripts/interop_registry.py").path,
                "http://127.0.0.1:\(server.port)")
            #expect(status == 0, "\(output)")
            #expect(output.contains("interop ok"), "\(output)")
        }
    }

    /// Runs a program to its end without blocking a concurrency thread; its exit status and output.
    static func run(_ arguments: String...) async throws -> (Int32, String) {
        let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("interop-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outputFile) }
        let output = try FileHandle(forWritingTo: outputFile)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = output
        let status = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int32, any Error>) in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        try output.close()
        return (status, try String(contentsOf: outputFile, encoding: .utf8))
    }
}
