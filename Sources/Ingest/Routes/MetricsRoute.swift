import Hummingbird
import ServerSupport
import Kafka

/// `GET /metrics`: the Prometheus text exposition. Never authenticated.
struct MetricsRoute {
    let metrics: IngestMetrics
    let pipeline: IngestPipeline

    func add(to router: MethodAwareRouter<IngestRequestContext>) {
        router.get("/metrics") { _, _ in
            metrics.sample(queueDepth: pipeline.producer.outstandingMessages, admitted: pipeline.admittedRecords, cache: pipeline.registry.cacheStatistics)
            metrics.sample(statistics: pipeline.producer.statistics)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
        }
    }
}
