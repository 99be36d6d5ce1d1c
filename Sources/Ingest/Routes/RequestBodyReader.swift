import Hummingbird

/// Reads request bodies within the configured size limit.
enum RequestBodyReader {
    /// The whole body; 413 as soon as it passes `limit` bytes (or its `Content-Length` says it will).
    static func collect(_ request: Request, limit: Int) async throws -> ByteBuffer {
        try checkDeclaredLength(request, limit: limit)
        var collected = ByteBuffer()
        for try await var chunk in request.body {
            guard collected.readableBytes + chunk.readableBytes <= limit else {
                throw tooLarge(limit)
            }
            collected.writeBuffer(&chunk)
        }
        return collected
    }

    /// 413 at once when `Content-Length` is over `limit`.
    static func checkDeclaredLength(_ request: Request, limit: Int) throws(IngestError) {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            throw tooLarge(limit)
        }
    }

    static func tooLarge(_ limit: Int) -> IngestError {
        IngestError(.bodyTooLarge, "the body is larger than \(limit) bytes (--max-body-bytes); split it into several requests")
    }
}
