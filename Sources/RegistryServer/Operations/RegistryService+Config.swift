import Avro
import Registry

extension RegistryService {
    /// `GET /config[/{subject}]`: the subject's own level (or with `defaultToGlobal` the one that
    /// applies), or the global level for `nil`.
    func compatibility(subject: String?, defaultToGlobal: Bool) throws -> String {
        try store.read { state in
            guard let subject else { return compatibilityLevel(for: nil, in: state).rawValue }
            if let own = state.subjectCompatibility[subject] { return own }
            guard defaultToGlobal else { throw RegistryHTTPError.subjectCompatibilityNotConfigured(subject) }
            return compatibilityLevel(for: subject, in: state).rawValue
        }
    }

    /// `PUT /config[/{subject}]`: sets the level; returns its raw value.
    func setCompatibility(_ requested: String, subject: String?) async throws -> String {
        guard let level = CompatibilityLevel(rawValue: requested.uppercased()) else { throw RegistryHTTPError.invalidCompatibilityLevel }
        let record = LogRecord(key: RecordKey.config(subject: subject).bytes, value: ConfigRecordValue(compatibilityLevel: level.rawValue).bytes)
        return try await store.write { _ in .append([record]) { _ in level.rawValue } }
    }

    /// `DELETE /config[/{subject}]`: removes the level set there; returns the level it had.
    func deleteCompatibility(subject: String?) async throws -> String {
        let service = self
        return try await store.write { state in
            let old: String
            if let subject {
                guard let own = state.subjectCompatibility[subject] else { throw RegistryHTTPError.subjectNotFound(subject) }
                old = own
            } else {
                old = service.compatibilityLevel(for: nil, in: state).rawValue
            }
            return .append([LogRecord(key: RecordKey.config(subject: subject).bytes, value: nil)]) { _ in old }
        }
    }
}
