import Foundation

/// Runs libcurl's blocking transfers on a few dedicated threads, so no Swift concurrency
/// executor or event loop ever waits on the network. Each thread owns one easy handle for its
/// whole life, which is what keeps connections alive between requests.
final class CurlWorkerPool: Sendable {
    private let queue: CurlJobQueue

    /// `maxThreads` threads at most, started as requests need them.
    init(maxThreads: Int) {
        queue = CurlJobQueue(maxThreads: max(1, maxThreads))
    }

    /// Waits (up to 2 s) until the threads cleaned up their handles: a process that exits while a thread
    /// is still in `curl_easy_cleanup` races OpenSSL's exit-time cleanup and can crash in libcrypto.
    deinit {
        queue.closeAndWait(timeout: .seconds(2))
    }

    /// Sends one request on a worker thread; cancelling the task aborts the transfer.
    func perform(url: String, request: HTTPRequest, headers: [String], settings: CurlRequestSettings) async -> Result<HTTPResponse, TransportFailure> {
        let cancellation = CurlCancellation()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                queue.submit(CurlJob(url: url, request: request, headers: headers, settings: settings,
                                     cancellation: cancellation, continuation: continuation))
            }
        } onCancel: {
            cancellation.cancel()
        }
    }
}

/// A request waiting for a worker thread, with the continuation its answer resumes.
struct CurlJob: Sendable {
    let url: String
    let request: HTTPRequest
    let headers: [String]
    let settings: CurlRequestSettings
    let cancellation: CurlCancellation
    let continuation: CheckedContinuation<Result<HTTPResponse, TransportFailure>, Never>

    func run(on handle: CurlEasyHandle) {
        if cancellation.isCancelled {
            continuation.resume(returning: .failure(TransportFailure(kind: .cancelled, curlCode: 0, message: "cancelled before it was sent")))
            return
        }
        continuation.resume(returning: handle.perform(url: url, request: request, headers: headers, settings: settings, cancellation: cancellation))
    }
}

/// The jobs waiting for the pool's threads.
// @unchecked: `jobs`, `threads`, `running`, `idle` and `closed` are read and written only while holding `condition`.
final class CurlJobQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private let maxThreads: Int
    private var jobs: [CurlJob] = []
    private var head = 0
    private var threads = 0
    /// Threads started and not yet done with their easy handle (`threads` drops before the handle is released).
    private var running = 0
    private var idle = 0
    private var closed = false

    init(maxThreads: Int) {
        self.maxThreads = maxThreads
    }

    func submit(_ job: CurlJob) {
        condition.lock()
        jobs.append(job)
        let waiting = jobs.count - head
        let spawn = !closed && waiting > idle && threads < maxThreads
        if spawn {
            threads += 1
            running += 1
        }
        condition.signal()
        condition.unlock()
        if spawn {
            let thread = Thread { [self] in work() }
            thread.name = "avrogate-registry-http"
            thread.start()
        }
    }

    /// Lets the threads finish the queued jobs, then end.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// ``close()``, then waits until every thread released its easy handle, or `timeout` passed.
    func closeAndWait(timeout: Duration) {
        let deadline = Date().addingTimeInterval(Double(timeout.components.seconds) + Double(timeout.components.attoseconds) * 1e-18)
        condition.lock()
        closed = true
        condition.broadcast()
        while running > 0 && condition.wait(until: deadline) {}
        condition.unlock()
    }

    private func work() {
        do {
            let handle = CurlEasyHandle()
            while let job = next() {
                job.run(on: handle)
            }
        }
        condition.lock()
        running -= 1
        condition.broadcast()
        condition.unlock()
    }

    private func next() -> CurlJob? {
        condition.lock()
        defer { condition.unlock() }
        while head == jobs.count {
            if closed {
                threads -= 1
                return nil
            }
            idle += 1
            condition.wait()
            idle -= 1
        }
        let job = jobs[head]
        head += 1
        if head == jobs.count {
            jobs.removeAll(keepingCapacity: true)
            head = 0
        }
        return job
    }
}
