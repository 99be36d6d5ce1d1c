import CRdKafka
import Foundation
import Synchronization

/// The baseline the Kafka benchmark compares `KafkaProducer` with: librdkafka's C API used directly — a
/// `rd_kafka_producev` loop (through the `avrogate_produce` shim), a delivery-report callback that only counts
/// and timestamps, and a thread serving `rd_kafka_poll`.
///
/// `@unchecked Sendable`: the handle is thread-safe by librdkafka's contract and freed only in `deinit`.
final class RawKafkaProducer: @unchecked Sendable {
    private let handle: OpaquePointer
    private let stopPolling = Atomic<Bool>(false)
    private let pollingStopped = DispatchSemaphore(value: 0)
    /// What the delivery-report callback records; librdkafka holds it as the configuration opaque.
    let reports: RawDeliveryLog

    init(properties: [String: String], trackedMessages: Int) throws {
        reports = RawDeliveryLog(trackedMessages: trackedMessages)
        let conf = rd_kafka_conf_new()
        var errorText = [CChar](repeating: 0, count: 512)
        for (key, value) in properties.sorted(by: { $0.key < $1.key }) where rd_kafka_conf_set(conf, key, value, &errorText, errorText.count) != RD_KAFKA_CONF_OK {
            rd_kafka_conf_destroy(conf)
            throw KafkaBenchmarkFailure("raw producer: \(key)=\(value) rejected")
        }
        rd_kafka_conf_set_dr_msg_cb(conf) { _, message, opaque in
            guard let message, let opaque else { return }
            Unmanaged<RawDeliveryLog>.fromOpaque(opaque).takeUnretainedValue().record(message)
        }
        rd_kafka_conf_set_opaque(conf, Unmanaged.passUnretained(reports).toOpaque())
        // Quiet, like KafkaProducer's logger in this benchmark (the enqueue-cost runs cannot connect, on purpose).
        rd_kafka_conf_set_log_cb(conf) { _, _, _, _ in }
        guard let handle = rd_kafka_new(RD_KAFKA_PRODUCER, conf, &errorText, errorText.count) else {
            rd_kafka_conf_destroy(conf)
            throw KafkaBenchmarkFailure("raw producer: rd_kafka_new failed")
        }
        self.handle = handle
        let thread = Thread { [self] in
            while !stopPolling.load(ordering: .relaxed) {
                rd_kafka_poll(self.handle, 100)
            }
            pollingStopped.signal()
        }
        thread.name = "raw-poll"
        thread.start()
    }

    deinit {
        stopPollingThread()
        rd_kafka_destroy(handle)
    }

    private let pollingThreadStopped = Atomic<Bool>(false)

    private func stopPollingThread() {
        guard !pollingThreadStopped.exchange(true, ordering: .relaxed) else { return }
        stopPolling.store(true, ordering: .relaxed)
        pollingStopped.wait()
    }

    /// Sends one message and waits for its report: connection and producer id are set up before measuring.
    func warmUp(topic: String, payload: [UInt8]) {
        let before = reports.delivered.load(ordering: .relaxed) + reports.failed.load(ordering: .relaxed)
        _ = payload.withUnsafeBytes { avrogate_produce(handle, topic, -1, nil, 0, $0.baseAddress, $0.count, nil, nil) }
        while reports.delivered.load(ordering: .relaxed) + reports.failed.load(ordering: .relaxed) == before {
            usleep(1000)
        }
    }

    /// Produces `count` messages cycling through `payloads`, backing off 0.5 ms whenever the queue is full.
    func produce(topic: String, payloads: [[UInt8]], count: Int) {
        topic.withCString { topicName in
            for index in 0..<count {
                let payload = payloads[index % payloads.count]
                while payload.withUnsafeBytes({ avrogate_produce(handle, topicName, -1, nil, 0, $0.baseAddress, $0.count, nil, nil) }) == RD_KAFKA_RESP_ERR__QUEUE_FULL {
                    usleep(500)
                }
            }
        }
    }

    /// Produces one message now, its send → report latency recorded under `index`.
    func produceTracked(topic: UnsafePointer<CChar>, payload: [UInt8], index: Int) {
        reports.markSent(index)
        _ = payload.withUnsafeBytes { avrogate_produce(handle, topic, -1, nil, 0, $0.baseAddress, $0.count, nil, UnsafeMutableRawPointer(bitPattern: index + 1)) }
    }

    /// Stops the polling thread (so that the flush alone serves the last reports, as in librdkafka's examples)
    /// and waits for every message; the producer takes no messages after this.
    func finish(timeout: Duration) -> Bool {
        stopPollingThread()
        return rd_kafka_flush(handle, Int32(timeout.components.seconds * 1000)) == RD_KAFKA_RESP_ERR_NO_ERROR
    }
}

/// Counts the raw producer's delivery reports and times tracked messages.
///
/// `@unchecked Sendable`: slot `i` of `sentAt` is written by the sending thread before the message is handed to
/// `rd_kafka_producev` and read by the callback after librdkafka passed it across its own locks; slot `i` of
/// `latencies` is written once by the callback and read after the flush. Both are freed in `deinit`.
final class RawDeliveryLog: @unchecked Sendable {
    let delivered = Atomic<Int>(0)
    let failed = Atomic<Int>(0)
    private let trackedMessages: Int
    private let sentAt: UnsafeMutablePointer<UInt64>
    private let latencies: UnsafeMutablePointer<UInt64>

    init(trackedMessages: Int) {
        self.trackedMessages = trackedMessages
        sentAt = .allocate(capacity: max(trackedMessages, 1))
        sentAt.initialize(repeating: 0, count: max(trackedMessages, 1))
        latencies = .allocate(capacity: max(trackedMessages, 1))
        latencies.initialize(repeating: 0, count: max(trackedMessages, 1))
    }

    deinit {
        sentAt.deallocate()
        latencies.deallocate()
    }

    func markSent(_ index: Int) {
        sentAt[index] = KafkaBenchClock.nanoseconds()
    }

    /// The latencies of the tracked messages that were delivered.
    var recordedLatencies: [Duration] {
        (0..<trackedMessages).compactMap { latencies[$0] == 0 ? nil : .nanoseconds(Int64(latencies[$0])) }
    }

    func record(_ message: UnsafePointer<rd_kafka_message_t>) {
        guard message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            failed.add(1, ordering: .relaxed)
            return
        }
        delivered.add(1, ordering: .relaxed)
        let index = Int(bitPattern: message.pointee._private) - 1
        if index >= 0 && index < trackedMessages {
            latencies[index] = KafkaBenchClock.nanoseconds() - sentAt[index]
        }
    }
}

/// The Kafka benchmark's clock.
enum KafkaBenchClock {
    /// CLOCK_MONOTONIC in nanoseconds: cheap enough to call per message, also from librdkafka's callbacks.
    @inline(__always)
    static func nanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }

    /// CPU time of the whole process (every thread: the sender, librdkafka's, the polling thread), in nanoseconds.
    static func processCPUNanoseconds() -> UInt64 {
        cpuNanoseconds(CLOCK_PROCESS_CPUTIME_ID)
    }

    /// CPU time of the calling thread, in nanoseconds: unlike wall time, unaffected by other processes.
    static func threadCPUNanoseconds() -> UInt64 {
        cpuNanoseconds(CLOCK_THREAD_CPUTIME_ID)
    }

    private static func cpuNanoseconds(_ clock: clockid_t) -> UInt64 {
        var now = timespec()
        clock_gettime(clock, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}

/// A benchmark that could not run.
struct KafkaBenchmarkFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
