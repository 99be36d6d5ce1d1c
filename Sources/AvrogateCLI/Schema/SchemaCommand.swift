import ArgumentParser

/// `avrogate schema …`: a Schema Registry's subjects, versions, compatibility, config and mode.
struct SchemaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Register, inspect, check and evolve schemas in a Confluent-compatible Schema Registry.",
        discussion: """
        Every subcommand talks to the registry named by --registry (repeat it, or separate URLs \
        with commas, for failover) or AVROGATE_REGISTRY_URL. Credentials: --user with --password \
        (or AVROGATE_REGISTRY_USER and AVROGATE_REGISTRY_PASSWORD), a --token (or \
        AVROGATE_REGISTRY_TOKEN), or userinfo in the URL. Output is for people unless --json is given.

        Exit status: 0 success (for check: compatible); 1 the registry refused the request (its \
        error code and message are printed), or check and evolve found the schema incompatible; \
        2 invalid arguments or schema files; 3 the registry is unavailable (no URL answered, or \
        it timed out, after retries). Malformed command lines exit 64.
        """,
        subcommands: [
            SchemaRegisterCommand.self,
            SchemaGetCommand.self,
            SchemaListCommand.self,
            SchemaVersionsCommand.self,
            SchemaCheckCommand.self,
            SchemaEvolveCommand.self,
            SchemaConfigCommand.self,
            SchemaModeCommand.self,
            SchemaDeleteCommand.self,
        ]
    )
}
