/// A (subject, version) pair, as `GET /schemas/ids/{id}/versions` lists them.
public struct SubjectVersion: Codable, Sendable, Hashable {
    public var subject: String
    public var version: Int

    public init(subject: String, version: Int) {
        self.subject = subject
        self.version = version
    }
}
