import CCurl
import Foundation

/// What every request on a connection carries: timeouts, TLS files and the peer's credentials.
struct CurlRequestSettings: Sendable {
    var connectTimeoutMilliseconds: Int
    var totalTimeoutMilliseconds: Int
    var caFile: String?
    var clientCertificateFile: String?
    var clientKeyFile: String?
    var insecure: Bool
}

/// Cancels a request in flight: libcurl's progress callback reads the flag and aborts the transfer.
final class CurlCancellation: Sendable {
    private let state = LockedState(false)

    var isCancelled: Bool { state.withLock { $0 } }
    func cancel() { state.withLock { $0 = true } }
}

/// One libcurl easy handle: the only type that calls `curl_*`. Used by one worker thread at a
/// time; keeping it across requests keeps its connections alive and its DNS answers cached.
final class CurlEasyHandle {
    private let handle: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>

    /// libcurl's global state is set up once per process, before the first handle.
    private static let globalInit: CURLcode = avrogate_curl_global_init()

    init() {
        precondition(Self.globalInit == CURLE_OK, "curl_global_init failed")
        guard let handle = curl_easy_init() else { fatalError("curl_easy_init failed: out of memory") }
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// Sends one request and waits for the whole answer, on the calling thread.
    func perform(url: String, request: HTTPRequest, headers: [String], settings: CurlRequestSettings,
                 cancellation: CurlCancellation) -> Result<HTTPResponse, TransportFailure> {
        // reset keeps the live connections and the DNS cache; it clears every option.
        curl_easy_reset(handle)
        errorBuffer[0] = 0
        let sink = ResponseSink(cancellation: cancellation)
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }
        for header in headers {
            headerList = curl_slist_append(headerList, header)
        }

        var code = withExtendedLifetime(sink) { () -> CURLcode in
            let sinkPointer = Unmanaged.passUnretained(sink).toOpaque()
            var setup = CURLE_OK
            func set(_ result: CURLcode) { if setup == CURLE_OK { setup = result } }
            set(avrogate_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer))
            set(avrogate_curl_setopt_string(handle, CURLOPT_URL, url))
            set(avrogate_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1))
            set(avrogate_curl_setopt_long(handle, CURLOPT_TCP_KEEPALIVE, 1))
            set(avrogate_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, settings.connectTimeoutMilliseconds))
            set(avrogate_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, settings.totalTimeoutMilliseconds))
            set(avrogate_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https"))
            set(avrogate_curl_setopt_long(handle, CURLOPT_NOPROGRESS, 0))
            set(avrogate_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList))
            set(avrogate_curl_setopt_write_function(handle, ResponseSink.write))
            set(avrogate_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, sinkPointer))
            set(avrogate_curl_setopt_xferinfo_function(handle, ResponseSink.progress))
            set(avrogate_curl_setopt_pointer(handle, CURLOPT_XFERINFODATA, sinkPointer))
            if let caFile = settings.caFile { set(avrogate_curl_setopt_string(handle, CURLOPT_CAINFO, caFile)) }
            if let certificate = settings.clientCertificateFile { set(avrogate_curl_setopt_string(handle, CURLOPT_SSLCERT, certificate)) }
            if let key = settings.clientKeyFile { set(avrogate_curl_setopt_string(handle, CURLOPT_SSLKEY, key)) }
            if settings.insecure {
                set(avrogate_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 0))
                set(avrogate_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 0))
            }
            switch request.method {
            case .get: break
            case .post, .put, .delete:
                if request.method != .post {
                    set(avrogate_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method.rawValue))
                }
                if let body = request.body {
                    set(avrogate_curl_setopt_long(handle, CURLOPT_POSTFIELDSIZE, body.count))
                    // COPYPOSTFIELDS copies the bytes, so the array need not outlive this call.
                    set(body.withUnsafeBytes { avrogate_curl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: $0.baseAddress)) })
                } else if request.method == .post {
                    set(avrogate_curl_setopt_long(handle, CURLOPT_POSTFIELDSIZE, 0))
                    set(avrogate_curl_setopt_string(handle, CURLOPT_COPYPOSTFIELDS, ""))
                }
            }
            guard setup == CURLE_OK else { return setup }
            return curl_easy_perform(handle)
        }
        if code == CURLE_ABORTED_BY_CALLBACK, !cancellation.isCancelled { code = CURLE_WRITE_ERROR }
        guard code == CURLE_OK else { return .failure(failure(code, cancelled: cancellation.isCancelled)) }

        var status = 0
        _ = avrogate_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var contentType: UnsafePointer<CChar>?
        _ = avrogate_curl_getinfo_string(handle, CURLINFO_CONTENT_TYPE, &contentType)
        var retryAfter: curl_off_t = 0
        _ = avrogate_curl_getinfo_off_t(handle, CURLINFO_RETRY_AFTER, &retryAfter)
        return .success(HTTPResponse(
            status: status,
            contentType: contentType.map { Self.mediaType(String(cString: $0)) },
            body: sink.body,
            retryAfterSeconds: retryAfter > 0 ? Int(retryAfter) : nil
        ))
    }

    private func failure(_ code: CURLcode, cancelled: Bool) -> TransportFailure {
        let detail = errorBuffer[0] != 0 ? String(cString: errorBuffer) : String(cString: curl_easy_strerror(code))
        let kind: TransportFailure.Kind
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT, CURLE_GOT_NOTHING,
             CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_PARTIAL_FILE, CURLE_HTTP2, CURLE_HTTP2_STREAM:
            kind = .connection
        case CURLE_OPERATION_TIMEDOUT:
            kind = .timeout
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_CRL_BADFILE, CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            kind = .tls
        case CURLE_ABORTED_BY_CALLBACK where cancelled:
            kind = .cancelled
        default:
            kind = .other
        }
        return TransportFailure(kind: kind, curlCode: Int(code.rawValue), message: detail)
    }

    /// `application/JSON; charset=utf-8` → `application/json`.
    private static func mediaType(_ header: String) -> String {
        let type = header.split(separator: ";", maxSplits: 1).first.map(String.init) ?? header
        return type.trimmingCharacters(in: .whitespaces).lowercased()
    }
}

/// Collects a response body; libcurl calls its C callbacks with a pointer to it.
private final class ResponseSink {
    var body: [UInt8] = []
    let cancellation: CurlCancellation

    init(cancellation: CurlCancellation) {
        self.cancellation = cancellation
    }

    static let write: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = { data, size, count, context in
        guard let context else { return 0 }
        let sink = Unmanaged<ResponseSink>.fromOpaque(context).takeUnretainedValue()
        let length = size * count
        if let data, length > 0 {
            data.withMemoryRebound(to: UInt8.self, capacity: length) { sink.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: length)) }
        }
        return length
    }

    /// Returning non-zero aborts the transfer, which is how a cancelled task stops waiting.
    static let progress: @convention(c) (UnsafeMutableRawPointer?, curl_off_t, curl_off_t, curl_off_t, curl_off_t) -> Int32 = { context, _, _, _, _ in
        guard let context else { return 0 }
        return Unmanaged<ResponseSink>.fromOpaque(context).takeUnretainedValue().cancellation.isCancelled ? 1 : 0
    }
}
