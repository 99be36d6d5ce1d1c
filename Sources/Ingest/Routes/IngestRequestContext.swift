import Hummingbird

/// The per-request state shared by the middleware and the routes: the request id and, with
/// authentication on, the API key that was presented.
public struct IngestRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The request id (`X-Request-Id`, taken from the request or made up).
    public var requestID = ""
    /// The API key that authenticated the request; `nil` with authentication off.
    public var apiKey: APIKeys.Key?

    public init(source: Source) {
        coreContext = CoreRequestContextStorage(source: source)
    }
}
