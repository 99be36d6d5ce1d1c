import Foundation

/// A dedicated thread that serves one librdkafka client, so that no blocking librdkafka call ever runs on a
/// Swift concurrency executor. It runs submitted jobs (blocking calls: flush, metadata, consumer polls,
/// commits) in order, and between jobs either serves the client's main queue with a blocking
/// `rd_kafka_poll(100 ms)` that returns as soon as an event arrives (producers and admin clients: delivery
/// reports, error callbacks), or sleeps until a job arrives (consumers, whose callbacks are served by their
/// polls).
///
/// `@unchecked Sendable`: `jobs`, `stopRequested`, `exited` and `exitWaiters` are only touched with
/// `condition` locked; `idle` and `name` are immutable.
final class RDKafkaServiceThread: @unchecked Sendable {
    /// What the thread does when it has no job.
    enum Idle {
        /// Serve this client's main queue.
        case pollMainQueue(RDKafkaClient)
        /// Sleep until a job arrives.
        case waitForJobs
    }

    let name: String
    private let idle: Idle
    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []
    private var stopRequested = false
    private var exited = false
    private var exitWaiters: [CheckedContinuation<Void, Never>] = []

    /// Starts the thread.
    init(name: String, idle: Idle) {
        self.name = name
        self.idle = idle
        let thread = Thread { [self] in
            self.serve()
        }
        thread.name = name
        thread.start()
    }

    /// Queues `job`; `false` when the thread is stopping and will not run it.
    @discardableResult
    func submit(_ job: @escaping @Sendable () -> Void) -> Bool {
        condition.lock()
        guard !stopRequested else {
            condition.unlock()
            return false
        }
        jobs.append(job)
        condition.signal()
        condition.unlock()
        wake()
        return true
    }

    /// Runs `body` on the thread and returns its result; throws ``KafkaError/Code/closed`` when the thread is stopping.
    func run<Value: Sendable>(_ body: @escaping @Sendable () throws(KafkaError) -> Value) async throws(KafkaError) -> Value {
        let result: Result<Value, KafkaError> = await withCheckedContinuation { continuation in
            let accepted = submit {
                do throws(KafkaError) {
                    continuation.resume(returning: .success(try body()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
            if !accepted {
                continuation.resume(returning: .failure(KafkaError(code: .closed, message: "\(name) has shut down")))
            }
        }
        return try result.get()
    }

    /// Lets the thread finish the jobs already queued, then end; returns once it has ended.
    func shutdown() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            condition.lock()
            if exited {
                condition.unlock()
                continuation.resume()
                return
            }
            stopRequested = true
            exitWaiters.append(continuation)
            condition.signal()
            condition.unlock()
            wake()
        }
    }

    /// Asks the thread to end after its queued jobs, without waiting (for `deinit`s).
    func requestStop() {
        condition.lock()
        stopRequested = true
        condition.signal()
        condition.unlock()
        wake()
    }

    private func wake() {
        if case .pollMainQueue(let client) = idle {
            client.wakeMainQueue()
        }
    }

    private func serve() {
        while true {
            condition.lock()
            if case .waitForJobs = idle {
                while jobs.isEmpty && !stopRequested {
                    condition.wait()
                }
            }
            let batch = jobs
            jobs.removeAll()
            let stopping = stopRequested
            condition.unlock()

            for job in batch {
                job()
            }
            if batch.isEmpty {
                if stopping { break }
                if case .pollMainQueue(let client) = idle {
                    client.poll(timeoutMilliseconds: 100)
                }
            }
        }
        condition.lock()
        exited = true
        let waiters = exitWaiters
        exitWaiters.removeAll()
        condition.unlock()
        for waiter in waiters {
            waiter.resume()
        }
    }
}
