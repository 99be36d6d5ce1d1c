#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where decoded records go: bytes handed to ``write(_:)`` must have left the process when it returns,
/// because the consumer stores a record's offset right after its batch was written.
public protocol RecordOutput: Sendable {
    /// Writes `bytes` (whole NDJSON lines) and returns once the operating system has them; `bytes` is valid
    /// only during the call.
    func write(_ bytes: UnsafeRawBufferPointer) throws(OutputError)
}

/// The output could not be opened or written.
public struct OutputError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What failed, with the operating system's reason.
    public var message: String
    /// An error saying `message`.
    public init(message: String) {
        self.message = message
    }
    public var description: String { message }
}

/// A file descriptor as a ``RecordOutput``: standard output, or a file opened for appending, so that a
/// restarted consumer adds to what an earlier run wrote instead of destroying records it already committed.
public final class OutputWriter: RecordOutput {
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    /// Where it writes, for messages.
    public let name: String

    /// Standard output.
    public static func standardOutput() -> OutputWriter {
        OutputWriter(descriptor: STDOUT_FILENO, ownsDescriptor: false, name: "standard output")
    }

    /// The file at `path`, created when missing and appended to.
    public init(appendingTo path: String) throws(OutputError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw OutputError(message: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        self.descriptor = descriptor
        self.ownsDescriptor = true
        self.name = path
    }

    private init(descriptor: Int32, ownsDescriptor: Bool, name: String) {
        self.descriptor = descriptor
        self.ownsDescriptor = ownsDescriptor
        self.name = name
    }

    deinit {
        if ownsDescriptor { closeDescriptor(descriptor) }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(OutputError) {
        var written = 0
        while written < bytes.count {
            let result = writeDescriptor(descriptor, bytes.baseAddress! + written, bytes.count - written)
            if result < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw OutputError(message: "cannot write to \(name): \(String(cString: strerror(errno)))")
            }
            written += result
        }
    }
}

private func writeDescriptor(_ descriptor: Int32, _ start: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, start, count)
}

private func closeDescriptor(_ descriptor: Int32) {
    _ = close(descriptor)
}
