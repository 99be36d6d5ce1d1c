import Kafka

/// One request's records as they are read and encoded: the encoded ones to send, and for each
/// rejected one, why.
struct RecordBatch {
    enum Slot {
        /// Encoded: its position in ``messages``.
        case encoded(Int)
        /// Not encoded, for the worst of its errors.
        case rejected(IngestErrorCode, String)
    }

    private(set) var slots: [Slot] = []
    private(set) var messages: [KafkaProducerMessage] = []
    /// The errors of rejected records, up to the reporting limit.
    private(set) var errors: [RecordError] = []
    private(set) var rejectedCount = 0
    private(set) var errorCount = 0
    let maxReportedErrors: Int

    init(maxReportedErrors: Int) {
        self.maxReportedErrors = maxReportedErrors
    }

    var count: Int { slots.count }

    mutating func add(_ result: Result<KafkaProducerMessage, RecordRejection>) {
        switch result {
        case .success(let message):
            slots.append(.encoded(messages.count))
            messages.append(message)
        case .failure(let rejection):
            let worst = rejection.errors.max { $0.code.precedence < $1.code.precedence }
            slots.append(.rejected(worst?.code ?? .invalidRecord, rejection.errors.first.map { "\($0.path): expected \($0.expected), got \($0.got)" } ?? "invalid"))
            rejectedCount += 1
            errorCount += rejection.errors.count
            errors.append(contentsOf: rejection.errors.prefix(max(0, maxReportedErrors - errors.count)))
        }
    }

    /// The code for the request when records were rejected: malformed JSON or too deep (400) before invalid (422).
    var rejectionCode: IngestErrorCode {
        slots.reduce(IngestErrorCode.invalidRecord) { worst, slot in
            guard case .rejected(let code, _) = slot else { return worst }
            return code.precedence > worst.precedence ? code : worst
        }
    }

    /// Rejected records by reason, for metrics.
    var rejectedByReason: [String: Int] {
        slots.reduce(into: [:]) { counts, slot in
            if case .rejected(let code, _) = slot { counts[code.reason, default: 0] += 1 }
        }
    }
}
