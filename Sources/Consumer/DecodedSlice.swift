import Kafka

/// The lines of consecutive records of a batch, decoded by one task: their bytes, where each record's line
/// ends, and the outcomes of the records that were not simply written. A slice stops after its first record
/// that needs a schema.
struct DecodedSlice: Sendable {
    var bytes: [UInt8] = []
    /// `bytes.count` after each record (records that write nothing end where the previous one did).
    var ends: [Int] = []
    /// The outcomes other than ``RecordDecoder/Outcome/written``, with the record's position in the slice, in
    /// order: nearly every record is written, so nothing is kept per written record but its end.
    var exceptions: [(position: Int, outcome: RecordDecoder.Outcome)] = []
    /// Decode latencies of the written records, each its run's mean (only the latency fields are used).
    var latencies = BatchTally()

    /// How many records the slice went through.
    var count: Int { ends.count }

    /// Empties the slice, keeping its buffers' capacity for the next batch.
    mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        exceptions.removeAll(keepingCapacity: true)
        latencies = BatchTally()
    }
}

extension RecordDecoder {
    /// The fewest records worth a task of their own.
    static let minimumSlice = 200
    /// The most records timed together for the decode-latency histogram.
    static let latencyRun = 64

    /// Decodes `records` in order on up to `parallelism` tasks, into slices taken from `pool`; the slices
    /// come back in record order.
    func decode(_ records: ArraySlice<KafkaConsumerRecord>, parallelism: Int, pool: DecodedSlicePool) async -> [DecodedSlice] {
        let sliceCount = Self.sliceCount(records.count, parallelism: parallelism)
        guard sliceCount > 1 else { return [decodeSlice(records, pool: pool)] }
        let sliceSize = (records.count + sliceCount - 1) / sliceCount
        return await withTaskGroup(of: (Int, DecodedSlice).self) { group in
            for index in 0..<sliceCount {
                let start = records.startIndex + index * sliceSize
                let part = records[start ..< min(start + sliceSize, records.endIndex)]
                group.addTask {
                    var slice = pool.take()
                    decodeSlice(part, into: &slice)
                    return (index, slice)
                }
            }
            var slices = [DecodedSlice](repeating: DecodedSlice(), count: sliceCount)
            for await (index, slice) in group {
                slices[index] = slice
            }
            return slices
        }
    }

    /// Into how many slices ``decode(_:parallelism:pool:)`` cuts `count` records.
    static func sliceCount(_ count: Int, parallelism: Int) -> Int {
        max(1, min(parallelism, count / minimumSlice))
    }

    /// Decodes `records` in order on the calling task, into one slice taken from `pool`.
    func decodeSlice(_ records: ArraySlice<KafkaConsumerRecord>, pool: DecodedSlicePool) -> DecodedSlice {
        var slice = pool.take()
        decodeSlice(records, into: &slice)
        return slice
    }

    private func decodeSlice(_ records: ArraySlice<KafkaConsumerRecord>, into slice: inout DecodedSlice) {
        // JSON lines run to a few times their frames; pages reserved but not written cost nothing.
        slice.bytes.reserveCapacity(records.count * 1024)
        slice.ends.reserveCapacity(records.count)
        let clock = ContinuousClock()
        var lastPlan: WriterPlan?
        // Latency is timed per run of records (a clock reading costs a good part of a record's decoding):
        // each written record of a run is credited the run's mean.
        var runStart = clock.now
        var runLength = 0
        var runWritten = 0
        func closeRun() {
            guard runLength > 0 else { return }
            let now = clock.now
            if runWritten > 0 { slice.latencies.observeLatency((now - runStart) / runLength, count: runWritten) }
            runStart = now
            runLength = 0
            runWritten = 0
        }
        // Records borrowed in place rather than copied out one by one.
        records.withUnsafeBufferPointer { records in
            for index in records.indices {
                let outcome = format.envelope
                    ? decode(records[index], into: &slice.bytes, lastPlan: &lastPlan)
                    : decode(value: records[index].value, into: &slice.bytes, lastPlan: &lastPlan)
                runLength += 1
                slice.ends.append(slice.bytes.count)
                if case .written = outcome {
                    runWritten += 1
                } else {
                    slice.exceptions.append((index, outcome))
                    if case .needsSchema = outcome { break }
                }
                if runLength == Self.latencyRun { closeRun() }
            }
        }
        closeRun()
    }
}
