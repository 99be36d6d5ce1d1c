import Kafka

/// Produces a stream of NDJSON events line by line (`avrogate produce`): each line is encoded as
/// it is read and sent in chunks, a few chunks in flight at once, so memory stays bounded whatever
/// the input's length. Without `partial`, the first invalid line stops it: the lines before it
/// are produced, nothing after it. Used by one task.
public final class NDJSONStreamProducer {
    /// Counts so far.
    public struct Progress: Sendable, Hashable {
        /// Non-blank lines read.
        public var lines = 0
        /// Records the broker acknowledged.
        public var acknowledged = 0
        /// Lines rejected (not valid for the schema, or not JSON).
        public var rejected = 0
        /// Records sent but not acknowledged.
        public var failed = 0
    }

    /// A line that was not produced, and why.
    public enum Failure: Sendable {
        /// The line does not match the schema (or is not JSON).
        case rejected([RecordError])
        /// The broker did not acknowledge the line's record.
        case notAcknowledged(line: Int, code: IngestErrorCode, message: String)
    }

    private struct Chunk {
        var lines: [Int]
        var pending: PendingDelivery
    }

    private let pipeline: IngestPipeline
    private let encoder: RecordEncoder
    private let partial: Bool
    private let partition: Int32?
    private let chunkSize: Int
    private let maxChunksInFlight: Int
    private let onFailure: (Failure) -> Void
    private var splitter: NDJSONLineSplitter
    private var messages: [KafkaProducerMessage] = []
    private var messageLines: [Int] = []
    private var inFlight: [Chunk] = []
    /// Counts so far.
    public private(set) var progress = Progress()
    /// Whether an invalid line stopped production (only without `partial`).
    public private(set) var stopped = false

    /// A producer of `encoder`'s topic; `onFailure` hears of every line not produced, as it happens.
    public init(pipeline: IngestPipeline, encoder: RecordEncoder, partial: Bool, partition: Int32? = nil, maxLineBytes: Int = 8 << 20,
                chunkSize: Int = 500, maxChunksInFlight: Int = 8, onFailure: @escaping (Failure) -> Void) {
        self.pipeline = pipeline
        self.encoder = encoder
        self.partial = partial
        self.partition = partition
        self.chunkSize = chunkSize
        self.maxChunksInFlight = maxChunksInFlight
        self.onFailure = onFailure
        self.splitter = NDJSONLineSplitter(maxLineBytes: maxLineBytes)
    }

    /// Encodes the complete lines of `bytes` (the rest waits for the next call), then sends full
    /// chunks, waiting for the oldest while too many are in flight.
    public func feed(_ bytes: [UInt8]) async throws {
        guard !stopped else { return }
        try bytes.withUnsafeBytes { try splitter.feed($0, encode) }
        try await sendFullChunks()
    }

    /// Encodes a last line without a newline, sends what is left and waits for every acknowledgement.
    public func finish() async throws -> Progress {
        if !stopped {
            try splitter.finish(encode)
        }
        try await send(count: messages.count)
        while !inFlight.isEmpty {
            await awaitOldest()
        }
        return progress
    }

    private func encode(_ line: UnsafeRawBufferPointer, _ number: Int) throws {
        guard !stopped else { return }
        progress.lines += 1
        switch encoder.encode(event: line, partition: partition, index: progress.lines - 1, line: number) {
        case .success(let message):
            messages.append(message)
            messageLines.append(number)
        case .failure(let rejection):
            progress.rejected += 1
            onFailure(.rejected(rejection.errors))
            if !partial { stopped = true }
        }
    }

    private func sendFullChunks() async throws {
        while messages.count >= chunkSize {
            try await send(count: chunkSize)
        }
    }

    private func send(count: Int) async throws {
        guard count > 0 else { return }
        let chunk = Array(messages.prefix(count))
        let lines = Array(messageLines.prefix(count))
        while true {
            while inFlight.count >= maxChunksInFlight {
                await awaitOldest()
            }
            do {
                let pending = try pipeline.send(chunk)
                inFlight.append(Chunk(lines: lines, pending: pending))
                break
            } catch where error.code == .producerQueueFull {
                if inFlight.isEmpty {
                    try await Task.sleep(for: .milliseconds(100))
                } else {
                    await awaitOldest()
                }
            }
        }
        messages.removeFirst(count)
        messageLines.removeFirst(count)
    }

    private func awaitOldest() async {
        guard !inFlight.isEmpty else { return }
        let chunk = inFlight.removeFirst()
        for (line, outcome) in zip(chunk.lines, await chunk.pending.outcomes()) {
            switch outcome {
            case .success:
                progress.acknowledged += 1
            case .failure(let error):
                progress.failed += 1
                onFailure(.notAcknowledged(line: line, code: IngestErrorCode(delivery: error), message: error.message))
            }
        }
    }
}
