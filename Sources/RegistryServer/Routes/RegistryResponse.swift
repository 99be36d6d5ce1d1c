import Foundation
import Hummingbird
import Registry

/// Registry answers: JSON with the registry's media type.
enum RegistryResponse {
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()

    /// `value` as JSON.
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        text(String(decoding: try encoder.encode(value), as: UTF8.self), status: status)
    }

    /// A body sent as it is (the raw schema endpoints send the schema text itself).
    static func text(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: RegistryAPI.responseContentType],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
