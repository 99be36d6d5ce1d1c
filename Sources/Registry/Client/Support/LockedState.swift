import Foundation

/// A value shared between tasks and threads, read and changed only while holding its lock. Package-wide:
/// the registry server keeps its state in it too.
// @unchecked: every access to `value` goes through `withLock`, which holds `lock`.
package final class LockedState<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    package init(_ value: Value) {
        self.value = value
    }

    package func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
