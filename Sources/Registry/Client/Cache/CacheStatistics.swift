/// How often a ``SchemaRegistryClient`` answered from its caches, for metrics.
public struct SchemaRegistryCacheStatistics: Sendable, Hashable {
    /// The counts of one cache.
    public struct Counters: Sendable, Hashable {
        /// Answered from a cached value.
        public var hits = 0
        /// Answered from a cached "not found".
        public var notFoundHits = 0
        /// Not cached: a request was sent.
        public var misses = 0
        /// Not cached, but the same request was already in flight and its answer was shared.
        public var coalesced = 0

        public init() {}
    }

    /// Schemas by global id (kept for the client's lifetime).
    public var schemasByID = Counters()
    /// Ids of schemas looked up under a subject.
    public var lookups = Counters()
    /// Ids of schemas registered under a subject (a cached lookup or registration answers these too).
    public var registrations = Counters()
    /// Subject versions by number, and subjects' latest versions (kept for the subject TTL).
    public var subjectVersions = Counters()
    /// HTTP requests sent, retries and failovers included.
    public var requests = 0

    public init() {}
}
