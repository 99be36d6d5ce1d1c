import Foundation
import TestSupport
import Testing

@Suite("avrogate avro compat")
struct AvroCompatCommandTests {
    private struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
        var lines: [String] { stdout.split(separator: "\n").map(String.init) }
    }

    private func fixture(_ name: String) -> String {
        TestEnvironment.fixture("compat/\(name).avsc").path
    }

    private func compat(_ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = try TestEnvironment.binary()
        process.arguments = ["avro", "compat"] + arguments
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
    }

    @Test func aReaderThatCanReadTheWriterExitsZeroSilently() throws {
        let run = try compat(["--reader", fixture("payment-v2-currency-with-default"), "--writer", fixture("payment-v1")])
        #expect(run.status == 0)
        #expect(run.stdout.isEmpty)
    }

    @Test func anIncompatiblePairExitsOneWithEachReasonOnItsOwnLine() throws {
        let run = try compat(["--reader", fixture("payment-v2-amount-string"), "--writer", fixture("payment-v1")])
        #expect(run.status == 1)
        #expect(run.lines == ["/fields/1/type: in field `amount`, the reader's `string` cannot read the writer's `int`"])
    }

    @Test func withALevelTheReaderIsTheNewSchemaAndForwardReasonsNameWhoReads() throws {
        let new = fixture("payment-v2-amount-removed")
        let old = fixture("payment-v1")
        #expect(try compat(["--reader", new, "--writer", old, "--level", "BACKWARD"]).status == 0)
        let forward = try compat(["--reader", new, "--writer", old, "--level", "forward"])
        #expect(forward.status == 1)
        #expect(forward.lines == ["/fields/1: reader field `amount` has no default and is missing from the writer (reader \(old), writer \(new))"])
    }

    @Test func transitiveLevelsCheckEveryWriterGivenOldestFirst() throws {
        let arguments = ["--reader", fixture("chain-v3"), "--writer", fixture("chain-v1"), "--writer", fixture("chain-v2")]
        #expect(try compat(arguments + ["--level", "BACKWARD"]).status == 0)
        let transitive = try compat(arguments + ["--level", "BACKWARD_TRANSITIVE"])
        #expect(transitive.status == 1)
        #expect(transitive.lines.count == 1)
        #expect(transitive.lines.first?.hasPrefix("/fields/1: reader field `source`") == true)
    }

    @Test func anUnknownLevelExitsTwo() throws {
        let run = try compat(["--reader", fixture("payment-v1"), "--writer", fixture("payment-v1"), "--level", "SIDEWAYS"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("unknown compatibility level 'SIDEWAYS'"))
    }

    @Test func anInvalidOrMissingSchemaFileExitsTwo() throws {
        let invalid = try compat(["--reader", fixture("invalid-record-without-fields"), "--writer", fixture("payment-v1")])
        #expect(invalid.status == 2)
        #expect(invalid.stderr.contains("needs a 'fields' array"))
        let missing = try compat(["--reader", fixture("payment-v1"), "--writer", fixture("no-such-schema")])
        #expect(missing.status == 2)
        #expect(missing.stdout.isEmpty)
    }
}
