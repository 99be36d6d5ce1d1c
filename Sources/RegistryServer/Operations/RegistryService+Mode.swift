import Registry

extension RegistryService {
    /// `GET /mode[/{subject}]`: the subject's own mode (or with `defaultToGlobal` the one that
    /// applies), or the global mode for `nil`.
    func mode(subject: String?, defaultToGlobal: Bool) throws -> String {
        try store.read { state in
            guard let subject else { return state.mode(for: nil) }
            if let own = state.subjectModes[subject] { return own }
            guard defaultToGlobal else { throw RegistryHTTPError.subjectModeNotConfigured(subject) }
            return state.mode(for: subject)
        }
    }

    /// `PUT /mode[/{subject}]`: sets the mode. IMPORT is refused while the registry (or the
    /// subject) has schemas, unless `force`.
    func setMode(_ requested: String, subject: String?, force: Bool) async throws -> String {
        guard let mode = Mode(rawValue: requested.uppercased()) else { throw RegistryHTTPError.invalidMode }
        let record = LogRecord(key: RecordKey.mode(subject: subject).bytes, value: ModeRecordValue(mode: mode.rawValue).bytes)
        return try await store.write { state in
            if mode == .import, !force, state.mode(for: subject) == Mode.readWrite.rawValue {
                let hasSchemas = subject.map { state.hasSubject($0, includeDeleted: true) } ?? !state.subjects.isEmpty
                if hasSchemas { throw RegistryHTTPError.operationNotPermitted("Cannot import since found existing subjects") }
            }
            return .append([record]) { _ in mode.rawValue }
        }
    }

    /// `DELETE /mode[/{subject}]`: removes the mode set there; returns the mode it had.
    func deleteMode(subject: String?) async throws -> String {
        try await store.write { state in
            let old: String
            if let subject {
                guard let own = state.subjectModes[subject] else { throw RegistryHTTPError.subjectNotFound(subject) }
                old = own
            } else {
                old = state.mode(for: nil)
            }
            return .append([LogRecord(key: RecordKey.mode(subject: subject).bytes, value: nil)]) { _ in old }
        }
    }
}
