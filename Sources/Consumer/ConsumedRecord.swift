import Foundation
import Kafka

/// What decoding needs of a consumed record, whether read in place (``KafkaConsumerRecord``, the consume
/// loop's) or copied out (``KafkaConsumerMessage``).
protocol ConsumedRecord {
    var topic: String { get }
    var partition: Int32 { get }
    var offset: Int64 { get }
    /// The timestamp in epoch milliseconds, when the broker sent one.
    var timestampMilliseconds: Int64? { get }
    var headers: [KafkaHeader] { get }
    /// Calls `body` with the key's bytes (`nil` for a null key), valid only inside `body`.
    func withKey<Result>(_ body: (UnsafeRawBufferPointer?) throws -> Result) rethrows -> Result
    /// Calls `body` with the value's bytes (`nil` for a tombstone), valid only inside `body`.
    func withValue<Result>(_ body: (UnsafeRawBufferPointer?) throws -> Result) rethrows -> Result
}

// The record, borrowed for the call, keeps its batch's buffers alive until `body` returns.
extension KafkaConsumerRecord: ConsumedRecord {
    func withKey<Result>(_ body: (UnsafeRawBufferPointer?) throws -> Result) rethrows -> Result {
        try body(key)
    }

    func withValue<Result>(_ body: (UnsafeRawBufferPointer?) throws -> Result) rethrows -> Result {
        try body(value)
    }
}

extension KafkaConsumerMessage: ConsumedRecord {
    var timestampMilliseconds: Int64? {
        timestamp.map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) }
    }

    func withKey<Result>(_ body: (UnsafeRawBufferPointer?) throws -> Result) rethrows -> Result {
        guard let key else { return try body(nil) }
        return try key.withUnsafeBytes { try body($0) }
    }

    func withValue<Result>(_ body: (UnsafeRawBufferPointer?) throws -> Result) rethrows -> Result {
        guard let value else { return try body(nil) }
        return try value.withUnsafeBytes { try body($0) }
    }
}
