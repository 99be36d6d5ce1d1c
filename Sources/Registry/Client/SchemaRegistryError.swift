/// A failed registry call: either the registry's own answer (its `error_code` and message,
/// e.g. 40401 subject not found, 40901 incompatible schema) or a transport failure.
public struct SchemaRegistryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, coarsely: whether the registry answered at all.
    public enum Kind: String, Sendable, Hashable {
        /// The registry answered with an error; ``errorCode`` and ``message`` say which.
        case registry
        /// No registry URL could be reached (refused, unreachable, unresolvable, or a
        /// 502/503/504 from a proxy), after every retry. Callers answer 503 for this.
        case unavailable
        /// The registry took longer than the connect or request timeout, after every retry.
        case timeout
        /// The registry answered something that is not a registry response.
        case malformedResponse
        /// The TLS handshake or certificate check failed.
        case tls
        /// The client's configuration is unusable (a bad URL, a missing file).
        case invalidConfiguration
        /// The calling task was cancelled.
        case cancelled
        /// A local failure of the HTTP library.
        case transport
    }

    public var kind: Kind
    /// The registry's `error_code` (a ``RegistryErrorCode`` raw value, or an HTTP status when
    /// the registry gave no finer code); `nil` when the registry did not answer.
    public var errorCode: Int?
    /// The HTTP status of the registry's answer; `nil` when it did not answer.
    public var httpStatus: Int?
    /// The registry's message, or what the transport reported.
    public var message: String
    /// libcurl's error code for transport failures, for diagnosis.
    public var curlCode: Int?

    public init(kind: Kind, errorCode: Int? = nil, httpStatus: Int? = nil, message: String, curlCode: Int? = nil) {
        self.kind = kind
        self.errorCode = errorCode
        self.httpStatus = httpStatus
        self.message = message
        self.curlCode = curlCode
    }

    /// An error the registry answered with.
    public init(registry body: RegistryErrorBody, httpStatus: Int) {
        self.init(kind: .registry, errorCode: body.errorCode, httpStatus: httpStatus, message: body.message)
    }

    /// The registry's error code, when it is one this package knows.
    public var code: RegistryErrorCode? { errorCode.flatMap(RegistryErrorCode.init(rawValue:)) }

    /// The registry said the subject, version or schema does not exist (40401, 40402, 40403, or a bare 404).
    public var isNotFound: Bool { kind == .registry && httpStatus == 404 }

    /// The schema is not compatible with the subject's versions (40901, or a bare 409).
    public var isIncompatible: Bool { code == .incompatibleSchema || code == .incompatibleSchemaLegacy }

    /// Trying again later may succeed: the registry was unreachable, slow, overloaded or failing.
    public var isTransient: Bool {
        switch kind {
        case .unavailable, .timeout: true
        case .registry: (httpStatus ?? 0) >= 500 || httpStatus == 429
        default: false
        }
    }

    public var description: String {
        switch kind {
        case .registry:
            "registry error \(errorCode.map(String.init) ?? "?") (HTTP \(httpStatus.map(String.init) ?? "?")): \(message)"
        case .unavailable: "registry unavailable: \(message)"
        case .timeout: "registry timed out: \(message)"
        case .malformedResponse: "malformed registry response: \(message)"
        case .tls: "TLS failure talking to the registry: \(message)"
        case .invalidConfiguration: "invalid registry client configuration: \(message)"
        case .cancelled: "registry request cancelled"
        case .transport: "registry transport failure: \(message)"
        }
    }
}
