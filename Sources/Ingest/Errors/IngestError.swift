import Avro
import Foundation
import Hummingbird

/// A failure answered as JSON: a stable ``IngestErrorCode``, a message that says what to fix, and
/// where it applies the errors of each rejected record and the outcome of each record.
public struct IngestError: Error, HTTPResponseError, CustomStringConvertible {
    public var code: IngestErrorCode
    public var message: String
    /// Every problem of every rejected record.
    public var recordErrors: [RecordError] = []
    /// Further members of the body (per-record `offsets`, REST Proxy's schema ids), in order.
    var extraMembers: [(String, JSONValue)] = []
    /// Seconds after which a retry may succeed (`Retry-After`), for 429 and 503.
    public var retryAfter: Int?
    /// The response content type: JSON, or REST Proxy's `application/vnd.kafka.v2+json`.
    var contentType = "application/json"

    public init(_ code: IngestErrorCode, _ message: String, recordErrors: [RecordError] = [], retryAfter: Int? = nil) {
        self.code = code
        self.message = message
        self.recordErrors = recordErrors
        self.retryAfter = retryAfter
    }

    public var status: HTTPResponse.Status { HTTPResponse.Status(code: code.httpStatus) }

    public var description: String { "\(code.rawValue): \(message)" }

    /// The JSON body: `error_code`, `message`, then `errors` and any extra members.
    var body: JSONValue {
        var object = JSONObject([("error_code", .integer(Int64(code.rawValue))), ("message", .string(message))])
        if !recordErrors.isEmpty {
            object["errors"] = .array(recordErrors.map(\.json))
        }
        for (key, value) in extraMembers {
            object[key] = value
        }
        return .object(object)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [.contentType: contentType]
        if let retryAfter {
            headers[.retryAfter] = String(retryAfter)
        }
        if code == .unauthenticated {
            headers[.wwwAuthenticate] = "Bearer realm=\"avrogate\""
        }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body.jsonText)))
    }
}

extension RecordError {
    /// `{"index":…, "line":…, "path":…, "expected":…, "got":…}`.
    var json: JSONValue {
        var object = JSONObject([("index", .integer(Int64(index)))])
        if let line {
            object["line"] = .integer(Int64(line))
        }
        object["error_code"] = .integer(Int64(code.rawValue))
        object["path"] = .string(path)
        object["expected"] = .string(expected)
        object["got"] = .string(got)
        return .object(object)
    }
}
