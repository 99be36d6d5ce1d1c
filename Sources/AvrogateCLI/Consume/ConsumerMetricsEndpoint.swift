import Consumer
import Hummingbird
import Logging

/// `avrogate consume --metrics-listen HOST:PORT`: a small HTTP server beside the consumer.
/// `GET /metrics` is the Prometheus text exposition (records written, dead-lettered and skipped by reason,
/// decode latency histogram, lag per partition); `GET /health` answers 200 while the consumer runs.
enum ConsumerMetricsEndpoint {
    /// The server as a `Service` for the command's service group; it stops when the group shuts down.
    static func application(consumer: DecodingConsumer, address: ListenAddress, logger: Logger) -> some ApplicationProtocol {
        let router = Router(context: BasicRequestContext.self)
        router.get("/metrics") { _, _ in
            let text = await consumer.prometheusText()
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
        router.get("/health") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"status":"UP"}"#)))
        }
        return Application(
            router: router,
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: "avrogate-consume"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? address.port
                logger.notice("Metrics on http://\(address.host):\(port)/metrics")
            },
            logger: logger)
    }
}
