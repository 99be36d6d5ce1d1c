import Foundation

/// What the README's test command (scripts/test.sh) hands to the tests.
public enum TestEnvironment {
    /// The address of the Tansu broker started for this test run. Fails the test when missing:
    /// broker tests must not silently skip in CI.
    public static func brokers() throws -> String {
        guard let value = ProcessInfo.processInfo.environment["AVROGATE_TEST_BROKERS"], !value.isEmpty else {
            throw MissingEnvironment(name: "AVROGATE_TEST_BROKERS", hint: "run the tests with scripts/test.sh, which starts a broker")
        }
        return value
    }

    /// The built `avrogate` binary.
    public static func binary() throws -> URL {
        if let value = ProcessInfo.processInfo.environment["AVROGATE_BINARY"], !value.isEmpty {
            return URL(fileURLWithPath: value)
        }
        let guess = packageRoot.appendingPathComponent(".build/debug/avrogate")
        guard FileManager.default.isExecutableFile(atPath: guess.path) else {
            throw MissingEnvironment(name: "AVROGATE_BINARY", hint: "build with `swift build` first")
        }
        return guess
    }

    /// The package's root folder, found from this source file's location.
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A file under Tests/Fixtures.
    public static func fixture(_ name: String) -> URL {
        packageRoot.appendingPathComponent("Tests/Fixtures").appendingPathComponent(name)
    }

    /// A fresh name, for topics and groups that must not collide between tests.
    public static func uniqueName(_ prefix: String) -> String {
        "\(prefix)-\(UInt32.random(in: 0 ... .max))"
    }
}

/// A required variable of the test environment is missing.
public struct MissingEnvironment: Error, CustomStringConvertible {
    public let name: String
    public let hint: String
    public var description: String { "\(name) is not set: \(hint)" }
}
