import Avro
import Kafka

/// Turns records into output lines with the plans prepared per writer schema id. It never waits: a record
/// whose writer schema id has no plan yet stops the caller (``Outcome/needsSchema(_:)``), which fetches
/// it (see ``WriterPlan/prepare(schemaID:registry:reader:json:)``) and hands the result to ``install(_:for:)``.
/// Decoding does not change it, so copies decode slices of a batch in parallel.
struct RecordDecoder: Sendable {
    /// What became of one record.
    enum Outcome: Sendable {
        /// Its line was appended.
        case written
        /// A null value: its line (`null`, or the envelope with a null value) was appended.
        case tombstone
        /// Nothing was appended; the record cannot be decoded.
        case undecodable(UndecodableRecord)
        /// Nothing was appended; the plan for this writer schema id is needed first.
        case needsSchema(Int)
    }

    private enum Entry: Sendable {
        case ready(WriterPlan)
        case undecodable(UndecodableRecord)
        /// The registry did not know the id; asked again once this time has passed, in case it was registered since.
        /// (`until` is measured from ``clockStart``: a `Duration` has a layout known when compiling, a clock's
        /// `Instant` does not, and an entry of unknown size costs every record's decoding a look-up.)
        case unknown(UndecodableRecord, until: Duration)
    }

    /// How long an unknown schema id is reported without asking the registry again.
    static let unknownIDRetention: Duration = .seconds(10)
    /// The instant the retention of unknown ids is measured from.
    private static let clockStart = ContinuousClock.now

    /// Out of line, so that no `Instant` (of unknown size) is laid out where records are decoded.
    @inline(never)
    private static var sinceClockStart: Duration { ContinuousClock.now - clockStart }

    let format: RecordFormat
    private var entries: [Int: Entry] = [:]

    init(format: RecordFormat) {
        self.format = format
    }

    /// Remembers what preparing a writer schema id gave.
    mutating func install(_ preparation: WriterPlan.Preparation, for schemaID: Int) {
        switch preparation {
        case .ready(let plan):
            entries[schemaID] = .ready(plan)
        case .undecodable(let failure) where failure.reason == .unknownSchemaID:
            entries[schemaID] = .unknown(failure, until: Self.sinceClockStart + Self.unknownIDRetention)
        case .undecodable(let failure):
            entries[schemaID] = .undecodable(failure)
        case .failed, .cancelled:
            break
        }
    }

    /// Appends the output line of `record` (with its newline) to `out`, or says why it cannot.
    func decode(_ record: some ConsumedRecord, into out: inout [UInt8]) -> Outcome {
        var lastPlan: WriterPlan?
        return decode(record, into: &out, lastPlan: &lastPlan)
    }

    /// ``decode(_:into:)`` for consecutive records: `lastPlan` keeps the plan of the previous record, which
    /// the next one most likely shares, so that it is not looked up again.
    func decode(_ record: some ConsumedRecord, into out: inout [UInt8], lastPlan: inout WriterPlan?) -> Outcome {
        record.withValue { value in
            decode(value, envelopeOf: format.envelope ? record : nil, into: &out, lastPlan: &lastPlan)
        }
    }

    /// ``decode(_:into:lastPlan:)`` of a record known by its value alone, for output without an envelope:
    /// the record itself is not touched (nor its batch's reference count, which tasks decoding other
    /// records of the same batch share).
    func decode(value: UnsafeRawBufferPointer?, into out: inout [UInt8], lastPlan: inout WriterPlan?) -> Outcome {
        precondition(!format.envelope, "an envelope needs the record")
        return decode(value, envelopeOf: KafkaConsumerRecord?.none, into: &out, lastPlan: &lastPlan)
    }

    /// `record` is given when the line has an envelope.
    private func decode(_ value: UnsafeRawBufferPointer?, envelopeOf record: (some ConsumedRecord)?, into out: inout [UInt8], lastPlan: inout WriterPlan?) -> Outcome {
        guard let value else {
            if let record { EnvelopeWriter.writePrefix(of: record, schemaID: nil, to: &out) }
            out.append(contentsOf: "null".utf8)
            finishLine(to: &out)
            return .tombstone
        }
        return decodeFrame(value, envelopeOf: record, into: &out, lastPlan: &lastPlan)
    }

    private func decodeFrame(_ frame: UnsafeRawBufferPointer, envelopeOf record: (some ConsumedRecord)?, into out: inout [UInt8], lastPlan: inout WriterPlan?) -> Outcome {
        let schemaID: Int
        let body: UnsafeRawBufferPointer
        do {
            let unframed = try ConfluentWireFormat.unframe(frame)
            schemaID = Int(unframed.schemaID)
            body = unframed.body
        } catch {
            let reason: UndecodableRecord.Reason = if case .wrongMagicByte = error { .wrongMagicByte } else { .truncated }
            return .undecodable(UndecodableRecord(reason: reason, message: error.description))
        }
        // The previous record's plan is used in place: no copy, so no retain per record.
        if lastPlan?.schemaID != schemaID {
            switch entries[schemaID] {
            case .ready(let ready)?:
                lastPlan = ready
            case .undecodable(let failure)?:
                return .undecodable(failure)
            case .unknown(let failure, let until)?:
                return Self.sinceClockStart < until ? .undecodable(failure) : .needsSchema(schemaID)
            case nil:
                return .needsSchema(schemaID)
            }
        }
        let mark = out.count
        if let record { EnvelopeWriter.writePrefix(of: record, schemaID: schemaID, to: &out) }
        do {
            try lastPlan!.decoder.write(body, to: &out)
        } catch {
            out.removeLast(out.count - mark)
            let reason: UndecodableRecord.Reason = switch error.kind {
            case .truncated, .lengthExceedsRemaining, .countExceedsRemaining: .truncated
            case .trailingBytes: .trailingBytes
            default: .invalidDatum
            }
            return .undecodable(UndecodableRecord(reason: reason, message: error.description, schemaID: schemaID))
        }
        finishLine(to: &out)
        return .written
    }

    private func finishLine(to out: inout [UInt8]) {
        if format.envelope { out.append(UInt8(ascii: "}")) }
        out.append(UInt8(ascii: "\n"))
    }
}
