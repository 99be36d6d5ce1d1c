import Avro

/// A schema as the registry stores it: its global id, its text and references, and where known
/// the subject and version it was fetched under. Avro schemas come parsed.
public struct RegisteredSchema: Sendable, Hashable {
    /// The registry's global id for this schema text.
    public let id: Int
    /// The subject it was fetched under; `nil` when fetched by id.
    public let subject: String?
    /// Its version under ``subject``; `nil` when fetched by id.
    public let version: Int?
    /// `AVRO`, `PROTOBUF` or `JSON`; a response without `schemaType` is Avro.
    public let schemaType: String
    /// The schema text as the registry returned it.
    public let text: String
    public let references: [SchemaReference]
    /// The parsed form, parsed once when the schema was fetched.
    let parsed: Parsed

    /// The parsed Avro schema, or why there is none.
    enum Parsed: Sendable, Hashable {
        case avro(AvroSchema)
        case notAvro
        case invalid(SchemaError)
    }

    init(id: Int, subject: String?, version: Int?, schemaType: String, text: String, references: [SchemaReference], parsed: Parsed) {
        self.id = id
        self.subject = subject
        self.version = version
        self.schemaType = schemaType
        self.text = text
        self.references = references
        self.parsed = parsed
    }

    /// The same schema, as found under a subject and version.
    func under(subject: String, version: Int) -> RegisteredSchema {
        RegisteredSchema(id: id, subject: subject, version: version, schemaType: schemaType, text: text, references: references, parsed: parsed)
    }

    /// The same schema, without a subject and version (as the id cache holds it).
    var byID: RegisteredSchema {
        RegisteredSchema(id: id, subject: nil, version: nil, schemaType: schemaType, text: text, references: references, parsed: parsed)
    }

    /// The parsed Avro schema, with the named types of its references. Throws when the schema
    /// is not Avro, or when the registry holds Avro text this package rejects.
    public var avroSchema: AvroSchema {
        get throws(SchemaRegistryError) {
            switch parsed {
            case .avro(let schema): return schema
            case .notAvro:
                throw SchemaRegistryError(kind: .malformedResponse, message: "schema \(id) is a \(schemaType) schema, not Avro")
            case .invalid(let error):
                throw SchemaRegistryError(kind: .malformedResponse, message: "schema \(id) is not valid Avro: \(error)")
            }
        }
    }
}
