import ArgumentParser
import Foundation

/// A command failure with its message for stderr and its exit code.
struct CLIFailure: Error, CustomStringConvertible {
    let exitCode: Int32
    let message: String
    var description: String { message }
}

extension CLIFailure {
    /// Prints the message on stderr and returns the ArgumentParser exit for the code.
    func exit() -> ExitCode {
        FileHandle.standardError.write(Data("avrogate: \(message)\n".utf8))
        return ExitCode(exitCode)
    }
}

/// Runs a command body, mapping ``CLIFailure`` to its message on stderr and its exit code.
func runReportingFailures(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let failure as CLIFailure {
        throw failure.exit()
    }
}
