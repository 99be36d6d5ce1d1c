import Avro
import Kafka

/// Encodes one request's records: each JSON event to an Avro value in Confluent's wire format,
/// and its key. Made by ``IngestPipeline/withRecordEncoder(topic:value:key:keySource:_:)``; used by
/// one task at a time (it holds encoders borrowed from the schemas' pools).
public final class RecordEncoder {
    /// The topic records go to.
    public let topic: String
    /// The value schema.
    public let valueSchema: SelectedSchema
    /// How keys are serialized.
    public let keyFormat: KeyFormat
    private let keySource: KeySource
    private let valueEncoder: AvroEncoder
    private let keyEncoder: AvroEncoder?
    private var constantKey: Result<[UInt8]?, RecordKeyProblem>?

    init(topic: String, valueSchema: SelectedSchema, keyFormat: KeyFormat, keySource: KeySource) throws(IngestError) {
        self.topic = topic
        self.valueSchema = valueSchema
        self.keyFormat = keyFormat
        self.keySource = keySource
        do {
            valueEncoder = try valueSchema.compiled.encoders.take()
            if case .avro(let keySchema) = keyFormat {
                keyEncoder = try keySchema.compiled.encoders.take()
            } else {
                keyEncoder = nil
            }
        } catch {
            throw IngestError(.invalidSchema, "schema id \(valueSchema.id) cannot be used for encoding: \(error.message)")
        }
    }

    /// Gives the encoders back to their pools.
    func release() {
        valueSchema.compiled.encoders.give(valueEncoder)
        if let keyEncoder, case .avro(let keySchema) = keyFormat {
            keySchema.compiled.encoders.give(keyEncoder)
        }
    }

    /// Encodes one event of natural JSON (or the Avro JSON encoding) into a record for the topic.
    /// `index` and `line` place errors; `origin` is where the event starts in a larger document
    /// (line and column), so that malformed-JSON positions refer to the whole body.
    public func encode(event: UnsafeRawBufferPointer, format: AvroJSONFormat = .natural, partition: Int32? = nil,
                       index: Int, line: Int? = nil, origin: (line: Int, column: Int)? = nil) -> Result<KafkaProducerMessage, RecordRejection> {
        var value: [UInt8] = []
        value.reserveCapacity(event.count / 2 + 16)
        do {
            try valueEncoder.encodeFramed(json: event, schemaID: UInt32(valueSchema.id), format: format, appendingTo: &value)
        } catch {
            return .failure(RecordRejection(errors: Self.errors(error, index: index, line: line, origin: origin)))
        }
        return record(value: value, event: event, format: format, partition: partition, index: index, line: line)
    }

    /// Encodes every event of `body`, a JSON array in natural JSON, from one parse of the whole array, adding
    /// each record to `batch` as ``encode(event:format:partition:index:line:origin:)`` would. Returns `false`,
    /// adding nothing, when `body` is not a well-formed array of at most `maxElements` events: the caller then
    /// frames it (``JSONBatchFraming``) and encodes event by event, which places each problem in the body.
    func encodeArray(_ body: UnsafeRawBufferPointer, partition: Int32?, maxElements: Int, into batch: inout RecordBatch) -> Bool {
        valueEncoder.encodeFramedElements(ofArray: body, schemaID: UInt32(valueSchema.id), maxElements: maxElements) { index, range, frame in
            switch frame {
            case .success(let value):
                batch.add(record(value: value, event: UnsafeRawBufferPointer(rebasing: body[range]), format: .natural, partition: partition, index: index, line: nil))
            case .failure(let error):
                // A well-formed array holds no malformed JSON, the one error placed by an origin.
                batch.add(.failure(RecordRejection(errors: Self.errors(error, index: index, line: nil, origin: nil))))
            }
        }
    }

    /// The record of an encoded value, with the key `event` gives it.
    private func record(value: [UInt8], event: UnsafeRawBufferPointer, format: AvroJSONFormat, partition: Int32?,
                        index: Int, line: Int?) -> Result<KafkaProducerMessage, RecordRejection> {
        let key: [UInt8]?
        switch keyBytes(event: event, format: format) {
        case .success(let bytes): key = bytes
        case .failure(let problem): return .failure(RecordRejection(errors: [problem.recordError(index: index, line: line)]))
        }
        return .success(KafkaProducerMessage(topic: topic, partition: partition, key: key, value: value))
    }

    /// Encodes a REST Proxy record: its value and key in the Avro JSON encoding.
    public func encode(value: JSONValue, key: JSONValue?, partition: Int32?, index: Int) -> Result<KafkaProducerMessage, RecordRejection> {
        let encodedValue: [UInt8]
        do {
            encodedValue = try valueEncoder.encodeFramed(json: value.jsonText, schemaID: UInt32(valueSchema.id), format: .avroJSON)
        } catch {
            return .failure(RecordRejection(errors: Self.errors(error, index: index, line: nil, origin: nil)))
        }
        var encodedKey: [UInt8]?
        if let key {
            switch serialize(key: key, format: .avroJSON, path: "$.key") {
            case .success(let bytes): encodedKey = bytes
            case .failure(let problem): return .failure(RecordRejection(errors: [problem.recordError(index: index, line: nil)]))
            }
        }
        return .success(KafkaProducerMessage(topic: topic, partition: partition, key: encodedKey, value: encodedValue))
    }

    private func keyBytes(event: UnsafeRawBufferPointer, format: AvroJSONFormat) -> Result<[UInt8]?, RecordKeyProblem> {
        switch keySource {
        case .none:
            return .success(nil)
        case .constant(let text):
            if let constantKey { return constantKey }
            let result: Result<[UInt8]?, RecordKeyProblem>
            switch keyFormat {
            case .string:
                result = .success(Array(text.utf8))
            case .avro:
                // `?key=` is JSON when it parses as JSON (a record key), otherwise a string.
                let value = (try? JSONValue.parse(text)) ?? .string(text)
                result = serialize(key: value, format: .natural, path: "?key")
            }
            constantKey = result
            return result
        case .field(let field):
            guard let document = try? JSONValue.parse(String(decoding: event, as: UTF8.self)) else {
                return .failure(RecordKeyProblem(path: "$", expected: "a JSON object with the key field `\(field)`", got: "malformed JSON"))
            }
            guard let value = document[field] else {
                return .failure(RecordKeyProblem(path: "$.\(field)", expected: "the key field `\(field)` (--key-field \(topic)=\(field))", got: "no such field"))
            }
            return serialize(key: value, format: format, path: "$.\(field)")
        }
    }

    /// A key value as bytes: a string's UTF-8 (numbers and booleans as their JSON text) when keys
    /// are strings, the Avro encoding when the topic has a key schema; `null` is no key.
    private func serialize(key: JSONValue, format: AvroJSONFormat, path: String) -> Result<[UInt8]?, RecordKeyProblem> {
        switch keyFormat {
        case .string:
            switch key {
            case .null: return .success(nil)
            case .string(let text): return .success(Array(text.utf8))
            case .integer, .double, .bool: return .success(Array(key.jsonText.utf8))
            case .array, .object:
                return .failure(RecordKeyProblem(
                    path: path, expected: "a string key (subject \(SubjectNameStrategy.keySubject(topic: topic)) does not exist, so keys are strings)", got: key.typeName))
            }
        case .avro(let keySchema):
            guard let keyEncoder else { return .success(nil) }
            do {
                return .success(try keyEncoder.encodeFramed(json: key.jsonText, schemaID: UInt32(keySchema.id), format: format))
            } catch {
                let first = error.errors.first
                return .failure(RecordKeyProblem(
                    path: path + String((first?.path ?? "$").dropFirst()),
                    expected: "\(first?.expected ?? "a value") (key schema id \(keySchema.id))", got: first?.got ?? key.typeName))
            }
        }
    }

    /// The encoder's errors as record errors, malformed-JSON positions moved to the whole body.
    static func errors(_ errors: ValidationErrors, index: Int, line: Int?, origin: (line: Int, column: Int)?) -> [RecordError] {
        errors.errors.map { error in
            var got = error.got
            if case .malformedJSON(let errorLine, let column) = error.kind {
                var absolute = (line: line ?? errorLine, column: column)
                if let origin {
                    absolute = errorLine == 1 ? (origin.line, origin.column + column - 1) : (origin.line + errorLine - 1, column)
                }
                let reason = got.firstRange(of: ": ").map { String(got[$0.upperBound...]) } ?? got
                got = "line \(absolute.line), column \(absolute.column): \(reason)"
            }
            return RecordError(index: index, line: line, path: error.path, expected: error.expected, got: got, code: RecordError.code(of: error.kind))
        }
    }
}

/// Why a record's key could not be made.
struct RecordKeyProblem: Error {
    var path: String
    var expected: String
    var got: String

    func recordError(index: Int, line: Int?) -> RecordError {
        RecordError(index: index, line: line, path: path, expected: expected, got: got)
    }
}
