import Avro
import Registry

/// The registry's state: a deterministic function of the log. Every instance applies the same
/// records in the same order with the same rules, so every instance reaches the same state;
/// that is what lets several instances share one topic without a leader.
///
/// The one rule beyond Confluent's: a `SCHEMA` record whose id is already taken by a different
/// schema, or whose (subject, version) is already taken by a different id, lost a race between
/// two writers and is ignored: the first writer in log order wins, and the loser sees that after
/// applying its own record and tries again.
struct RegistryState: Sendable {
    /// One version of a subject.
    struct Version: Sendable, Hashable {
        var id: Int
        var deleted: Bool
    }

    /// Every subject's versions, by version number; subjects without versions are absent.
    private(set) var subjects: [String: [Int: Version]] = [:]
    /// Every schema still used by some version, by id.
    private(set) var schemas: [Int: StoredSchema] = [:]
    /// Schema ids by ``StoredSchema/identity``: the id a schema registered again gets.
    private(set) var idsByIdentity: [String: Int] = [:]
    /// The largest id ever applied; new schemas get the next one.
    private(set) var maxID = 0
    /// Compatibility levels (raw values) set by `PUT /config`; `nil` for the global one means the default.
    private(set) var globalCompatibility: String?
    private(set) var subjectCompatibility: [String: String] = [:]
    /// Modes (raw values) set by `PUT /mode`; `nil` for the global one means READWRITE.
    private(set) var globalMode: String?
    private(set) var subjectModes: [String: String] = [:]
    /// The offset of the last record applied, -1 before the first.
    private(set) var appliedOffset: Int64 = -1

    /// Applies one record of the log.
    mutating func apply(_ record: LoggedRecord) {
        defer { appliedOffset = max(appliedOffset, record.offset) }
        guard let keyBytes = record.key, let key = RecordKey(bytes: keyBytes) else { return }
        switch key {
        case .schema(let subject, let version):
            if let valueBytes = record.value {
                guard let value = SchemaRecordValue(bytes: valueBytes) else { return }
                applySchema(value, subject: subject, version: version)
            } else {
                removeVersion(subject: subject, version: version)
            }
        case .config(let subject):
            let level = record.value.flatMap(ConfigRecordValue.init(bytes:))?.compatibilityLevel
            if let subject { subjectCompatibility[subject] = level } else { globalCompatibility = level }
        case .mode(let subject):
            let mode = record.value.flatMap(ModeRecordValue.init(bytes:))?.mode
            if let subject { subjectModes[subject] = mode } else { globalMode = mode }
        case .deleteSubject(let subject):
            guard let value = record.value.flatMap(DeleteSubjectRecordValue.init(bytes:)) else { return }
            for (version, entry) in subjects[subject] ?? [:] where version <= value.version && !entry.deleted {
                subjects[subject]?[version]?.deleted = true
            }
        case .clearSubject(let subject):
            for (version, entry) in subjects[subject] ?? [:] where entry.deleted {
                removeVersion(subject: subject, version: version)
            }
        case .noop, .other:
            return
        }
    }

    private mutating func applySchema(_ value: SchemaRecordValue, subject: String, version: Int) {
        if let existing = subjects[subject]?[version], existing.id != value.id { return }
        let identity: String
        if let known = schemas[value.id] {
            identity = known.identity
            let candidate = StoredSchema.identity(schema: value.schema, schemaType: value.schemaType, references: value.references, in: self)
            guard candidate == identity else { return }
        } else {
            let stored = StoredSchema(id: value.id, schema: value.schema, schemaType: value.schemaType, references: value.references, in: self)
            identity = stored.identity
            schemas[value.id] = stored
        }
        if idsByIdentity[identity] == nil { idsByIdentity[identity] = value.id }
        maxID = max(maxID, value.id)
        subjects[subject, default: [:]][version] = Version(id: value.id, deleted: value.deleted)
    }

    private mutating func removeVersion(subject: String, version: Int) {
        guard let removed = subjects[subject]?.removeValue(forKey: version) else { return }
        if subjects[subject]?.isEmpty == true { subjects[subject] = nil }
        let stillUsed = subjects.values.contains { versions in versions.values.contains { $0.id == removed.id } }
        if !stillUsed, let schema = schemas.removeValue(forKey: removed.id), idsByIdentity[schema.identity] == removed.id {
            idsByIdentity[schema.identity] = nil
        }
    }
}

extension RegistryState {
    /// A subject's versions in ascending order; soft-deleted ones only when `includeDeleted`.
    func versions(of subject: String, includeDeleted: Bool) -> [(version: Int, entry: Version)] {
        (subjects[subject] ?? [:]).filter { includeDeleted || !$0.value.deleted }
            .sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// Whether the subject has versions (live ones, or any when `includeDeleted`).
    func hasSubject(_ subject: String, includeDeleted: Bool) -> Bool {
        subjects[subject]?.values.contains { includeDeleted || !$0.deleted } ?? false
    }

    /// The subject's version `version`, or its latest live (or any, with `includeDeleted`) version when `nil`.
    func version(_ version: Int?, of subject: String, includeDeleted: Bool) -> (version: Int, entry: Version)? {
        if let version {
            guard let entry = subjects[subject]?[version], includeDeleted || !entry.deleted else { return nil }
            return (version, entry)
        }
        return versions(of: subject, includeDeleted: includeDeleted).last
    }

    /// The schema registered as (subject, version), soft-deleted or not.
    func schema(subject: String, version: Int) -> StoredSchema? {
        subjects[subject]?[version].flatMap { schemas[$0.id] }
    }

    /// Subjects in name order.
    func subjectNames(includeDeleted: Bool) -> [String] {
        subjects.keys.filter { hasSubject($0, includeDeleted: includeDeleted) }.sorted()
    }

    /// (subject, version) pairs using schema `id`, in subject then version order.
    func subjectVersions(usingID id: Int, includeDeleted: Bool) -> [SubjectVersion] {
        subjects.flatMap { subject, versions in
            versions.filter { $0.value.id == id && (includeDeleted || !$0.value.deleted) }
                .map { SubjectVersion(subject: subject, version: $0.key) }
        }.sorted { ($0.subject, $0.version) < ($1.subject, $1.version) }
    }

    /// Ids of the live schemas whose references name (subject, version), ascending.
    func referencingIDs(subject: String, version: Int) -> [Int] {
        var ids: Set<Int> = []
        for versions in subjects.values {
            for entry in versions.values where !entry.deleted {
                if schemas[entry.id]?.references.contains(where: { $0.subject == subject && $0.version == version }) == true {
                    ids.insert(entry.id)
                }
            }
        }
        return ids.sorted()
    }

    /// The compatibility level (raw value) that applies to `subject`, `defaultLevel` when none is set.
    func compatibility(for subject: String?, defaultLevel: String) -> String {
        subject.flatMap { subjectCompatibility[$0] } ?? globalCompatibility ?? defaultLevel
    }

    /// The mode (raw value) that applies to `subject`: READONLY_OVERRIDE globally beats any subject mode.
    func mode(for subject: String?) -> String {
        let global = globalMode ?? Mode.readWrite.rawValue
        if global == Mode.readOnlyOverride.rawValue { return global }
        return subject.flatMap { subjectModes[$0] } ?? global
    }
}
