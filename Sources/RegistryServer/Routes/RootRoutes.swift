import Hummingbird
import ServerSupport
import Registry

/// `GET /`, `GET /schemas/types`, `GET /contexts`.
enum RootRoutes {
    static func add(to router: MethodAwareRouter<BasicRequestContext>) {
        router.get("/") { _, _ in RegistryResponse.text("{}") }
        router.get("/schemas/types") { _, _ in try RegistryResponse.json([RegistryAPI.avroSchemaType]) }
        // This registry has only the default context, which Confluent names ".".
        router.get("/contexts") { _, _ in try RegistryResponse.json(["."]) }
    }
}
