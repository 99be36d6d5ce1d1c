/// A registry or subject mode: whether writes are allowed, and whether ids are given by the caller.
public enum Mode: String, Codable, Sendable, Hashable, CaseIterable {
    case readWrite = "READWRITE"
    case readOnly = "READONLY"
    /// Read-only, and not overridable by a subject-level mode.
    case readOnlyOverride = "READONLY_OVERRIDE"
    /// Registrations carry their id and version (for migrating from another registry).
    case `import` = "IMPORT"
}
