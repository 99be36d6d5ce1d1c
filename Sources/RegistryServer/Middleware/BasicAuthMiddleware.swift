import Foundation
import Hummingbird

/// HTTP basic authentication against a fixed set of users; 401 with Confluent's error body otherwise.
struct BasicAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let users: RegistryUsers

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], let (user, password) = Self.credentials(header),
              users.accepts(user: user, password: password) else {
            throw RegistryHTTPError.unauthorized
        }
        return try await next(request, context)
    }

    /// The user and password of a `Basic` authorization header.
    static func credentials(_ header: String) -> (String, String)? {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic",
              let data = Data(base64Encoded: parts[1].trimmingCharacters(in: .whitespaces)),
              let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":") else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }
}
