import Metrics
import Prometheus

extension IngestMetrics {
    /// Makes this registry the process's swift-metrics backend, so that libraries' own metrics are
    /// exposed with the gateway's. Once per process (`avrogate serve`); servers made in tests skip it.
    public func bootstrapMetricsSystem() {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    }
}
