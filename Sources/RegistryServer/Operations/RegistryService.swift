import Avro
import Logging
import Registry

/// The registry's operations with Confluent's semantics, over a ``SchemaStore``: what the routes call.
struct RegistryService: Sendable {
    let store: SchemaStore
    /// The compatibility level when neither the subject nor the global config sets one.
    let defaultCompatibility: CompatibilityLevel
    /// The `error_code` of incompatible-schema errors: 409 (Confluent before 7.x) or 40901.
    let incompatibleErrorCode: Int

    /// The level that applies to `subject` (or the global one for `nil`).
    func compatibilityLevel(for subject: String?, in state: RegistryState) -> CompatibilityLevel {
        CompatibilityLevel(rawValue: state.compatibility(for: subject, defaultLevel: defaultCompatibility.rawValue)) ?? defaultCompatibility
    }

    /// The messages of a failed check of `candidate` against the subject's live `versions` under the
    /// subject's level, in Confluent's verbose format; empty when compatible.
    func incompatibilities(of candidate: AvroSchema, against versions: [Int], subject: String, in state: RegistryState) -> [String] {
        let level = compatibilityLevel(for: subject, in: state)
        let existing: [(version: Int, schema: StoredSchema, parsed: AvroSchema)] = versions.compactMap { version in
            guard let stored = state.schema(subject: subject, version: version), let parsed = stored.parsed else { return nil }
            return (version, stored, parsed)
        }
        let found = CompatibilityChecker.check(new: candidate, existing: existing.map(\.parsed), level: level)
        return CompatibilityChecker.confluentMessages(
            for: found, level: level,
            version: { existing[$0].version }, schemaText: { existing[$0].schema.schema })
    }

    /// Throws 42205 unless the subject's mode allows writes.
    func requireWritable(_ subject: String?, in state: RegistryState) throws(RegistryHTTPError) {
        let mode = state.mode(for: subject)
        if mode == Mode.readOnly.rawValue || mode == Mode.readOnlyOverride.rawValue {
            throw .operationNotPermitted("Subject \(subject ?? "") is in read-only mode")
        }
    }
}
