/// Constants of the Confluent Schema Registry REST protocol shared by client and server.
public enum RegistryAPI {
    /// The media types a Confluent registry accepts for request bodies, preferred first.
    public static let contentTypes = [
        "application/vnd.schemaregistry.v1+json",
        "application/vnd.schemaregistry+json",
        "application/json",
    ]

    /// The media type registry responses carry.
    public static let responseContentType = "application/vnd.schemaregistry.v1+json"

    /// The `schemaType` of Avro schemas; a body without `schemaType` means this.
    public static let avroSchemaType = "AVRO"
}
