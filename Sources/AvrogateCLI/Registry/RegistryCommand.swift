import ArgumentParser

/// `avrogate registry …`: the built-in Confluent-compatible Schema Registry.
struct RegistryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "Run the built-in Confluent-compatible Schema Registry.",
        subcommands: [RegistryServeCommand.self]
    )
}
