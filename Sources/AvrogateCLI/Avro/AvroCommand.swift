import ArgumentParser

/// `avrogate avro …`: offline schema and datum tools that read files and stdin.
struct AvroCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "avro",
        abstract: "Offline Avro tools: encode, decode, check compatibility, canonicalize.",
        subcommands: [
            AvroCanonicalCommand.self,
            AvroFingerprintCommand.self,
            AvroCompatCommand.self,
            AvroFromJSONCommand.self, AvroToJSONCommand.self,
        ]
    )
}
