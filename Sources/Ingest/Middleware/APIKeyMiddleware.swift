import Hummingbird

/// Bearer API keys for the topic routes: 401 without a known key, 403 when the key may not use
/// the topic in the path. Keys are compared without leaking timing and never logged.
struct APIKeyMiddleware: RouterMiddleware {
    typealias Context = IngestRequestContext

    let keys: APIKeys

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw IngestError(.unauthenticated, "an API key is required: send `Authorization: Bearer <key>`")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", let key = keys.key(matching: parts[1].drop { $0 == " " }) else {
            throw IngestError(.unauthenticated, "the API key is not valid: send `Authorization: Bearer <key>` with a configured key")
        }
        var context = context
        context.apiKey = key
        if let topic = context.parameters.get("topic"), !key.allows(topic) {
            throw IngestError(.topicNotAllowed, "API key \(key.id) may not use topic \(topic) (allowed: \(key.patterns.map(\.text).joined(separator: ", ")))")
        }
        return try await next(request, context)
    }
}
