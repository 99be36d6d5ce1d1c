import Foundation
import Logging
import Synchronization

/// Writes each log record as one JSON object per line (`ts`, `level`, `label`, `message`, then the
/// metadata), to standard error or a file; for `avrogate serve`'s structured request logs.
struct JSONLinesLogHandler: LogHandler {
    /// One output, shared by every logger of the process.
    final class Sink: Sendable {
        private let handle: Mutex<FileHandle>

        init(handle: FileHandle) {
            self.handle = Mutex(handle)
        }

        /// Appends to `path`, creating it.
        convenience init(appendingTo path: String) throws {
            if !FileManager.default.fileExists(atPath: path) {
                guard FileManager.default.createFile(atPath: path, contents: nil) else {
                    throw CLIFailure(exitCode: 2, message: "cannot create log file \(path)")
                }
            }
            guard let handle = FileHandle(forWritingAtPath: path) else {
                throw CLIFailure(exitCode: 2, message: "cannot open log file \(path)")
            }
            handle.seekToEndOfFile()
            self.init(handle: handle)
        }

        func write(_ line: String) {
            handle.withLock { $0.write(Data(line.utf8)) }
        }
    }

    let label: String
    let sink: Sink
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields: [(String, String)] = [
            ("ts", Self.timestamp()), ("level", event.level.rawValue), ("label", label), ("message", event.message.description),
        ]
        var merged = metadata
        if let metadataProvider { merged.merge(metadataProvider.get()) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            fields.append((key, "\(value)"))
        }
        var line = "{"
        for (index, (key, value)) in fields.enumerated() {
            if index > 0 { line += "," }
            line += Self.quoted(key) + ":" + Self.quoted(value)
        }
        line += "}\n"
        sink.write(line)
    }

    private static func timestamp() -> String {
        Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    private static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
