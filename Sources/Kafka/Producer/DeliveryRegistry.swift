import Logging
import Synchronization

/// Routes a producer's delivery reports: to the task awaiting that message in ``KafkaProducer/send(_:)``,
/// to the delivery-report stream for ``KafkaProducer/sendWithoutWaiting(_:)``, or to the slot of a
/// ``DeliveryGroup``.
///
/// A message's per-message opaque tells which: a group slot's address (aligned, so its low bit is
/// clear), or a sequence number shifted up with the low bit set (see ``opaque(sequence:)``).
final class DeliveryRegistry: Sendable {
    typealias Waiter = CheckedContinuation<Result<DeliveryReport, KafkaError>, Never>

    /// Marks the sequence numbers of awaited messages, so that their reports skip the stream without a lookup.
    /// Bit 62, not 63: the opaque shifts the sequence number up by one.
    static let awaitedFlag: UInt64 = 1 << 62

    /// The per-message opaque of the message with sequence number `id` (``awaitedFlag`` included).
    static func opaque(sequence id: UInt64) -> UInt {
        UInt(id) << 1 | 1
    }

    private struct Pending {
        var accepting = true
        var waiters: [UInt64: Waiter] = [:]
    }

    private let pending = Mutex(Pending())
    /// Read without the lock on the non-awaiting send paths; written only with it held. Sequentially
    /// consistent: ``KafkaProducer/close(flushTimeout:)`` relies on a group sender that counted itself in
    /// seeing the store, or being seen (see ``KafkaProducer``'s `groupSenders`).
    private let accepting = Atomic<Bool>(true)
    /// Where outcomes of non-awaited messages go (a stream's `yield`), and what ends it; `nil`: failures
    /// are only logged.
    private let outcomes: (@Sendable (DeliveryOutcome) -> Void)?
    private let onFinish: (@Sendable () -> Void)?
    /// Sees every failed delivery, before the message's own outcome is reported.
    private let onFailure: (@Sendable (KafkaError) -> Void)?
    private let unreportedFailures = Atomic<Int>(0)
    private let logger: Logger
    private let failureLog = Mutex(FailureLog())

    private struct FailureLog {
        var lastLogged: ContinuousClock.Instant?
        var suppressed = 0
    }

    init(outcomes: (@Sendable (DeliveryOutcome) -> Void)?, onFinish: (@Sendable () -> Void)?,
         onFailure: (@Sendable (KafkaError) -> Void)?, logger: Logger) {
        self.outcomes = outcomes
        self.onFinish = onFinish
        self.onFailure = onFailure
        self.logger = logger
    }

    var isAccepting: Bool { accepting.load(ordering: .sequentiallyConsistent) }

    /// Failed deliveries of non-awaited messages that had no stream to go to (they were logged).
    var failuresWithoutStream: Int { unreportedFailures.load(ordering: .relaxed) }

    /// Registers the task awaiting message `id`; `false` once the producer stopped accepting messages.
    func register(_ id: UInt64, _ waiter: Waiter) -> Bool {
        pending.withLock { pending in
            guard pending.accepting else { return false }
            pending.waiters[id] = waiter
            return true
        }
    }

    /// Takes back the waiter of a message that was never enqueued.
    func unregister(_ id: UInt64) -> Waiter? {
        pending.withLock { $0.waiters.removeValue(forKey: id) }
    }

    /// Refuses new messages from now on.
    func stopAccepting() {
        pending.withLock { pending in
            pending.accepting = false
            accepting.store(false, ordering: .sequentiallyConsistent)
        }
    }

    /// Fails every message still awaited and ends the stream: the producer is gone, no report will come.
    func finish() {
        let waiters = pending.withLock { pending in
            pending.accepting = false
            accepting.store(false, ordering: .sequentiallyConsistent)
            defer { pending.waiters.removeAll() }
            return pending.waiters
        }
        for (id, waiter) in waiters {
            waiter.resume(returning: .failure(KafkaError(code: .closed, message: "the producer shut down before message #\(id & ~Self.awaitedFlag) was acknowledged")))
        }
        onFinish?()
    }

    /// Called by librdkafka (on the producer's polling thread) for every delivery report.
    func deliver(_ report: RDKafkaDeliveryReport) {
        let opaque = report.opaque
        guard opaque & 1 == 1 else {
            DeliveryGroup.deliver(report, slot: opaque, onFailure: onFailure)
            return
        }
        let id = UInt64(opaque >> 1)
        if !report.succeeded, let onFailure, case .failure(let error) = result(of: report, ticket: DeliveryTicket(rawValue: id & ~Self.awaitedFlag)) {
            onFailure(error)
        }
        if id & Self.awaitedFlag != 0 {
            let waiter = pending.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume(returning: result(of: report, ticket: DeliveryTicket(rawValue: id & ~Self.awaitedFlag)))
        } else if let outcomes {
            let ticket = DeliveryTicket(rawValue: id)
            outcomes(DeliveryOutcome(ticket: ticket, result: result(of: report, ticket: ticket)))
        } else if !report.succeeded {
            unreportedFailures.add(1, ordering: .relaxed)
            if case .failure(let error) = result(of: report, ticket: DeliveryTicket(rawValue: id)) {
                logFailure(error)
            }
        }
    }

    /// Logs a failure without a stream to report it on: at most one line a second (a broker outage fails every
    /// message), each saying how many failed since the previous one.
    private func logFailure(_ error: KafkaError) {
        let now = ContinuousClock.now
        let suppressed = failureLog.withLock { log -> Int? in
            if let last = log.lastLogged, now - last < .seconds(1) {
                log.suppressed += 1
                return nil
            }
            defer { log = FailureLog(lastLogged: now, suppressed: 0) }
            return log.suppressed
        }
        guard let suppressed else { return }
        let more = suppressed > 0 ? " (and \(suppressed) more failed deliveries since the last report)" : ""
        logger.error("\(error.message)\(more)")
    }

    private func result(of report: RDKafkaDeliveryReport, ticket: DeliveryTicket) -> Result<DeliveryReport, KafkaError> {
        let topic = report.topic
        if let failure = report.failure(describing: "message \(ticket) to \(topic)") {
            return .failure(failure)
        }
        return .success(DeliveryReport(ticket: ticket, topic: topic, partition: report.partition, offset: report.offset))
    }
}
