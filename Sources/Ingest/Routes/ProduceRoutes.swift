import Avro
import Hummingbird
import Kafka

/// `POST /topics/{topic}`: events in natural JSON (one, a batch, or NDJSON) or a REST Proxy v2
/// body, encoded with the registry's schema and produced; answered once every record is acknowledged.
struct ProduceRoutes {
    let pipeline: IngestPipeline
    let limits: IngestLimits

    func add(to topics: RouterGroup<IngestRequestContext>) {
        topics.post(":topic") { request, context in
            try await produce(request, context: context)
        }
    }

    func produce(_ request: Request, context: IngestRequestContext) async throws -> Response {
        let topic = try context.parameters.require("topic")
        switch try ProduceContentType(request) {
        case .json:
            return try await produceNatural(request, topic: topic, streamed: false)
        case .ndjson:
            return try await produceNatural(request, topic: topic, streamed: true)
        case .restProxyAvro:
            return try await RestProxyProduce(pipeline: pipeline, limits: limits).produce(request, topic: topic)
        }
    }

    /// Natural JSON: the schema is selected first, then the body is read and each event encoded;
    /// NDJSON is encoded line by line as it arrives.
    private func produceNatural(_ request: Request, topic: String, streamed: Bool) async throws -> Response {
        let query = try ProduceQuery(request)
        let schema = try await pipeline.schema(topic: topic, query.selection)
        let keySource: KeySource = query.key.map(KeySource.constant) ?? pipeline.keyField(topic: topic).map(KeySource.field) ?? .none
        let keyFormat: KeyFormat = keySource == .none ? .string : try await pipeline.keyFormat(topic: topic)
        var batch = RecordBatch(maxReportedErrors: limits.maxReportedErrors)
        try await pipeline.withRecordEncoder(topic: topic, value: schema, key: keyFormat, keySource: keySource) { encoder in
            if streamed {
                try await readLines(request, into: &batch, encoder: encoder, partition: query.partition)
            } else {
                let body = try await RequestBodyReader.collect(request, limit: limits.maxBodyBytes)
                try body.withUnsafeReadableBytes { bytes in
                    // A well-formed batch is parsed once; anything else is framed first, which places its problems.
                    guard !encoder.encodeArray(bytes, partition: query.partition, maxElements: limits.maxBatchRecords, into: &batch) else { return }
                    let framing = try JSONBatchFraming(bytes, maxDepth: limits.maxDepth, maxElements: limits.maxBatchRecords)
                    for (index, element) in framing.elements.enumerated() {
                        let event = UnsafeRawBufferPointer(rebasing: bytes[element.range])
                        batch.add(encoder.encode(event: event, partition: query.partition, index: index, origin: (element.line, element.column)))
                    }
                }
            }
        }
        let results = try await deliver(batch, topic: topic, partial: query.partial)
        if let failure = results.failure(recordErrors: batch.errors) {
            throw failure
        }
        return Self.acknowledgedResponse(schema: schema, results: results)
    }

    /// `{"subject":…,"schema_id":…,"version":…,"offsets":[{"partition":p,"offset":o},…]}`, written directly into the
    /// body's buffer: a batch's answer has an entry per record, which a `JSONValue` tree (or a `String` per
    /// number) would allocate one by one.
    static func acknowledgedResponse(schema: SelectedSchema, results: [RecordResult]) -> Response {
        var buffer = ByteBufferAllocator().buffer(capacity: 64 + results.count * 32)
        buffer.writeStaticString("{")
        if let subject = schema.subject {
            var text = "\"subject\":"
            JSONValue.writeString(subject, to: &text)
            buffer.writeString(text)
            buffer.writeStaticString(",")
        }
        buffer.writeStaticString("\"schema_id\":")
        buffer.writeDecimal(Int64(schema.id))
        if let version = schema.version {
            buffer.writeStaticString(",\"version\":")
            buffer.writeDecimal(Int64(version))
        }
        buffer.writeStaticString(",\"offsets\":[")
        for (index, result) in results.enumerated() {
            if index > 0 { buffer.writeStaticString(",") }
            switch result {
            case .acknowledged(let position):
                buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: Self.offsetEntryLength) { out in
                    Self.writeOffsetEntry(position, into: out)
                }
            case .failed:
                buffer.writeString(result.offsetEntry(restProxy: false).jsonText)
            }
        }
        buffer.writeStaticString("]}")
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: buffer))
    }

    /// The longest `{"partition":p,"offset":o}`.
    private static let offsetEntryLength = 25 + 2 * ByteBuffer.maxDecimalLength

    /// Writes `{"partition":p,"offset":o}` at the start of `out` (room for ``offsetEntryLength`` bytes) in one
    /// reservation of the buffer; returns its length.
    private static func writeOffsetEntry(_ position: DeliveryPosition, into out: UnsafeMutableRawBufferPointer) -> Int {
        var length = 0
        func write(_ text: StaticString) {
            UnsafeMutableRawBufferPointer(rebasing: out[length...]).copyMemory(from: UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
            length += text.utf8CodeUnitCount
        }
        write("{\"partition\":")
        length += ByteBuffer.writeDecimal(Int64(position.partition), into: UnsafeMutableRawBufferPointer(rebasing: out[length...]))
        write(",\"offset\":")
        length += ByteBuffer.writeDecimal(position.offset, into: UnsafeMutableRawBufferPointer(rebasing: out[length...]))
        write("}")
        return length
    }

    private func readLines(_ request: Request, into batch: inout RecordBatch, encoder: RecordEncoder, partition: Int32?) async throws {
        try RequestBodyReader.checkDeclaredLength(request, limit: limits.maxBodyBytes)
        var splitter = NDJSONLineSplitter(maxLineBytes: limits.maxBodyBytes)
        var total = 0
        let maxRecords = limits.maxBatchRecords
        func encode(_ line: UnsafeRawBufferPointer, _ number: Int) throws {
            guard batch.count < maxRecords else {
                throw IngestError(.tooManyRecords, "the body holds more than \(maxRecords) records (--max-batch-records); split it into several requests")
            }
            batch.add(encoder.encode(event: line, partition: partition, index: batch.count, line: number))
        }
        for try await chunk in request.body {
            total += chunk.readableBytes
            guard total <= limits.maxBodyBytes else { throw RequestBodyReader.tooLarge(limits.maxBodyBytes) }
            try chunk.withUnsafeReadableBytes { try splitter.feed($0, encode) }
        }
        try splitter.finish(encode)
    }

    /// Sends the encoded records and waits for their acknowledgements. All or nothing unless
    /// `partial`: one rejected record and nothing is sent.
    private func deliver(_ batch: RecordBatch, topic: String, partial: Bool) async throws -> [RecordResult] {
        for (reason, count) in batch.rejectedByReason {
            pipeline.metrics?.recordsRejected(topic: topic, reason: reason, count: count)
        }
        if batch.rejectedCount > 0 && !partial {
            let code = batch.rejectionCode
            let what = code == .invalidRecord ? "do not match the schema" : code == .nestingTooDeep ? "nest too deeply" : "are not valid JSON"
            let truncated = batch.errorCount > batch.errors.count ? " (the first \(batch.errors.count) of \(batch.errorCount) errors are listed)" : ""
            throw IngestError(code, "\(batch.rejectedCount) of \(batch.count) records \(what), so none was produced: fix the records listed in `errors`\(truncated) and resend, or pass ?partial=true to produce the valid ones", recordErrors: batch.errors)
        }
        let outcomes = batch.messages.isEmpty ? [] : try await pipeline.send(batch.messages).outcomes()
        return RecordResult.results(of: batch, outcomes: outcomes)
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, contentType: String = "application/json") -> Response {
        Response(status: status, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: ByteBuffer(string: value.jsonText)))
    }
}
