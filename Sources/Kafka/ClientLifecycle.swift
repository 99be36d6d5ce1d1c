import Synchronization

/// The lifecycle every client goes through: running → closing → closed. Closing happens once: the first
/// caller of ``beginClosing()`` does it, later callers wait until it is done.
final class ClientLifecycle: Sendable {
    private enum State {
        case running
        case closing(waiters: [CheckedContinuation<Void, Never>])
        case closed
    }

    private let state = Mutex<State>(.running)

    /// Whether the client still accepts work.
    var isRunning: Bool {
        state.withLock { if case .running = $0 { true } else { false } }
    }

    /// `true` for the one caller that must now close the client; `false`, once the client is closed, for everyone else.
    func beginClosing() async -> Bool {
        let first = state.withLock { state -> Bool? in
            switch state {
            case .running:
                state = .closing(waiters: [])
                return true
            case .closing:
                return nil
            case .closed:
                return false
            }
        }
        if let first { return first }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let closed = state.withLock { state -> Bool in
                guard case .closing(var waiters) = state else { return true }
                waiters.append(continuation)
                state = .closing(waiters: waiters)
                return false
            }
            if closed { continuation.resume() }
        }
        return false
    }

    /// Marks the client closed and releases everyone waiting in ``beginClosing()``.
    func finishClosing() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            defer { state = .closed }
            if case .closing(let waiters) = state { return waiters }
            return []
        }
        for waiter in waiters {
            waiter.resume()
        }
    }
}
