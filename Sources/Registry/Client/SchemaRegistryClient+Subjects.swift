extension SchemaRegistryClient {
    /// The registry's subjects (`GET /subjects`), soft-deleted ones too when asked.
    public func subjects(prefix: String? = nil, includeDeleted: Bool = false) async throws(SchemaRegistryError) -> [String] {
        var query = Self.deleted(includeDeleted)
        if let prefix { query.append(("subjectPrefix", prefix)) }
        return try await transport.send(HTTPRequest(.get, ["subjects"], query: query), as: [String].self)
    }

    /// A subject's version numbers (`GET /subjects/{subject}/versions`), soft-deleted ones too when asked.
    public func versions(subject: String, includeDeleted: Bool = false) async throws(SchemaRegistryError) -> [Int] {
        try await transport.send(HTTPRequest(.get, ["subjects", subject, "versions"], query: Self.deleted(includeDeleted)), as: [Int].self)
    }

    /// Deletes a subject (`DELETE /subjects/{subject}`) and returns the deleted versions. A soft
    /// delete hides it; `permanent` removes a soft-deleted subject for good.
    @discardableResult
    public func deleteSubject(_ subject: String, permanent: Bool = false) async throws(SchemaRegistryError) -> [Int] {
        defer { forget(subject: subject) }
        return try await transport.send(HTTPRequest(.delete, ["subjects", subject], query: Self.permanent(permanent)), as: [Int].self)
    }

    /// Deletes one version of a subject (`DELETE /subjects/{subject}/versions/{version}`) and
    /// returns its number; `permanent` removes a soft-deleted version for good.
    @discardableResult
    public func deleteVersion(subject: String, version: Int, permanent: Bool = false) async throws(SchemaRegistryError) -> Int {
        defer { forget(subject: subject) }
        return try await transport.send(HTTPRequest(.delete, ["subjects", subject, "versions", String(version)], query: Self.permanent(permanent)), as: Int.self)
    }

    private static func permanent(_ permanent: Bool) -> [(name: String, value: String)] {
        permanent ? [("permanent", "true")] : []
    }
}
