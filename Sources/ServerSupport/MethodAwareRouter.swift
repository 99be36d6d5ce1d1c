import HTTPTypes
import Hummingbird

/// A Hummingbird router that knows which methods each path serves, so that another method on a known path
/// is answered 405 Method Not Allowed with an `Allow` header (as Confluent's Jersey servers answer), not 404.
///
/// Routes are added to it as to a `Router` (it forwards them); ``answerOtherMethods()`` then registers, for
/// every path, a responder for the methods it does not serve, which throws `HTTPError(.methodNotAllowed)`
/// with the `Allow` header; each server's error middleware renders that in its own error body.
public final class MethodAwareRouter<Context: RequestContext>: RouterMethods {
    /// The router the routes go to, for the application.
    public let router: Router<Context>
    private var served: [(path: RouterPath, methods: [HTTPRequest.Method])] = []

    /// The methods a path may be asked with and is answered 405 for when it does not serve them.
    static var answeredMethods: [HTTPRequest.Method] { [.get, .head, .post, .put, .delete, .patch] }

    public init(_ router: Router<Context>) {
        self.router = router
    }

    @discardableResult
    public func on<Responder: HTTPResponder>(_ path: RouterPath, method: HTTPRequest.Method, responder: Responder) -> Self
    where Responder.Context == Context {
        if let index = served.firstIndex(where: { $0.path.description == path.description }) {
            served[index].methods.append(method)
        } else {
            served.append((path, [method]))
        }
        router.on(path, method: method, responder: responder)
        return self
    }

    @discardableResult
    public func add(middleware: any MiddlewareProtocol<Request, Response, Context>) -> Self {
        router.add(middleware: middleware)
        return self
    }

    /// Answers 405 for every method a known path does not serve; call it once, after the last route.
    public func answerOtherMethods() {
        let served = self.served
        self.served = []
        for (path, methods) in served {
            // HEAD is answered wherever GET is (the router generates it).
            let allowed = Self.answeredMethods.filter { methods.contains($0) || ($0 == .head && methods.contains(.get)) }
            var headers = HTTPFields()
            headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
            for method in Self.answeredMethods where !allowed.contains(method) {
                router.on(path, method: method) { [headers] _, _ -> Response in
                    throw HTTPError(.methodNotAllowed, headers: headers)
                }
            }
        }
    }
}
