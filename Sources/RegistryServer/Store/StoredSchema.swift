import Avro
import Registry

/// A schema as the registry stores it under an id, with its parsed form when it parses.
struct StoredSchema: Sendable {
    var id: Int
    /// The text returned by the API and written to the log.
    var schema: String
    var schemaType: String
    var references: [SchemaReference]
    /// What two registrations must share to be the same schema (and get the same id): the type,
    /// the references and, for Avro, the ``AvroSchema/normalizedForm``, so that texts differing
    /// only in whitespace, attribute order or namespace spelling are one schema. Schemas that do not
    /// parse (types this registry does not check, or unresolved references) compare by their text.
    var identity: String
    /// The parsed Avro schema, with the named types of its references.
    var parsed: AvroSchema?

    init(id: Int, schema: String, schemaType: String, references: [SchemaReference], in state: RegistryState) {
        self.id = id
        self.schema = schema
        self.schemaType = schemaType
        self.references = references
        self.parsed = Self.parse(schema, schemaType: schemaType, references: references, in: state)
        self.identity = Self.identity(schema: schema, schemaType: schemaType, references: references, parsed: parsed)
    }

    /// The identity a schema would have if stored now.
    static func identity(schema: String, schemaType: String, references: [SchemaReference], in state: RegistryState) -> String {
        identity(schema: schema, schemaType: schemaType, references: references,
                 parsed: parse(schema, schemaType: schemaType, references: references, in: state))
    }

    static func identity(schema: String, schemaType: String, references: [SchemaReference], parsed: AvroSchema?) -> String {
        var out = schemaType + "\u{0}"
        RecordJSON.write(references, to: &out)
        out += "\u{0}"
        if let parsed { out += "N" + parsed.normalizedForm } else { out += "T" + schema }
        return out
    }

    /// Parses an Avro schema with the named types of its references (resolved in `state`).
    private static func parse(_ text: String, schemaType: String, references: [SchemaReference], in state: RegistryState) -> AvroSchema? {
        guard schemaType == RegistryAPI.avroSchemaType else { return nil }
        var referenced: [AvroSchema] = []
        for reference in references {
            guard let parsed = state.schema(subject: reference.subject, version: reference.version)?.parsed else { return nil }
            referenced.append(parsed)
        }
        return try? AvroSchema(parsing: text, referencing: referenced)
    }
}
