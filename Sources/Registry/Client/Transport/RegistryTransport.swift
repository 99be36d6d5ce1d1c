import Foundation
import Logging

/// Sends requests to the registry URLs with failover and retries, and turns answers into
/// decoded values or ``SchemaRegistryError``s.
struct RegistryTransport: Sendable {
    private let endpoints: [RegistryEndpoint]
    private let pool: CurlWorkerPool
    private let settings: CurlRequestSettings
    private let retry: SchemaRegistryClientConfiguration.RetryPolicy
    private let logger: Logger
    /// The endpoint that answered last: requests start there, so a failed URL is not retried first.
    private let preferred = LockedState(0)
    /// HTTP requests sent, retries and failovers included.
    let requestCount = LockedState(0)

    init(configuration: SchemaRegistryClientConfiguration, logger: Logger) throws(SchemaRegistryError) {
        let urls = configuration.urls.flatMap { $0.split(separator: ",").map(String.init) }.filter { !$0.isEmpty }
        guard !urls.isEmpty else {
            throw SchemaRegistryError(kind: .invalidConfiguration, message: "no registry URL given")
        }
        var endpoints: [RegistryEndpoint] = []
        for url in urls {
            endpoints.append(try RegistryEndpoint(url, authentication: configuration.authentication))
        }
        for path in [configuration.tls.caFile, configuration.tls.clientCertificateFile, configuration.tls.clientKeyFile].compactMap({ $0 })
            where !FileManager.default.isReadableFile(atPath: path) {
            throw SchemaRegistryError(kind: .invalidConfiguration, message: "cannot read TLS file \(path)")
        }
        self.endpoints = endpoints
        pool = CurlWorkerPool(maxThreads: configuration.maxConnections)
        settings = CurlRequestSettings(
            connectTimeoutMilliseconds: Self.milliseconds(configuration.connectTimeout),
            totalTimeoutMilliseconds: Self.milliseconds(configuration.requestTimeout),
            caFile: configuration.tls.caFile,
            clientCertificateFile: configuration.tls.clientCertificateFile,
            clientKeyFile: configuration.tls.clientKeyFile,
            insecure: configuration.tls.insecure
        )
        retry = configuration.retry
        self.logger = logger
    }

    /// The registry URLs, without credentials.
    var urls: [String] { endpoints.map(\.baseURL) }

    /// Sends a request and decodes a 2xx answer's JSON body.
    func send<Response: Decodable>(_ request: HTTPRequest, as type: Response.Type) async throws(SchemaRegistryError) -> Response {
        let response = try await send(request)
        return try Self.decode(type, from: response)
    }

    /// Sends a request until some URL answers with something other than a 5xx or 429, or the
    /// retries run out. Returns 2xx answers; throws the registry's error for the others.
    func send(_ request: HTTPRequest) async throws(SchemaRegistryError) -> HTTPResponse {
        var round = 0
        while true {
            let start = preferred.withLock { $0 }
            var lastFailure: Result<HTTPResponse, TransportFailure>?
            for offset in 0 ..< endpoints.count {
                let index = (start + offset) % endpoints.count
                let endpoint = endpoints[index]
                requestCount.withLock { $0 += 1 }
                let result = await pool.perform(url: endpoint.baseURL + request.target, request: request,
                                                headers: headers(for: request, endpoint: endpoint), settings: settings)
                switch result {
                case .success(let response) where response.status >= 500 || response.status == 429:
                    lastFailure = result
                case .success(let response):
                    preferred.withLock { $0 = index }
                    guard (200 ..< 300).contains(response.status) else { throw Self.registryError(response) }
                    return response
                case .failure(let failure) where failure.isRetryable:
                    lastFailure = result
                case .failure(let failure):
                    throw Self.error(failure)
                }
            }
            round += 1
            guard round <= retry.maxRetries, let lastFailure else {
                switch lastFailure {
                case .success(let response): throw Self.registryError(response)
                case .failure(let failure): throw Self.error(failure)
                case nil: throw SchemaRegistryError(kind: .transport, message: "no registry URL was tried")
                }
            }
            var delay = retry.backoff(round: round) * Double.random(in: 0.5 ... 1.0)
            if case .success(let response) = lastFailure, let seconds = response.retryAfterSeconds {
                delay = min(max(delay, .seconds(seconds)), retry.maxBackoff)
            }
            logger.debug("registry request failed, retrying", metadata: [
                "request": "\(request.method.rawValue) \(request.target)",
                "failure": "\(Self.describe(lastFailure))",
                "retry": "\(round)/\(retry.maxRetries)",
                "delay": "\(delay)",
            ])
            do {
                try await Task.sleep(for: delay)
            } catch {
                throw SchemaRegistryError(kind: .cancelled, message: "cancelled while waiting to retry")
            }
        }
    }

    private func headers(for request: HTTPRequest, endpoint: RegistryEndpoint) -> [String] {
        var headers = [
            "Accept: " + RegistryAPI.responseContentType,
            // libcurl would otherwise wait for a 100 Continue before sending larger bodies.
            "Expect:",
            "User-Agent: avrogate",
        ]
        if request.body != nil { headers.append("Content-Type: " + RegistryAPI.contentTypes[0]) }
        if let authorization = endpoint.authorization { headers.append("Authorization: " + authorization) }
        return headers
    }

    /// Decodes a registry JSON body, accepting the registry's media types and plain JSON.
    static func decode<Response: Decodable>(_ type: Response.Type, from response: HTTPResponse) throws(SchemaRegistryError) -> Response {
        if let contentType = response.contentType, !RegistryAPI.contentTypes.contains(contentType) {
            throw SchemaRegistryError(kind: .malformedResponse, httpStatus: response.status,
                                      message: "unexpected content type \(contentType): \(snippet(response.body))")
        }
        do {
            return try JSONDecoder().decode(type, from: Data(response.body))
        } catch {
            throw SchemaRegistryError(kind: .malformedResponse, httpStatus: response.status,
                                      message: "cannot decode \(Response.self) from \(snippet(response.body)): \(error)")
        }
    }

    /// The error for a non-2xx answer: the registry's `error_code` and message when the body
    /// has them; for a proxy's 502/503/504, unavailable; otherwise the status and body.
    static func registryError(_ response: HTTPResponse) -> SchemaRegistryError {
        if let body = try? JSONDecoder().decode(RegistryErrorBody.self, from: Data(response.body)) {
            return SchemaRegistryError(registry: body, httpStatus: response.status)
        }
        if [502, 503, 504].contains(response.status) {
            return SchemaRegistryError(kind: .unavailable, httpStatus: response.status,
                                       message: "HTTP \(response.status) \(snippet(response.body))")
        }
        return SchemaRegistryError(kind: .registry, errorCode: response.status, httpStatus: response.status,
                                   message: response.body.isEmpty ? "HTTP \(response.status)" : snippet(response.body))
    }

    private static func error(_ failure: TransportFailure) -> SchemaRegistryError {
        let kind: SchemaRegistryError.Kind = switch failure.kind {
        case .connection: .unavailable
        case .timeout: .timeout
        case .tls: .tls
        case .cancelled: .cancelled
        case .other: .transport
        }
        return SchemaRegistryError(kind: kind, message: failure.message, curlCode: failure.curlCode)
    }

    /// A failed attempt, for logs: the status or the transport's message, never headers.
    private static func describe(_ failure: Result<HTTPResponse, TransportFailure>) -> String {
        switch failure {
        case .success(let response): "HTTP \(response.status)"
        case .failure(let failure): failure.message
        }
    }

    private static func snippet(_ body: [UInt8]) -> String {
        let text = String(decoding: body.prefix(200), as: UTF8.self)
        return body.count > 200 ? text + "…" : text
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }
}
