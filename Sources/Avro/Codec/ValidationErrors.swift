/// Every problem found in one JSON event (all of them, up to the configured maximum).
public struct ValidationErrors: Error, Sendable, Hashable, CustomStringConvertible {
    public var errors: [ValidationError]
    /// True when more problems were found than the configured maximum reports.
    public var isTruncated: Bool

    public init(_ errors: [ValidationError], isTruncated: Bool = false) {
        self.errors = errors
        self.isTruncated = isTruncated
    }

    public var description: String {
        errors.map(\.description).joined(separator: "; ") + (isTruncated ? "; (more errors not shown)" : "")
    }
}
