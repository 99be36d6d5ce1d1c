import Foundation

/// The figures of note from one of librdkafka's statistics reports (emitted every `statistics.interval.ms`
/// when a client enables them): the local queue, totals, and per broker the request counts, errors,
/// timeouts and round-trip times. librdkafka's report has many more fields; these are the ones an operator
/// alerts on.
public struct KafkaStatistics: Sendable, Equatable {
    /// A time window librdkafka keeps (round-trip times, queue latencies), in microseconds.
    public struct Window: Sendable, Equatable, Decodable {
        public var average: Int64
        public var p50: Int64
        public var p99: Int64
        public var maximum: Int64
        /// Samples in the window; 0 when nothing was measured since the last report.
        public var count: Int64

        public init(average: Int64, p50: Int64, p99: Int64, maximum: Int64, count: Int64) {
            self.average = average
            self.p50 = p50
            self.p99 = p99
            self.maximum = maximum
            self.count = count
        }

        enum CodingKeys: String, CodingKey {
            case average = "avg", p50, p99, maximum = "max", count = "cnt"
        }
    }

    /// One broker connection's figures.
    public struct Broker: Sendable, Equatable {
        /// `host:port/nodeid`.
        public var name: String
        public var nodeID: Int32
        /// `UP`, `DOWN`, `CONNECT`, `AUTH`…
        public var state: String
        public var requestsSent: Int64
        public var sendErrors: Int64
        public var retries: Int64
        public var requestTimeouts: Int64
        public var connects: Int64
        public var disconnects: Int64
        /// Requests sent and waiting for their response.
        public var awaitingResponse: Int64
        /// Round-trip time of requests.
        public var roundTrip: Window?
    }

    /// The client's name (`rdkafka#producer-1`).
    public var clientName: String
    /// Messages in the producer's queue (not yet delivered).
    public var queuedMessages: Int64
    /// Their bytes.
    public var queuedBytes: Int64
    /// Messages sent to brokers since the client started.
    public var messagesSent: Int64
    /// Messages received from brokers since the client started.
    public var messagesReceived: Int64
    /// The brokers of the cluster (bootstrap and coordinator pseudo-connections left out).
    public var brokers: [Broker]

    /// Parses librdkafka's statistics JSON.
    public init(json: [UInt8]) throws {
        let report = try JSONDecoder().decode(Report.self, from: Data(json))
        clientName = report.name
        queuedMessages = report.msg_cnt ?? 0
        queuedBytes = report.msg_size ?? 0
        messagesSent = report.txmsgs ?? 0
        messagesReceived = report.rxmsgs ?? 0
        brokers = (report.brokers ?? [:]).values
            .filter { $0.nodeid >= 0 }
            .sorted { $0.nodeid < $1.nodeid }
            .map { broker in
                Broker(name: broker.name, nodeID: broker.nodeid, state: broker.state, requestsSent: broker.tx ?? 0, sendErrors: broker.txerrs ?? 0,
                       retries: broker.txretries ?? 0, requestTimeouts: broker.req_timeouts ?? 0, connects: broker.connects ?? 0,
                       disconnects: broker.disconnects ?? 0, awaitingResponse: broker.waitresp_cnt ?? 0, roundTrip: broker.rtt)
            }
    }

    /// The report's shape, in librdkafka's field names.
    private struct Report: Decodable {
        var name: String
        var msg_cnt: Int64?
        var msg_size: Int64?
        var txmsgs: Int64?
        var rxmsgs: Int64?
        var brokers: [String: BrokerReport]?
    }

    private struct BrokerReport: Decodable {
        var name: String
        var nodeid: Int32
        var state: String
        var tx: Int64?
        var txerrs: Int64?
        var txretries: Int64?
        var req_timeouts: Int64?
        var connects: Int64?
        var disconnects: Int64?
        var waitresp_cnt: Int64?
        var rtt: Window?
    }
}
