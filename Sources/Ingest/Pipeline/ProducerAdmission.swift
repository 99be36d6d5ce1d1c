import Synchronization

/// Bounds what all requests together have sent and not yet seen acknowledged, in records and
/// bytes. A request reserves room for all its records before sending any, so that a full queue
/// refuses whole requests (429, nothing produced) instead of failing them half-way.
final class ProducerAdmission: Sendable {
    private struct Usage {
        var records = 0
        var bytes = 0
    }

    private let usage = Mutex(Usage())
    let maxRecords: Int
    let maxBytes: Int

    init(maxRecords: Int, maxBytes: Int) {
        self.maxRecords = maxRecords
        self.maxBytes = maxBytes
    }

    /// Reserves room for `records` records of `bytes` bytes; `false` when they do not fit. A
    /// request alone larger than the bound is admitted when nothing else is queued.
    func reserve(records: Int, bytes: Int) -> Bool {
        usage.withLock { usage in
            let empty = usage.records == 0
            guard empty || (usage.records + records <= maxRecords && usage.bytes + bytes <= maxBytes) else { return false }
            usage.records += records
            usage.bytes += bytes
            return true
        }
    }

    /// Gives back a reservation once its records are acknowledged or failed.
    func release(records: Int, bytes: Int) {
        usage.withLock { usage in
            usage.records -= records
            usage.bytes -= bytes
        }
    }

    /// Records sent and not yet acknowledged.
    var queuedRecords: Int { usage.withLock { $0.records } }
}
