/// A schema that is not valid Avro, with where in the schema the problem is.
public struct SchemaError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A JSON path into the schema document, e.g. `$.fields[2].type`.
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "invalid schema at \(path): \(message)" }
}
