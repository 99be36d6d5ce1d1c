import Avro
import Foundation
import Registry

/// A schema given in a request (register, lookup, compatibility check), parsed and resolved
/// against the registry's state.
struct CandidateSchema: Sendable {
    /// The text to store: the request's schema compacted (whitespace removed, everything else
    /// kept, as Confluent stores Avro's compact `toString`), or the normalized form with `normalize`.
    var text: String
    var schemaType: String
    /// The references, with `latest`/-1 versions resolved to numbers.
    var references: [SchemaReference]
    var parsed: AvroSchema
    /// See ``StoredSchema/identity``.
    var identity: String

    init(request: RegisterSchemaRequest, normalize: Bool, in state: RegistryState) throws(RegistryHTTPError) {
        let schemaType = request.schemaType?.uppercased() ?? RegistryAPI.avroSchemaType
        guard schemaType == RegistryAPI.avroSchemaType else { throw .invalidSchema("Invalid schema type \(request.schemaType ?? "")") }
        guard !request.schema.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw .invalidSchema("Empty schema") }
        var references: [SchemaReference] = []
        var referenced: [AvroSchema] = []
        for reference in request.references ?? [] {
            let selector = reference.version == -1 ? VersionSelector.latest : .number(reference.version)
            guard let (version, _) = state.version(selector.number, of: reference.subject, includeDeleted: false),
                  let schema = state.schema(subject: reference.subject, version: version), let parsed = schema.parsed else {
                throw .invalidSchema(Self.invalidMessage(request, details: "No schema reference found for subject \"\(reference.subject)\" and version \(reference.version)"))
            }
            references.append(SchemaReference(name: reference.name, subject: reference.subject, version: version))
            referenced.append(parsed)
        }
        let parsed: AvroSchema
        do {
            parsed = try AvroSchema(parsing: request.schema, referencing: referenced)
        } catch {
            throw .invalidSchema(Self.invalidMessage(request, details: error.description))
        }
        self.schemaType = schemaType
        self.references = references
        self.parsed = parsed
        self.text = normalize ? parsed.normalizedForm : ((try? JSONValue.parse(request.schema).jsonText) ?? request.schema)
        self.identity = StoredSchema.identity(schema: text, schemaType: schemaType, references: references, parsed: parsed)
    }

    /// Confluent's 42201 message: the schema, its references and type, then what is wrong.
    private static func invalidMessage(_ request: RegisterSchemaRequest, details: String) -> String {
        let references = (request.references ?? []).map { "{name='\($0.name)', subject='\($0.subject)', version=\($0.version)}" }
        return "Invalid schema \(request.schema) with refs [\(references.joined(separator: ", "))] of type \(request.schemaType ?? RegistryAPI.avroSchemaType), details: \(details)"
    }
}
