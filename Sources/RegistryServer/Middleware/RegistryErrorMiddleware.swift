import Hummingbird
import Logging

/// Answers every failure with Confluent's error body: the framework's own errors (no such route, another
/// method on a known path, body too large) keep their status and headers, with the status as `error_code`
/// as Jersey does; anything
/// unexpected is a 500 with code 50001, logged.
struct RegistryErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as RegistryHTTPError {
            throw error
        } catch let error as HTTPError {
            let status = error.status
            var answer = RegistryHTTPError(status: status, errorCode: status.code, message: "HTTP \(status.code) \(status.reasonPhrase)")
            // `Allow` of a 405, for one.
            answer.headers = error.headers
            throw answer
        } catch {
            context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            throw RegistryHTTPError.storeError("Internal Server Error: \(error)")
        }
    }
}
