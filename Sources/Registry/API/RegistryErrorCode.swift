/// Confluent Schema Registry's `error_code` values; the HTTP status is the first three digits
/// (`incompatibleSchemaLegacy` is the bare 409 older registries send).
public enum RegistryErrorCode: Int, Codable, Sendable, Hashable, CaseIterable {
    /// A body that is not valid JSON or lacks a required property.
    case badRequest = 400
    case unauthorized = 401
    /// No such endpoint.
    case notFound = 404
    case incompatibleSchemaLegacy = 409
    case subjectNotFound = 40401
    case versionNotFound = 40402
    case schemaNotFound = 40403
    case subjectSoftDeleted = 40404
    case subjectNotSoftDeleted = 40405
    case schemaVersionSoftDeleted = 40406
    case schemaVersionNotSoftDeleted = 40407
    case subjectCompatibilityNotConfigured = 40408
    case subjectModeNotConfigured = 40409
    case incompatibleSchema = 40901
    case invalidSchema = 42201
    case invalidVersion = 42202
    case invalidCompatibilityLevel = 42203
    case invalidMode = 42204
    case operationNotPermitted = 42205
    case referenceExists = 42206
    /// An IMPORT registration's id differs from the id the same schema already has.
    case idDoesNotMatch = 42207
    case storeError = 50001
    case operationTimeout = 50002
    case requestForwardingFailed = 50003

    /// The HTTP status Confluent answers this code with.
    public var httpStatus: Int {
        rawValue < 1000 ? rawValue : rawValue / 100
    }
}
