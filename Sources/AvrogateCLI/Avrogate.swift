import ArgumentParser
import Kafka

/// The `avrogate` command tree.
public struct Avrogate: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "avrogate",
        abstract: "Schema-governed event ingestion into Kafka, Confluent-compatible.",
        subcommands: [VersionCommand.self, AvroCommand.self, SchemaCommand.self, RegistryCommand.self, ConsumeCommand.self, ServeCommand.self, ProduceCommand.self]
    )

    public init() {}
}
