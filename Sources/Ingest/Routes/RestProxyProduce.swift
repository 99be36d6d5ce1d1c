import Avro
import Hummingbird

/// `POST /topics/{topic}` with a REST Proxy v2 Avro body, answered in REST Proxy's shape:
/// `{"key_schema_id", "value_schema_id", "offsets": [{partition, offset, error_code, error}]}`.
///
/// One deliberate difference: REST Proxy registers an inline `value_schema` under `{topic}-value`;
/// this gateway never registers (schemas are governed in the registry), so an inline schema must
/// already be registered under the subject, else 422 with code 42207.
struct RestProxyProduce {
    let pipeline: IngestPipeline
    let limits: IngestLimits

    func produce(_ request: Request, topic: String) async throws -> Response {
        let buffer = try await RequestBodyReader.collect(request, limit: limits.maxBodyBytes)
        let body: JSONValue
        do {
            body = try JSONValue.parse(String(buffer: buffer), maxDepth: limits.maxDepth + 3)
        } catch {
            if error.message.contains("nesting deeper") {
                throw Self.restProxyError(IngestError(.nestingTooDeep, "JSON nested deeper than \(limits.maxDepth) levels; flatten the records"))
            }
            throw Self.restProxyError(IngestError(.malformedJSON, "\(error)"))
        }
        do {
            return try await produce(try RestProxyProduceRequest(body), topic: topic)
        } catch let error as IngestError {
            throw Self.restProxyError(error)
        }
    }

    private func produce(_ body: RestProxyProduceRequest, topic: String) async throws -> Response {
        guard body.records.count <= limits.maxBatchRecords else {
            throw IngestError(.tooManyRecords, "the body holds \(body.records.count) records, more than \(limits.maxBatchRecords) (--max-batch-records); split it into several requests")
        }
        let selection: SchemaSelection = if let id = body.valueSchemaID { .id(id) } else if let text = body.valueSchema { .registeredText(text, subject: nil) } else { .latest }
        let valueSchema = try await pipeline.schema(topic: topic, selection)
        let hasKeys = body.records.contains { $0.key != nil }
        let keyFormat: KeyFormat = hasKeys || body.keySchemaID != nil || body.keySchema != nil
            ? try await pipeline.keyFormat(topic: topic, schemaID: body.keySchemaID, schemaText: body.keySchema)
            : .string
        if case .string = keyFormat, let index = body.records.firstIndex(where: { $0.key?.isStructured == true }) {
            throw IngestError(.keySchemaMissing, "records[\(index)] has a structured key but the request has no key_schema or key_schema_id and subject \(SubjectNameStrategy.keySubject(topic: topic)) does not exist; send a key schema or string keys")
        }
        var batch = RecordBatch(maxReportedErrors: limits.maxReportedErrors)
        try await pipeline.withRecordEncoder(topic: topic, value: valueSchema, key: keyFormat, keySource: .none) { encoder in
            for (index, record) in body.records.enumerated() {
                batch.add(encoder.encode(value: record.value, key: record.key, partition: record.partition, index: index))
            }
        }
        for (reason, count) in batch.rejectedByReason {
            pipeline.metrics?.recordsRejected(topic: topic, reason: reason, count: count)
        }
        guard batch.rejectedCount == 0 else {
            let first = batch.errors.first.map { " (first: records[\($0.index)] \($0.path): expected \($0.expected), got \($0.got))" } ?? ""
            throw IngestError(.invalidRecord, "Conversion of JSON to Avro failed for \(batch.rejectedCount) of \(batch.count) records\(first); none was produced. Values must be in the Avro JSON encoding (unions wrapped as {\"type\": value})", recordErrors: batch.errors)
        }
        let outcomes = batch.messages.isEmpty ? [] : try await pipeline.send(batch.messages).outcomes()
        let results = RecordResult.results(of: batch, outcomes: outcomes)
        let schemaIDs: [(String, JSONValue)] = [
            ("key_schema_id", keyFormat.schemaID.map { .integer(Int64($0)) } ?? .null),
            ("value_schema_id", .integer(Int64(valueSchema.id))),
        ]
        if var failure = results.failure(recordErrors: []) {
            failure.extraMembers = schemaIDs + [("offsets", .array(results.map { $0.offsetEntry(restProxy: true) }))]
            throw failure
        }
        let response = JSONObject(schemaIDs + [("offsets", .array(results.map { $0.offsetEntry(restProxy: true) }))])
        return ProduceRoutes.json(.object(response), contentType: ProduceContentType.restProxyResponseType)
    }

    /// The same error in REST Proxy's content type.
    private static func restProxyError(_ error: IngestError) -> IngestError {
        var error = error
        error.contentType = ProduceContentType.restProxyResponseType
        return error
    }
}

extension JSONValue {
    /// An array or an object: not a value a string key can be made of.
    fileprivate var isStructured: Bool {
        switch self {
        case .array, .object: true
        default: false
        }
    }
}
