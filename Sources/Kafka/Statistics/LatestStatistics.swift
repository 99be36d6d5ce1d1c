import Synchronization

/// The most recent statistics report of a client: written by librdkafka's callback, read by anyone.
final class LatestStatistics: Sendable {
    private let report = Mutex<KafkaStatistics?>(nil)

    var value: KafkaStatistics? { report.withLock { $0 } }

    func store(_ statistics: KafkaStatistics) {
        report.withLock { $0 = statistics }
    }
}
