import Foundation
import Hummingbird
import Registry

/// Reading the parts of a registry request: path parameters, query flags and JSON bodies.
enum RegistryRequest {
    /// Largest request body accepted (schemas are rarely above a few hundred KiB).
    static let maxBodySize = 16 * 1024 * 1024

    /// Request media types accepted, beyond the registry's own (`application/octet-stream` is Jersey's generic request type).
    private static let acceptedContentTypes = Set(RegistryAPI.contentTypes + ["application/octet-stream"])

    /// The `{subject}` path parameter, URL-decoded (`%2F` in a subject name is a `/`).
    static func subject(_ context: some RequestContext) throws -> String {
        let raw = try context.parameters.require("subject")
        return raw.removingPercentEncoding ?? raw
    }

    /// The `{version}` path parameter, parsed, and as given (for messages).
    static func version(_ context: some RequestContext) throws -> (selector: VersionSelector, text: String) {
        let raw = try context.parameters.require("version")
        let text = raw.removingPercentEncoding ?? raw
        return (try VersionSelector(parsing: text), text)
    }

    /// The `{id}` path parameter; a non-number is 404, as Jersey answers an unconvertible path parameter.
    static func id(_ context: some RequestContext) throws -> Int {
        guard let id = context.parameters.get("id", as: Int32.self) else { throw RegistryHTTPError.notFound }
        return Int(id)
    }

    /// A boolean query flag: `true` (any case) is true, anything else or absence false.
    static func flag(_ name: String, _ request: Request) -> Bool {
        request.uri.queryParameters.get(name)?.lowercased() == "true"
    }

    /// A query parameter, URL-decoded.
    static func query(_ name: String, _ request: Request) -> String? {
        request.uri.queryParameters.get(name)
    }

    /// Decodes a JSON body after checking its media type. Unknown properties are ignored.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        if let contentType = request.headers[.contentType] {
            let mediaType = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            guard acceptedContentTypes.contains(mediaType) else { throw RegistryHTTPError.unsupportedMediaType }
        }
        let buffer = try await request.body.collect(upTo: maxBodySize)
        guard buffer.readableBytes > 0 else {
            throw RegistryHTTPError(status: .unprocessableContent, errorCode: 422, message: "Request body is missing")
        }
        let data = Data(buffer.readableBytesView)
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
            throw RegistryHTTPError.badRequest("Unexpected JSON in the request body: \(context.debugDescription)")
        } catch DecodingError.keyNotFound(let key, _) where key.stringValue == "schema" {
            throw RegistryHTTPError.invalidSchema("Empty schema")
        } catch {
            throw RegistryHTTPError(status: .unprocessableContent, errorCode: 422, message: "Unrecognized request body: \(error)")
        }
    }
}
