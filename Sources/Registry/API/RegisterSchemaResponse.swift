/// The answer to a registration: the schema's global id.
public struct RegisterSchemaResponse: Codable, Sendable, Hashable {
    public var id: Int

    public init(id: Int) {
        self.id = id
    }
}
