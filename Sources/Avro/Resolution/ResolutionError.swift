/// Why a writer→reader resolution could not be planned, or a value could not be projected.
public struct ResolutionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable code for the failure.
    public enum Code: String, Sendable, Hashable {
        /// The reader schema cannot read the writer schema; ``ResolutionError/incompatibilities`` says why.
        case incompatibleSchemas
        /// A reader default does not fit its type (a schema the parser let through).
        case invalidReaderDefault
        /// The value given to ``ResolutionPlan/project(_:)`` is not shaped by the writer schema.
        case valueDoesNotMatchWriter
    }

    /// What failed.
    public let code: Code
    /// A sentence saying what failed.
    public let message: String
    /// For ``Code/incompatibleSchemas``: every reason, as ``CompatibilityChecker/canRead(reader:writer:)`` gives them.
    public let incompatibilities: [Incompatibility]

    /// An error with its code, message and, for incompatible schemas, the reasons.
    public init(code: Code, message: String, incompatibilities: [Incompatibility] = []) {
        self.code = code
        self.message = message
        self.incompatibilities = incompatibilities
    }

    public var description: String {
        guard !incompatibilities.isEmpty else { return message }
        return message + ": " + incompatibilities.map(\.description).joined(separator: "; ")
    }
}
