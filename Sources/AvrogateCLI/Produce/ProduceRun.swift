import Foundation
import Ingest

/// One `avrogate produce` run: reads the input in chunks off the cooperative threads, feeds the
/// stream producer, reports each failure on standard error as it happens, keeps the progress
/// line fresh on a terminal, and prints the summary.
struct ProduceRun {
    struct Summary {
        var progress: NDJSONStreamProducer.Progress
        var stopped: Bool
        var elapsed: Duration
    }

    let topic: String
    let schema: SelectedSchema
    let showProgress: Bool
    private let started = ContinuousClock.now

    init(topic: String, schema: SelectedSchema, showProgress: Bool) {
        self.topic = topic
        self.schema = schema
        self.showProgress = showProgress
    }

    func produce(input: FileHandle, pipeline: IngestPipeline, encoder: RecordEncoder, partial: Bool, partition: Int32?) async throws -> Summary {
        let errors = StandardError(progressLine: showProgress)
        let producer = NDJSONStreamProducer(pipeline: pipeline, encoder: encoder, partial: partial, partition: partition) { failure in
            switch failure {
            case .rejected(let recordErrors):
                for error in recordErrors {
                    errors.line("line \(error.line ?? error.index + 1): \(error.path): expected \(error.expected), got \(error.got)")
                }
            case .notAcknowledged(let line, let code, let message):
                errors.line("line \(line): not acknowledged (\(code.rawValue) \(code.reason)): \(message)")
            }
        }
        var lastProgress = ContinuousClock.now
        while !producer.stopped {
            let chunk = await Self.read(input)
            if chunk.isEmpty { break }
            try await producer.feed([UInt8](chunk))
            if showProgress && ContinuousClock.now - lastProgress > .milliseconds(250) {
                lastProgress = .now
                errors.progress(describe(producer.progress, final: false))
            }
        }
        let progress = try await producer.finish()
        let summary = Summary(progress: progress, stopped: producer.stopped, elapsed: .now - started)
        errors.progress(nil)
        var text = describe(progress, final: true)
        if summary.stopped {
            text += "; stopped at the first invalid line (pass --partial to skip invalid lines)"
        }
        errors.line(text)
        return summary
    }

    private func describe(_ progress: NDJSONStreamProducer.Progress, final: Bool) -> String {
        let seconds = max(Double((ContinuousClock.now - started).components.attoseconds) / 1e18 + Double((ContinuousClock.now - started).components.seconds), 0.001)
        let rate = Int(Double(progress.acknowledged) / seconds)
        var text = final
            ? "\(topic): \(progress.acknowledged) of \(progress.lines) records produced in \(String(format: "%.2f", seconds)) s (\(rate) records/s) with schema id \(schema.id)"
            : "\(rate) records/s, \(progress.acknowledged) acknowledged, \(progress.rejected) rejected"
        if final {
            if let subject = schema.subject, let version = schema.version { text += " (\(subject) version \(version))" }
            text += "; \(progress.rejected) rejected"
            if progress.failed > 0 { text += ", \(progress.failed) not acknowledged" }
        } else if progress.failed > 0 {
            text += ", \(progress.failed) not acknowledged"
        }
        return text
    }

    /// Up to 256 KiB of the input, read on a dispatch thread; empty at the end.
    private static func read(_ handle: FileHandle) async -> Data {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: (try? handle.read(upToCount: 256 << 10)) ?? Data())
            }
        }
    }
}

/// Standard error with an optional progress line kept at the bottom.
final class StandardError {
    private let progressLine: Bool
    private var showing = false

    init(progressLine: Bool) {
        self.progressLine = progressLine
    }

    func line(_ text: String) {
        clear()
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Replaces the progress line; `nil` removes it.
    func progress(_ text: String?) {
        guard progressLine else { return }
        clear()
        if let text {
            FileHandle.standardError.write(Data(text.utf8))
            showing = true
        }
    }

    private func clear() {
        guard showing else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
        showing = false
    }
}
