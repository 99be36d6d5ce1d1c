/// Splits a body arriving in buffers into newline-delimited lines, without holding more than one
/// incomplete line. Blank lines are counted but not handed on; a `\r` before `\n` is dropped.
public struct NDJSONLineSplitter: Sendable {
    private var pending: [UInt8] = []
    /// The number of the last line handed on (1-based).
    public private(set) var lineNumber = 0
    /// The longest line accepted, in bytes.
    public let maxLineBytes: Int

    public init(maxLineBytes: Int) {
        self.maxLineBytes = maxLineBytes
    }

    /// Hands `body` every complete non-blank line in `chunk` with its number.
    public mutating func feed(_ chunk: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer, Int) throws -> Void) throws {
        var start = 0
        while let newline = chunk[start...].firstIndex(of: UInt8(ascii: "\n")) {
            if pending.isEmpty {
                try emit(UnsafeRawBufferPointer(rebasing: chunk[start ..< newline]), body)
            } else {
                pending.append(contentsOf: chunk[start ..< newline])
                let line = pending
                pending.removeAll(keepingCapacity: true)
                try line.withUnsafeBytes { try emit($0, body) }
            }
            start = newline + 1
        }
        pending.append(contentsOf: chunk[start...])
        guard pending.count <= maxLineBytes else {
            throw IngestError(.bodyTooLarge, "line \(lineNumber + 1) is longer than \(maxLineBytes) bytes (--max-body-bytes)")
        }
    }

    /// Hands on the last line when the body does not end with a newline.
    public mutating func finish(_ body: (UnsafeRawBufferPointer, Int) throws -> Void) throws {
        guard !pending.isEmpty else { return }
        let line = pending
        pending.removeAll()
        try line.withUnsafeBytes { try emit($0, body) }
    }

    private mutating func emit(_ line: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer, Int) throws -> Void) throws {
        lineNumber += 1
        var end = line.count
        if end > 0 && line[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let trimmed = UnsafeRawBufferPointer(rebasing: line[0 ..< end])
        guard trimmed.contains(where: { !($0 == 0x20 || $0 == 0x09) }) else { return }
        try body(trimmed, lineNumber)
    }
}
