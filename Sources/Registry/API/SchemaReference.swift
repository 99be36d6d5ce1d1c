/// A reference from one schema to a schema registered under another subject: `name` is the
/// name the referring schema uses (for Avro, the full name of the referenced named type).
public struct SchemaReference: Codable, Sendable, Hashable {
    public var name: String
    public var subject: String
    public var version: Int

    public init(name: String, subject: String, version: Int) {
        self.name = name
        self.subject = subject
        self.version = version
    }
}
