import Foundation
import Hummingbird

/// The bodies `POST /topics/{topic}` reads, by `Content-Type`.
enum ProduceContentType {
    /// `application/json`: one event (an object) or a batch (an array of objects), natural JSON.
    case json
    /// `application/x-ndjson` (or `application/ndjson`, `application/jsonl`): one event per line, streamed.
    case ndjson
    /// `application/vnd.kafka.avro.v2+json`: a Confluent REST Proxy v2 produce body.
    case restProxyAvro

    static let restProxyResponseType = "application/vnd.kafka.v2+json"

    /// The kind of `request`'s body; 415 naming the supported types otherwise.
    init(_ request: Request) throws(IngestError) {
        let header = request.headers[.contentType] ?? ""
        let mediaType = header.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        switch mediaType {
        case "application/json": self = .json
        case "application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines": self = .ndjson
        case "application/vnd.kafka.avro.v2+json": self = .restProxyAvro
        default:
            let got = header.isEmpty ? "no Content-Type" : "Content-Type \(header)"
            throw IngestError(.unsupportedContentType, "\(got) is not supported: send application/json (an event or an array of events), application/x-ndjson (one event per line) or application/vnd.kafka.avro.v2+json (a REST Proxy v2 body)")
        }
    }
}
