import CRdKafka

/// A delivery report read in place from librdkafka's message. Valid only during the delivery callback
/// that created it: it must not be stored or escape.
struct RDKafkaDeliveryReport {
    private let message: UnsafePointer<rd_kafka_message_t>
    /// For failures: the last broker-level error (a timeout alone says little about why).
    let lastBrokerError: String?

    init(message: UnsafePointer<rd_kafka_message_t>, lastBrokerError: String?) {
        self.message = message
        self.lastBrokerError = lastBrokerError
    }

    /// The per-message opaque the message was produced with, as a bit pattern (see ``DeliveryRegistry``).
    var opaque: UInt { UInt(bitPattern: message.pointee._private) }
    var succeeded: Bool { message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR }
    /// Why the message was not delivered (``KafkaError/Code/delivery``), `nil` when it was.
    /// `what` is only made for a failure: a delivered message costs no string.
    func failure(describing what: @autoclosure () -> String) -> KafkaError? {
        guard !succeeded else { return nil }
        var error = KafkaError(code: .delivery, rdkafka: message.pointee.err, context: "\(what()) was not delivered")
        if let lastBrokerError { error.message += " (last broker error: \(lastBrokerError))" }
        return error
    }
    var partition: Int32 { message.pointee.partition }
    var offset: Int64 { message.pointee.offset }
    var topic: String { String(cString: rd_kafka_topic_name(message.pointee.rkt)) }
}
