/// The brokers of a cluster, as one of them reported them.
public struct ClusterDescription: Sendable, Hashable {
    /// One broker.
    public struct Broker: Sendable, Hashable {
        /// The broker's node id.
        public var id: Int32
        /// The host it advertises.
        public var host: String
        /// The port it advertises.
        public var port: Int32
    }

    /// The brokers.
    public var brokers: [Broker]
    /// The id of the broker that answered.
    public var respondingBrokerID: Int32
}
