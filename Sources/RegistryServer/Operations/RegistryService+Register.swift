import Avro
import Registry

extension RegistryService {
    /// `POST /subjects/{subject}/versions`: the schema's id, registering it as the subject's next
    /// version unless the subject already has it. Enforces the mode and the compatibility level;
    /// in IMPORT mode the request's id (and version) are used and compatibility is not checked.
    func register(subject: String, request: RegisterSchemaRequest, normalize: Bool) async throws -> Int {
        let incompatibleErrorCode = incompatibleErrorCode
        let service = self
        return try await store.write { state in
            let mode = state.mode(for: subject)
            let importID = request.id.flatMap { $0 >= 0 ? $0 : nil }
            try service.requireWritable(subject, in: state)
            if importID != nil, mode != Mode.import.rawValue {
                throw RegistryHTTPError.operationNotPermitted("Subject \(subject) is not in import mode")
            }
            if importID == nil, mode == Mode.import.rawValue {
                throw RegistryHTTPError.operationNotPermitted("Subject \(subject) is not in read-write mode")
            }
            let candidate = try CandidateSchema(request: request, normalize: normalize, in: state)
            let live = state.versions(of: subject, includeDeleted: false)
            if let match = live.last(where: { state.schemas[$0.entry.id]?.identity == candidate.identity }) {
                guard let importID, importID != match.entry.id else { return .done(match.entry.id) }
                throw RegistryHTTPError(.idDoesNotMatch, "Schema already registered with id \(match.entry.id) instead of input id \(importID)")
            }
            if importID == nil {
                let messages = service.incompatibilities(of: candidate.parsed, against: live.map(\.version), subject: subject, in: state)
                if !messages.isEmpty {
                    throw RegistryHTTPError.incompatibleSchema(subject: subject, messages: messages, errorCode: incompatibleErrorCode)
                }
            }
            let id: Int
            if let importID {
                if let taken = state.schemas[importID], taken.identity != candidate.identity {
                    throw RegistryHTTPError.operationNotPermitted("Overwrite new schema with id \(importID) is not permitted.")
                }
                id = importID
            } else {
                id = state.idsByIdentity[candidate.identity] ?? state.maxID + 1
            }
            let version: Int
            if importID != nil, let requested = request.version, requested > 0 {
                if let taken = state.subjects[subject]?[requested] {
                    guard taken.id == id else {
                        throw RegistryHTTPError.operationNotPermitted("Overwrite new schema with version \(requested) is not permitted.")
                    }
                    return .done(id)
                }
                version = requested
            } else {
                version = (state.versions(of: subject, includeDeleted: true).last?.version ?? 0) + 1
            }
            let value = SchemaRecordValue(
                subject: subject, version: version, id: id, schemaType: candidate.schemaType,
                references: candidate.references, schema: state.schemas[id]?.schema ?? candidate.text, deleted: false)
            let record = LogRecord(key: RecordKey.schema(subject: subject, version: version).bytes, value: value.bytes)
            let identity = candidate.identity
            return .append([record]) { state in
                guard state.subjects[subject]?[version]?.id == id, state.schemas[id]?.identity == identity else { return nil }
                return id
            }
        }
    }

    /// `POST /subjects/{subject}`: the subject's version holding this schema.
    func lookup(subject: String, request: RegisterSchemaRequest, normalize: Bool, includeDeleted: Bool) throws -> SubjectVersionResponse {
        try store.read { state in
            let candidate = try CandidateSchema(request: request, normalize: normalize, in: state)
            let versions = state.versions(of: subject, includeDeleted: includeDeleted)
            guard let match = versions.last(where: { state.schemas[$0.entry.id]?.identity == candidate.identity }),
                  let stored = state.schemas[match.entry.id] else {
                if versions.isEmpty { throw RegistryHTTPError.subjectNotFound(subject) }
                throw RegistryHTTPError.schemaNotFound()
            }
            return SubjectVersionResponse(subject: subject, version: match.version, stored: stored)
        }
    }

    /// `POST /compatibility/subjects/{subject}/versions[/{version}]`: the messages of the check
    /// (empty when compatible) against one version, or against the subject's live versions for `nil`.
    func checkCompatibility(subject: String, version selector: VersionSelector?, request: RegisterSchemaRequest, verbose: Bool) throws -> [String] {
        try store.read { state in
            var against = state.versions(of: subject, includeDeleted: false).map(\.version)
            if let selector {
                if let found = state.version(selector.number, of: subject, includeDeleted: false) {
                    against = [found.version]
                } else if selector == .latest {
                    against = []
                } else {
                    throw RegistryHTTPError.versionNotFound(selector.numberForMessages)
                }
            }
            let candidate: CandidateSchema
            do {
                candidate = try CandidateSchema(request: request, normalize: false, in: state)
            } catch let error as RegistryHTTPError {
                guard verbose else { throw error }
                return [error.body.message]
            }
            return incompatibilities(of: candidate.parsed, against: against, subject: subject, in: state)
        }
    }
}

extension SubjectVersionResponse {
    /// A subject version's answer, without `schemaType` for Avro and `references` when empty, as Confluent writes it.
    init(subject: String, version: Int, stored: StoredSchema) {
        self.init(
            subject: subject, id: stored.id, version: version, schema: stored.schema,
            schemaType: stored.schemaType == RegistryAPI.avroSchemaType ? nil : stored.schemaType,
            references: stored.references.isEmpty ? nil : stored.references)
    }
}
