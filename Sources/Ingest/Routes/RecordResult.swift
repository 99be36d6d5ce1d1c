import Avro
import Kafka

/// What became of one record of a request.
enum RecordResult {
    case acknowledged(DeliveryPosition)
    case failed(IngestErrorCode, String)

    /// The results of a batch: rejected records as they were, sent ones from their delivery outcomes.
    static func results(of batch: RecordBatch, outcomes: [Result<DeliveryPosition, KafkaError>]) -> [RecordResult] {
        batch.slots.map { slot in
            switch slot {
            case .rejected(let code, let reason):
                return .failed(code, "the record was not produced: \(reason)")
            case .encoded(let index):
                switch outcomes[index] {
                case .success(let report): return .acknowledged(report)
                case .failure(let error): return .failed(IngestErrorCode(delivery: error), error.message)
                }
            }
        }
    }

    /// The REST Proxy's offset entry: `partition` and `offset`, or `error_code` and `error`.
    func offsetEntry(restProxy: Bool) -> JSONValue {
        switch self {
        case .acknowledged(let report):
            var object = JSONObject([("partition", .integer(Int64(report.partition))), ("offset", .integer(report.offset))])
            if restProxy {
                object["error_code"] = .null
                object["error"] = .null
            }
            return .object(object)
        case .failed(let code, let message):
            return .object(JSONObject([("partition", .null), ("offset", .null), ("error_code", .integer(Int64(code.rawValue))), ("error", .string(message))]))
        }
    }

    var failure: (IngestErrorCode, String)? {
        if case .failed(let code, let message) = self { return (code, message) }
        return nil
    }
}

extension Array where Element == RecordResult {
    /// The error for a request some of whose records failed, or `nil` when every one was acknowledged.
    func failure(recordErrors: [RecordError]) -> IngestError? {
        let failures = compactMap(\.failure)
        guard let worst = failures.max(by: { $0.0.precedence < $1.0.precedence }) else { return nil }
        let acknowledged = count - failures.count
        var byCode: [IngestErrorCode: Int] = [:]
        for (code, _) in failures { byCode[code, default: 0] += 1 }
        let reasons = byCode.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.value) \($0.key.reason) (\($0.key.rawValue))" }.joined(separator: ", ")
        var message = "\(acknowledged) of \(count) records \(acknowledged == 1 ? "was" : "were") acknowledged; \(failures.count) \(failures.count == 1 ? "was" : "were") not: \(reasons). Each record's outcome is in `offsets`, in request order"
        if acknowledged > 0 {
            message += "; resend only the failed ones"
        }
        if worst.0 == .deliveryTimeout || worst.0 == .brokerUnavailable {
            message += "; the broker did not acknowledge in time, a resent record may be written twice"
        }
        var error = IngestError(worst.0, message, recordErrors: recordErrors, retryAfter: [.producerQueueFull, .deliveryTimeout, .brokerUnavailable, .kafkaRetriable].contains(worst.0) ? 1 : nil)
        error.extraMembers = [("offsets", .array(map { $0.offsetEntry(restProxy: false) }))]
        return error
    }
}
