import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Registry
@testable import RegistryServer
import TestSupport

/// A registry server started in process for a test, and a small HTTP client for it.
final class ServerUnderTest: Sendable {
    let server: RegistryServer
    let port: Int
    let topic: String

    private init(server: RegistryServer, port: Int, topic: String) {
        self.server = server
        self.port = port
        self.topic = topic
    }

    /// A server on 127.0.0.1, a free port, over the test broker and `topic` (a fresh one by default).
    static func start(topic: String? = nil, users: RegistryUsers? = nil, incompatibleErrorCode: Int = 409) async throws -> ServerUnderTest {
        let topic = topic ?? TestEnvironment.uniqueName("schemas")
        var configuration = RegistryServerConfiguration(brokers: try TestEnvironment.brokers(), port: 0, topic: topic)
        configuration.users = users
        configuration.incompatibleErrorCode = incompatibleErrorCode
        let server = RegistryServer(configuration: configuration)
        return ServerUnderTest(server: server, port: try await server.start(), topic: topic)
    }

    /// A server over an in-memory log instead of Kafka.
    static func start(log: InMemorySchemaLog) async throws -> ServerUnderTest {
        let server = RegistryServer(
            configuration: RegistryServerConfiguration(brokers: "unused:9092", port: 0, topic: "memory"),
            logger: .init(label: "test"), openLog: { log })
        return ServerUnderTest(server: server, port: try await server.start(), topic: "memory")
    }

    func stop() async {
        await server.stop()
    }

    private static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = 64
        configuration.timeoutIntervalForRequest = 60
        return URLSession(configuration: configuration)
    }()

    /// Sends a request; `body` is sent with `contentType` (the registry's own by default).
    func request(
        _ method: String, _ path: String, body: String? = nil,
        contentType: String? = RegistryAPI.contentTypes[0]
    ) async throws -> HTTPResult {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        if let body {
            request.httpBody = Data(body.utf8)
            if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        }
        let (data, response) = try await Self.session.data(for: request)
        let http = response as! HTTPURLResponse
        return HTTPResult(status: http.statusCode, body: data, contentType: http.value(forHTTPHeaderField: "Content-Type"),
                          allow: http.value(forHTTPHeaderField: "Allow"))
    }

    func get(_ path: String) async throws -> HTTPResult { try await request("GET", path) }
    func delete(_ path: String) async throws -> HTTPResult { try await request("DELETE", path) }
    func post(_ path: String, _ body: String) async throws -> HTTPResult { try await request("POST", path, body: body) }
    func put(_ path: String, _ body: String) async throws -> HTTPResult { try await request("PUT", path, body: body) }

    /// Registers `schema` under `subject`; the answer as it came.
    func register(_ subject: String, _ schema: String, references: [SchemaReference]? = nil, query: String = "") async throws -> HTTPResult {
        try await post("/subjects/\(Self.escape(subject))/versions\(query)", Self.body(schema, references: references))
    }

    /// Registers `schema` under `subject` and returns its id, failing on anything but 200.
    func registered(_ subject: String, _ schema: String, references: [SchemaReference]? = nil) async throws -> Int {
        let result = try await register(subject, schema, references: references)
        guard result.status == 200 else { throw UnexpectedAnswer(result: result) }
        return try result.decode(RegisterSchemaResponse.self).id
    }

    /// The JSON of a register, lookup or compatibility request.
    static func body(_ schema: String, references: [SchemaReference]? = nil, id: Int? = nil, version: Int? = nil) -> String {
        let request = RegisterSchemaRequest(schema: schema, references: references, id: id, version: version)
        return String(decoding: try! JSONEncoder().encode(request), as: UTF8.self)
    }

    /// A subject name for a URL path.
    static func escape(_ subject: String) -> String {
        subject.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? subject
    }
}

/// Runs `body` with a fresh server over the test broker, stopping it afterwards.
func withRegistryServer(
    topic: String? = nil, users: RegistryUsers? = nil, incompatibleErrorCode: Int = 409,
    _ body: (ServerUnderTest) async throws -> Void
) async throws {
    let server = try await ServerUnderTest.start(topic: topic, users: users, incompatibleErrorCode: incompatibleErrorCode)
    do {
        try await body(server)
    } catch {
        await server.stop()
        throw error
    }
    await server.stop()
}

/// An HTTP answer.
struct HTTPResult: Sendable, CustomStringConvertible {
    let status: Int
    let body: Data
    let contentType: String?
    /// The `Allow` header of a 405.
    var allow: String?

    var text: String { String(decoding: body, as: UTF8.self) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: body)
    }

    /// The `error_code` of an error body.
    var errorCode: Int? { (try? decode(RegistryErrorBody.self))?.errorCode }
    /// The `message` of an error body.
    var message: String? { (try? decode(RegistryErrorBody.self))?.message }

    var description: String { "HTTP \(status): \(text)" }
}

/// An answer a test did not expect.
struct UnexpectedAnswer: Error, CustomStringConvertible {
    let result: HTTPResult
    var description: String { "unexpected answer: \(result)" }
}

/// The text of a schema under Tests/Fixtures/registry.
func registryFixture(_ name: String) throws -> String {
    try String(contentsOf: TestEnvironment.fixture("registry/\(name).avsc"), encoding: .utf8)
}
