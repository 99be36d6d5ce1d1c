import Synchronization

/// The outcomes of messages sent together with ``KafkaProducer/sendWithoutWaiting(_:onComplete:)``,
/// filled in as librdkafka reports them; ``wait()`` returns once every message has one.
///
/// Each message's per-message opaque is the address of its slot here, so a delivery report finds its
/// place without a lookup or a lock, and a report can never arrive before its group exists. The group
/// holds itself alive (one retain, for librdkafka) until its last outcome.
///
/// `@unchecked Sendable`: each slot is written once, by the one thread that resolves it (the producer's
/// polling thread for a delivery report, the sender's for a message refused at once), before that thread
/// decrements `remaining`; slots are read only once `remaining` reached zero. The acquiring-and-releasing
/// decrement orders every slot write before the reads of whoever completes the group, and the waiter
/// mutex hands them on to ``wait()``.
public final class DeliveryGroup: @unchecked Sendable {
    struct Slot {
        let group: Unmanaged<DeliveryGroup>
        var partition: Int32 = -1
        var offset: Int64 = -1
        var error: KafkaError?
    }

    private enum Waiter {
        case waiting(CheckedContinuation<Void, Never>?)
        case complete
    }

    /// How many messages the group holds.
    public let count: Int
    /// The ticket of message 0; message `i` is `firstTicket + i` in failure messages, as for single sends.
    private let firstTicket: UInt64
    private let slots: UnsafeMutablePointer<Slot>
    private let remaining: Atomic<Int>
    private let waiter = Mutex(Waiter.waiting(nil))
    private let onComplete: (@Sendable (DeliveryGroup) -> Void)?

    init(count: Int, firstTicket: UInt64, onComplete: (@Sendable (DeliveryGroup) -> Void)?) {
        self.count = count
        self.firstTicket = firstTicket
        self.slots = .allocate(capacity: count)
        self.remaining = Atomic(count)
        self.onComplete = onComplete
        slots.initialize(repeating: Slot(group: .passUnretained(self)), count: count)
        if count == 0 {
            complete()
        } else {
            // Released by whoever resolves the last message: librdkafka holds only the slots' addresses.
            _ = Unmanaged.passRetained(self)
        }
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    /// The per-message opaque of message `index`: its slot's address (aligned, so its low bit is clear).
    func opaque(of index: Int) -> UInt {
        UInt(bitPattern: slots + index)
    }

    /// Serves a delivery report whose opaque is a slot address; on the producer's polling thread.
    /// `onFailure` sees a failed delivery before the group does.
    static func deliver(_ report: RDKafkaDeliveryReport, slot address: UInt, onFailure: (@Sendable (KafkaError) -> Void)?) {
        let slot = UnsafeMutablePointer<Slot>(bitPattern: address).unsafelyUnwrapped
        let group = slot.pointee.group.takeUnretainedValue()
        if let error = report.failure(describing: "message #\(group.firstTicket &+ UInt64(slot - group.slots)) to \(report.topic)") {
            onFailure?(error)
            slot.pointee.error = error
        } else {
            slot.pointee.partition = report.partition
            slot.pointee.offset = report.offset
        }
        group.resolveOne()
    }

    /// Message `index` was refused at once (nothing was enqueued): `error` is its outcome.
    func refuse(_ index: Int, _ error: KafkaError) {
        slots[index].error = error
        resolveOne()
    }

    private func resolveOne() {
        guard remaining.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 else { return }
        complete()
        Unmanaged.passUnretained(self).release()
    }

    private func complete() {
        let continuation = waiter.withLock { waiter -> CheckedContinuation<Void, Never>? in
            defer { waiter = .complete }
            if case .waiting(let continuation) = waiter { return continuation }
            return nil
        }
        onComplete?(self)
        continuation?.resume()
    }

    /// Returns once every message was acknowledged or failed.
    public func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let complete = waiter.withLock { waiter -> Bool in
                if case .complete = waiter { return true }
                waiter = .waiting(continuation)
                return false
            }
            if complete { continuation.resume() }
        }
    }

    /// Message `index`'s outcome: where it was written, or why it was not delivered. Valid once the group
    /// is complete (in `onComplete`, or after ``wait()`` returned).
    public func result(at index: Int) -> Result<DeliveryPosition, KafkaError> {
        let slot = slots[index]
        if let error = slot.error { return .failure(error) }
        return .success(DeliveryPosition(partition: slot.partition, offset: slot.offset))
    }

    /// Every message's outcome, in the order they were sent. Valid once the group is complete.
    public var results: [Result<DeliveryPosition, KafkaError>] {
        (0 ..< count).map(result(at:))
    }
}
