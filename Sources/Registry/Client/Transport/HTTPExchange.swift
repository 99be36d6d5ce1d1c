/// One request to the registry, independent of which registry URL serves it.
struct HTTPRequest: Sendable {
    enum Method: String, Sendable {
        case get = "GET"
        case post = "POST"
        case put = "PUT"
        case delete = "DELETE"
    }

    var method: Method
    /// Path segments below the base URL, percent-encoded when the URL is built.
    var path: [String]
    /// Query parameters, in order.
    var query: [(name: String, value: String)]
    /// A JSON body, sent as `application/vnd.schemaregistry.v1+json`.
    var body: [UInt8]?

    init(_ method: Method, _ path: [String], query: [(name: String, value: String)] = [], body: [UInt8]? = nil) {
        self.method = method
        self.path = path
        self.query = query
        self.body = body
    }

    /// The path and query, to append to a base URL without a trailing slash.
    var target: String {
        var target = path.map { "/" + Self.percentEncoded($0) }.joined()
        if !query.isEmpty {
            target += "?" + query.map { Self.percentEncoded($0.name) + "=" + Self.percentEncoded($0.value) }.joined(separator: "&")
        }
        return target
    }

    /// Percent-encodes everything but RFC 3986's unreserved characters, so a subject name
    /// with `/`, `?`, `%` or spaces stays one path segment.
    static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A") ... UInt8(ascii: "Z"), UInt8(ascii: "a") ... UInt8(ascii: "z"), UInt8(ascii: "0") ... UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += byte < 16 ? "%0" + hex : "%" + hex
            }
        }
        return out
    }
}

/// A registry's HTTP answer, whatever its status.
struct HTTPResponse: Sendable {
    var status: Int
    /// The media type of the body, lowercased, without parameters.
    var contentType: String?
    var body: [UInt8]
    /// The server's `Retry-After`, in seconds, when it sent one.
    var retryAfterSeconds: Int?
}

/// A request that got no HTTP answer.
struct TransportFailure: Error, Sendable {
    enum Kind: Sendable {
        /// No connection: refused, unreachable, name not resolved, reset or closed without an answer.
        case connection
        case timeout
        /// The TLS handshake or certificate check failed; retrying will not help.
        case tls
        case cancelled
        /// Anything else libcurl reports (a bad option, out of memory).
        case other
    }

    var kind: Kind
    /// libcurl's error code, for diagnosis.
    var curlCode: Int
    var message: String

    /// Connection errors and timeouts are worth another try, on this URL or the next.
    var isRetryable: Bool { kind == .connection || kind == .timeout }
}
