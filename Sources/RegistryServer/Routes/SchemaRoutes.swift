import Hummingbird
import ServerSupport

/// `/schemas`: schemas by global id.
enum SchemaRoutes {
    static func add(to router: MethodAwareRouter<BasicRequestContext>, service: RegistryService) {
        router.get("/schemas") { request, _ in
            try RegistryResponse.json(service.schemas(
                subjectPrefix: RegistryRequest.query("subjectPrefix", request) ?? "",
                includeDeleted: RegistryRequest.flag("deleted", request),
                latestOnly: RegistryRequest.flag("latestOnly", request)))
        }
        router.get("/schemas/ids/:id") { _, context in
            try RegistryResponse.json(service.schema(id: RegistryRequest.id(context)))
        }
        router.get("/schemas/ids/:id/schema") { _, context in
            RegistryResponse.text(try service.schema(id: RegistryRequest.id(context)).schema)
        }
        router.get("/schemas/ids/:id/subjects") { request, context in
            try RegistryResponse.json(service.subjects(
                id: RegistryRequest.id(context), subject: RegistryRequest.query("subject", request),
                includeDeleted: RegistryRequest.flag("deleted", request)))
        }
        router.get("/schemas/ids/:id/versions") { request, context in
            try RegistryResponse.json(service.subjectVersions(
                id: RegistryRequest.id(context), subject: RegistryRequest.query("subject", request),
                includeDeleted: RegistryRequest.flag("deleted", request)))
        }
    }
}
