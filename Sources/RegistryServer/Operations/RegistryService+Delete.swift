import Registry

extension RegistryService {
    /// `DELETE /subjects/{subject}`: soft-deletes the subject's live versions (and its config and
    /// mode), or with `permanent` removes its already soft-deleted versions; returns the versions.
    func deleteSubject(_ subject: String, permanent: Bool) async throws -> [Int] {
        let service = self
        return try await store.write { state in
            guard state.hasSubject(subject, includeDeleted: true) else { throw RegistryHTTPError.subjectNotFound(subject) }
            guard permanent || state.hasSubject(subject, includeDeleted: false) else { throw RegistryHTTPError.subjectSoftDeleted(subject) }
            try service.requireWritable(subject, in: state)
            let versions = state.versions(of: subject, includeDeleted: permanent)
            for (version, entry) in versions {
                if !state.referencingIDs(subject: subject, version: version).isEmpty {
                    throw RegistryHTTPError.referenceExists(subject: subject, version: version)
                }
                if permanent, !entry.deleted { throw RegistryHTTPError.subjectNotSoftDeleted(subject) }
            }
            let numbers = versions.map(\.version)
            var records: [LogRecord] = []
            if permanent {
                records = numbers.map { LogRecord(key: RecordKey.schema(subject: subject, version: $0).bytes, value: nil) }
            } else {
                let watermark = DeleteSubjectRecordValue(subject: subject, version: numbers.last ?? 0)
                records.append(LogRecord(key: RecordKey.deleteSubject(subject: subject).bytes, value: watermark.bytes))
                if state.subjectCompatibility[subject] != nil {
                    records.append(LogRecord(key: RecordKey.config(subject: subject).bytes, value: nil))
                }
                if state.subjectModes[subject] != nil {
                    records.append(LogRecord(key: RecordKey.mode(subject: subject).bytes, value: nil))
                }
            }
            return .append(records) { _ in numbers }
        }
    }

    /// `DELETE /subjects/{subject}/versions/{version}`: soft-deletes a live version, or with
    /// `permanent` removes a soft-deleted one; returns its number.
    func deleteVersion(subject: String, version selector: VersionSelector, text: String, permanent: Bool) async throws -> Int {
        let service = self
        return try await store.write { state in
            guard let (version, entry) = state.version(selector.number, of: subject, includeDeleted: true) else {
                guard state.hasSubject(subject, includeDeleted: true) else { throw RegistryHTTPError.subjectNotFound(subject) }
                throw RegistryHTTPError.versionNotFound(selector.numberForMessages)
            }
            if !permanent, entry.deleted { throw RegistryHTTPError.versionSoftDeleted(subject, text) }
            if permanent, !entry.deleted { throw RegistryHTTPError.versionNotSoftDeleted(subject, text) }
            try service.requireWritable(subject, in: state)
            if !state.referencingIDs(subject: subject, version: version).isEmpty {
                throw RegistryHTTPError.referenceExists(subject: subject, version: version)
            }
            let key = RecordKey.schema(subject: subject, version: version).bytes
            guard !permanent else { return .append([LogRecord(key: key, value: nil)]) { _ in version } }
            guard let stored = state.schemas[entry.id] else { throw RegistryHTTPError.versionNotFound(version) }
            let value = SchemaRecordValue(
                subject: subject, version: version, id: entry.id, schemaType: stored.schemaType,
                references: stored.references, schema: stored.schema, deleted: true)
            return .append([LogRecord(key: key, value: value.bytes)]) { _ in version }
        }
    }
}
