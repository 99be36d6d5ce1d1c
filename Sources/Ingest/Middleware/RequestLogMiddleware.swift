import Avro
import Hummingbird
import Logging

/// The outermost middleware: gives each request an id (`X-Request-Id` from the client when it is
/// usable, else a new one) and returns it, turns every failure into its JSON answer, logs one
/// structured line per request (never an API key: only its id) and counts it in the metrics.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = IngestRequestContext

    let metrics: IngestMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        var context = context
        let requestID = request.headers[.requestID].flatMap(Self.usable) ?? Self.newID()
        context.requestID = requestID
        context.logger[metadataKey: "request_id"] = .string(requestID)
        var response: Response
        var failure: (any Error)?
        do {
            response = try await next(request, context)
        } catch {
            failure = error
            response = Self.response(for: error, request: request, context: context)
        }
        response.headers[.requestID] = requestID
        let route = context.endpointPath ?? "unmatched"
        let duration = ContinuousClock.now - started
        metrics.request(route: route, method: request.method.rawValue, status: Int(response.status.code), duration: duration)
        var metadata: Logger.Metadata = [
            "method": .string(request.method.rawValue), "path": .string(request.uri.path), "route": .string(route),
            "status": .stringConvertible(response.status.code), "duration_ms": .stringConvertible(Double(duration.components.attoseconds / 1_000_000_000_000) / 1000 + Double(duration.components.seconds) * 1000),
        ]
        if let key = context.apiKey { metadata["api_key"] = .string(key.id) }
        if let failure { metadata["error"] = .string("\(failure)") }
        context.logger.log(level: response.status.code >= 500 ? .warning : .info, "request", metadata: metadata)
        return response
    }

    /// The JSON answer for any failure: ours as they are, the framework's with their status, anything else a 500.
    private static func response(for error: any Error, request: Request, context: Context) -> Response {
        let answer: IngestError
        switch error {
        case let error as IngestError:
            answer = error
        case let error as HTTPError:
            let code: IngestErrorCode = switch error.status.code {
            case 404: .topicNotFound
            case 413: .bodyTooLarge
            case 400: .invalidParameter
            default: .internalError
            }
            if error.status.code == 404 {
                return ProduceRoutes.json(.object(JSONObject([("error_code", .integer(40400)), ("message", .string("no such endpoint: \(request.method.rawValue) \(request.uri.path)"))])), status: .notFound)
            }
            if error.status.code == 405 {
                let allowed = error.headers[.allow] ?? ""
                var response = ProduceRoutes.json(.object(JSONObject([
                    ("error_code", .integer(40500)),
                    ("message", .string("method \(request.method.rawValue) is not allowed on \(request.uri.path); allowed: \(allowed)")),
                ])), status: .methodNotAllowed)
                response.headers[.allow] = allowed
                return response
            }
            answer = IngestError(code, error.body ?? "HTTP \(error.status.code) \(error.status.reasonPhrase)")
        default:
            context.logger.error("unexpected failure", metadata: ["error": .string("\(error)")])
            answer = IngestError(.internalError, "internal error: \(error)")
        }
        return (try? answer.response(from: request, context: context)) ?? Response(status: .internalServerError)
    }

    /// A client's request id, when it is short printable ASCII (it is echoed and logged).
    private static func usable(_ id: String) -> String? {
        guard !id.isEmpty, id.utf8.count <= 128, id.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
        return id
    }

    private static func newID() -> String {
        var generator = SystemRandomNumberGenerator()
        let value = UInt64.random(in: .min ... .max, using: &generator)
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

extension HTTPFields.Element.Name {
    /// `X-Request-Id`.
    static let requestID = Self("X-Request-Id")!
}
