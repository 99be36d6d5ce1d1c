import Foundation
import Hummingbird
import Registry

/// A failure answered with Confluent's error body, `{"error_code":40401,"message":"…"}`,
/// and the HTTP status Confluent uses for it.
struct RegistryHTTPError: Error, HTTPResponseError, CustomStringConvertible {
    var status: HTTPResponse.Status
    var body: RegistryErrorBody
    /// Extra response headers (`WWW-Authenticate` on 401).
    var headers: HTTPFields = [:]

    init(status: HTTPResponse.Status, errorCode: Int, message: String) {
        self.status = status
        self.body = RegistryErrorBody(errorCode: errorCode, message: message)
    }

    init(_ code: RegistryErrorCode, _ message: String) {
        self.init(status: HTTPResponse.Status(code: code.httpStatus), errorCode: code.rawValue, message: message)
    }

    var description: String { "\(body.errorCode): \(body.message)" }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let data = (try? JSONEncoder().encode(body)) ?? Data("{}".utf8)
        var headers = headers
        headers[.contentType] = RegistryAPI.responseContentType
        return Response(
            status: status,
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension RegistryHTTPError {
    static func subjectNotFound(_ subject: String) -> Self {
        Self(.subjectNotFound, "Subject '\(subject)' not found.")
    }

    static func versionNotFound(_ version: Int) -> Self {
        Self(.versionNotFound, "Version \(version) not found.")
    }

    static func schemaNotFound(id: Int? = nil) -> Self {
        Self(.schemaNotFound, id.map { "Schema \($0) not found" } ?? "Schema not found")
    }

    static func subjectSoftDeleted(_ subject: String) -> Self {
        Self(.subjectSoftDeleted, "Subject '\(subject)' was soft deleted.Set permanent=true to delete permanently")
    }

    static func subjectNotSoftDeleted(_ subject: String) -> Self {
        Self(.subjectNotSoftDeleted, "Subject '\(subject)' was not deleted first before being permanently deleted")
    }

    static func versionSoftDeleted(_ subject: String, _ version: String) -> Self {
        Self(.schemaVersionSoftDeleted, "Subject '\(subject)' Version \(version) was soft deleted.Set permanent=true to delete permanently")
    }

    static func versionNotSoftDeleted(_ subject: String, _ version: String) -> Self {
        Self(.schemaVersionNotSoftDeleted, "Subject '\(subject)' Version \(version) was not deleted first before being permanently deleted")
    }

    static func subjectCompatibilityNotConfigured(_ subject: String) -> Self {
        Self(.subjectCompatibilityNotConfigured, "Subject '\(subject)' does not have subject-level compatibility configured")
    }

    static func subjectModeNotConfigured(_ subject: String) -> Self {
        Self(.subjectModeNotConfigured, "Subject '\(subject)' does not have subject-level mode configured")
    }

    /// 409 with `errorCode` 409 (Confluent before 7.x) or 40901 (since), as the server is configured.
    static func incompatibleSchema(subject: String, messages: [String], errorCode: Int) -> Self {
        Self(status: .conflict, errorCode: errorCode,
             message: "Schema being registered is incompatible with an earlier schema for subject \"\(subject)\", details: [\(messages.joined(separator: ", "))]")
    }

    static func invalidSchema(_ details: String) -> Self {
        Self(.invalidSchema, details)
    }

    static func invalidVersion(_ version: String) -> Self {
        Self(.invalidVersion, "The specified version '\(version)' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"")
    }

    static let invalidCompatibilityLevel = Self(
        .invalidCompatibilityLevel,
        "Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive")

    static let invalidMode = Self(.invalidMode, "Invalid mode. Valid values are READWRITE, READONLY, READONLY_OVERRIDE, and IMPORT.")

    static func operationNotPermitted(_ message: String) -> Self {
        Self(.operationNotPermitted, message)
    }

    /// Confluent's message is the referenced schema's key as its Java `toString` writes it.
    static func referenceExists(subject: String, version: Int) -> Self {
        Self(.referenceExists, "One or more references exist to the schema {magic=1,keytype=SCHEMA,subject=\(subject),version=\(version)}.")
    }

    static func storeError(_ message: String) -> Self {
        Self(.storeError, message)
    }

    static func operationTimeout(_ message: String) -> Self {
        Self(.operationTimeout, message)
    }

    static func badRequest(_ message: String) -> Self {
        Self(status: .badRequest, errorCode: 400, message: message)
    }

    static let notFound = Self(status: .notFound, errorCode: 404, message: "HTTP 404 Not Found")
    static let methodNotAllowed = Self(status: .methodNotAllowed, errorCode: 405, message: "HTTP 405 Method Not Allowed")
    static let unsupportedMediaType = Self(status: .unsupportedMediaType, errorCode: 415, message: "HTTP 415 Unsupported Media Type")
    static let unauthorized: Self = {
        var error = Self(status: .unauthorized, errorCode: 401, message: "Unauthorized")
        error.headers[.wwwAuthenticate] = "Basic realm=\"avrogate-registry\""
        return error
    }()
}
