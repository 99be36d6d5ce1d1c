import Registry

extension RegistryService {
    /// `GET /schemas/ids/{id}`.
    func schema(id: Int) throws -> SchemaByIDResponse {
        try store.read { state in
            guard let stored = state.schemas[id] else { throw RegistryHTTPError.schemaNotFound(id: id) }
            return SchemaByIDResponse(
                schema: stored.schema,
                schemaType: stored.schemaType == RegistryAPI.avroSchemaType ? nil : stored.schemaType,
                references: stored.references.isEmpty ? nil : stored.references)
        }
    }

    /// `GET /schemas/ids/{id}/versions`: the (subject, version) pairs using the id.
    func subjectVersions(id: Int, subject: String?, includeDeleted: Bool) throws -> [SubjectVersion] {
        try store.read { state in
            guard state.schemas[id] != nil else { throw RegistryHTTPError.schemaNotFound() }
            return state.subjectVersions(usingID: id, includeDeleted: includeDeleted).filter { subject == nil || $0.subject == subject }
        }
    }

    /// `GET /schemas`: every (live, or any with `includeDeleted`) version of the subjects with the prefix.
    func schemas(subjectPrefix: String, includeDeleted: Bool, latestOnly: Bool) -> [SubjectVersionResponse] {
        store.read { state in
            state.subjectNames(includeDeleted: includeDeleted).filter { $0.hasPrefix(subjectPrefix) }.flatMap { subject in
                var versions = state.versions(of: subject, includeDeleted: includeDeleted)
                if latestOnly, let last = versions.last { versions = [last] }
                return versions.compactMap { version, entry in
                    state.schemas[entry.id].map { SubjectVersionResponse(subject: subject, version: version, stored: $0) }
                }
            }
        }
    }

    /// `GET /subjects`.
    func subjects(prefix: String, includeDeleted: Bool, deletedOnly: Bool) -> [String] {
        store.read { state in
            let names = state.subjectNames(includeDeleted: includeDeleted || deletedOnly).filter { $0.hasPrefix(prefix) }
            guard deletedOnly else { return names }
            return names.filter { !state.hasSubject($0, includeDeleted: false) }
        }
    }

    /// `GET /subjects/{subject}/versions`.
    func versions(subject: String, includeDeleted: Bool, deletedOnly: Bool) throws -> [Int] {
        try store.read { state in
            guard state.hasSubject(subject, includeDeleted: includeDeleted || deletedOnly) else { throw RegistryHTTPError.subjectNotFound(subject) }
            let versions = state.versions(of: subject, includeDeleted: includeDeleted || deletedOnly)
            return versions.filter { !deletedOnly || $0.entry.deleted }.map(\.version)
        }
    }

    /// `GET /subjects/{subject}/versions/{version}`.
    func version(subject: String, version selector: VersionSelector, includeDeleted: Bool) throws -> SubjectVersionResponse {
        try store.read { state in
            guard let (version, entry) = state.version(selector.number, of: subject, includeDeleted: includeDeleted),
                  let stored = state.schemas[entry.id] else {
                guard state.hasSubject(subject, includeDeleted: includeDeleted) else { throw RegistryHTTPError.subjectNotFound(subject) }
                throw RegistryHTTPError.versionNotFound(selector.numberForMessages)
            }
            return SubjectVersionResponse(subject: subject, version: version, stored: stored)
        }
    }

    /// `GET /subjects/{subject}/versions/{version}/referencedby`: ids of the schemas that reference it.
    func referencedBy(subject: String, version selector: VersionSelector) throws -> [Int] {
        let found = try version(subject: subject, version: selector, includeDeleted: true)
        return store.read { $0.referencingIDs(subject: subject, version: found.version) }
    }

    /// `GET /schemas/ids/{id}/subjects`: the subjects using the id, in name order.
    func subjects(id: Int, subject: String?, includeDeleted: Bool) throws -> [String] {
        var seen: Set<String> = []
        return try subjectVersions(id: id, subject: subject, includeDeleted: includeDeleted).map(\.subject).filter { seen.insert($0).inserted }
    }
}
