import ArgumentParser
import Kafka

/// `avrogate version`: prints avrogate's and the loaded librdkafka's versions.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print versions.")

    func run() throws {
        print("avrogate 0.1.0")
        print("librdkafka \(LibraryVersion.loadedString)")
    }
}
