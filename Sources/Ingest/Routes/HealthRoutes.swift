import Avro
import Hummingbird
import ServerSupport
import Kafka
import Registry

/// `GET /health/live` (the process answers) and `GET /health/ready` (the broker answers a
/// metadata request and the registry answers, each within the readiness timeout). Never authenticated.
struct HealthRoutes {
    let admin: KafkaAdmin
    /// A registry client without retries and with short timeouts, for the readiness check only.
    let registry: SchemaRegistryClient
    let timeout: Duration

    func add(to router: MethodAwareRouter<IngestRequestContext>) {
        router.get("/health/live") { _, _ in
            ProduceRoutes.json(.object(JSONObject([("status", .string("live"))])))
        }
        router.get("/health/ready") { _, _ in
            await ready()
        }
    }

    private func ready() async -> Response {
        async let broker = checkBroker()
        async let registry = checkRegistry()
        let checks = await [("broker", broker), ("registry", registry)]
        let failing = checks.filter { $0.1.failure != nil }.map(\.0)
        var object = JSONObject([("status", .string(failing.isEmpty ? "ready" : "not ready"))])
        if !failing.isEmpty {
            object["message"] = .string("not ready: \(failing.joined(separator: " and ")) \(failing.count == 1 ? "is" : "are") not answering")
        }
        object["checks"] = .object(JSONObject(checks.map { ($0.0, $0.1.json) }))
        return ProduceRoutes.json(.object(object), status: failing.isEmpty ? .ok : .serviceUnavailable)
    }

    private struct Check {
        var detail: [(String, JSONValue)] = []
        var failure: String?

        var json: JSONValue {
            var object = JSONObject([("status", .string(failure == nil ? "up" : "down"))])
            for (key, value) in detail { object[key] = value }
            if let failure { object["error"] = .string(failure) }
            return .object(object)
        }
    }

    private func checkBroker() async -> Check {
        do {
            let cluster = try await admin.probe(timeout: timeout)
            return Check(detail: [("brokers", .integer(Int64(cluster.brokers.count)))])
        } catch {
            return Check(failure: error.message)
        }
    }

    private func checkRegistry() async -> Check {
        do {
            _ = try await registry.compatibilityLevel()
            return Check()
        } catch where error.kind == .registry && !error.isTransient {
            // An answer, even an error, means the registry is there.
            return Check()
        } catch {
            return Check(failure: error.description)
        }
    }
}
