/// How a ``SchemaRegistryClient`` reaches the registry, and how long it trusts what it learnt.
public struct SchemaRegistryClientConfiguration: Sendable {
    /// Registry base URLs (`http://host:8081`, with or without a trailing slash or a path
    /// prefix). Requests go to the last one that answered; a connection error or a 5xx moves
    /// on to the next. Userinfo (`http://user:password@host`) is used as basic auth for that
    /// URL unless ``authentication`` is set.
    public var urls: [String]
    public var authentication: Authentication
    public var tls: TLSOptions
    /// Time to establish a connection (TCP and TLS).
    public var connectTimeout: Duration
    /// Time for a whole request, connection included.
    public var requestTimeout: Duration
    public var retry: RetryPolicy
    public var cache: CachePolicy
    /// Requests in flight at once: one worker thread and one kept-alive connection each.
    public var maxConnections: Int

    public init(
        urls: [String],
        authentication: Authentication = .none,
        tls: TLSOptions = TLSOptions(),
        connectTimeout: Duration = .seconds(5),
        requestTimeout: Duration = .seconds(30),
        retry: RetryPolicy = RetryPolicy(),
        cache: CachePolicy = CachePolicy(),
        maxConnections: Int = 4
    ) {
        self.urls = urls
        self.authentication = authentication
        self.tls = tls
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.retry = retry
        self.cache = cache
        self.maxConnections = maxConnections
    }

    /// Credentials sent with every request.
    public enum Authentication: Sendable, Hashable {
        case none
        /// HTTP basic auth.
        case basic(user: String, password: String)
        /// `Authorization: Bearer <token>`.
        case bearer(token: String)
    }

    /// TLS files and checks for `https` URLs.
    public struct TLSOptions: Sendable, Hashable {
        /// PEM file of the certificate authorities to trust, instead of the system's.
        public var caFile: String?
        /// PEM client certificate, for mutual TLS.
        public var clientCertificateFile: String?
        /// PEM private key of the client certificate.
        public var clientKeyFile: String?
        /// Skips certificate and host name checks. For development only.
        public var insecure: Bool

        public init(caFile: String? = nil, clientCertificateFile: String? = nil, clientKeyFile: String? = nil, insecure: Bool = false) {
            self.caFile = caFile
            self.clientCertificateFile = clientCertificateFile
            self.clientKeyFile = clientKeyFile
            self.insecure = insecure
        }
    }

    /// Retries of requests that got no answer, a 5xx or a 429; never of other 4xx answers.
    public struct RetryPolicy: Sendable, Hashable {
        /// Further rounds over all URLs after the first fails.
        public var maxRetries: Int
        /// The wait before the first retry; it doubles each round, up to ``maxBackoff``,
        /// and each wait is drawn at random between half and all of it.
        public var initialBackoff: Duration
        public var maxBackoff: Duration

        public init(maxRetries: Int = 3, initialBackoff: Duration = .milliseconds(100), maxBackoff: Duration = .seconds(2)) {
            self.maxRetries = maxRetries
            self.initialBackoff = initialBackoff
            self.maxBackoff = maxBackoff
        }

        /// The wait before retry round `round` (1-based), before jitter.
        func backoff(round: Int) -> Duration {
            var delay = initialBackoff
            for _ in 1 ..< max(1, round) where delay < maxBackoff { delay = delay * 2 }
            return min(delay, maxBackoff)
        }
    }

    /// How long answers that can change are kept. Schemas by id never change and are kept for
    /// the client's lifetime, as are the ids of schemas registered under a subject.
    public struct CachePolicy: Sendable, Hashable {
        /// How long a subject's latest version, and a version by number, are reused. Zero turns it off.
        public var subjectTTL: Duration
        /// How long "not found" answers (40401 subject, 40402 version, 40403 schema) are
        /// remembered, so a burst of events for an unknown schema makes one request. Zero turns it off.
        public var notFoundTTL: Duration

        public init(subjectTTL: Duration = .seconds(30), notFoundTTL: Duration = .seconds(3)) {
            self.subjectTTL = subjectTTL
            self.notFoundTTL = notFoundTTL
        }
    }
}
