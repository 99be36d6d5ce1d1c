import Hummingbird
import ServerSupport
import Registry

/// `/subjects`: subjects, their versions, registration, lookup and deletion.
enum SubjectRoutes {
    static func add(to router: MethodAwareRouter<BasicRequestContext>, service: RegistryService) {
        router.get("/subjects") { request, _ in
            try RegistryResponse.json(service.subjects(
                prefix: RegistryRequest.query("subjectPrefix", request) ?? "",
                includeDeleted: RegistryRequest.flag("deleted", request),
                deletedOnly: RegistryRequest.flag("deletedOnly", request)))
        }
        router.post("/subjects/:subject") { request, context in
            let body = try await RegistryRequest.decode(RegisterSchemaRequest.self, from: request, context: context)
            return try RegistryResponse.json(service.lookup(
                subject: RegistryRequest.subject(context), request: body,
                normalize: RegistryRequest.flag("normalize", request),
                includeDeleted: RegistryRequest.flag("deleted", request)))
        }
        router.delete("/subjects/:subject") { request, context in
            try RegistryResponse.json(await service.deleteSubject(
                RegistryRequest.subject(context), permanent: RegistryRequest.flag("permanent", request)))
        }
        router.get("/subjects/:subject/versions") { request, context in
            try RegistryResponse.json(service.versions(
                subject: RegistryRequest.subject(context),
                includeDeleted: RegistryRequest.flag("deleted", request),
                deletedOnly: RegistryRequest.flag("deletedOnly", request)))
        }
        router.post("/subjects/:subject/versions") { request, context in
            let body = try await RegistryRequest.decode(RegisterSchemaRequest.self, from: request, context: context)
            let id = try await service.register(
                subject: RegistryRequest.subject(context), request: body, normalize: RegistryRequest.flag("normalize", request))
            return try RegistryResponse.json(RegisterSchemaResponse(id: id))
        }
        router.get("/subjects/:subject/versions/:version") { request, context in
            try RegistryResponse.json(service.version(
                subject: RegistryRequest.subject(context), version: RegistryRequest.version(context).selector,
                includeDeleted: RegistryRequest.flag("deleted", request)))
        }
        router.get("/subjects/:subject/versions/:version/schema") { request, context in
            RegistryResponse.text(try service.version(
                subject: RegistryRequest.subject(context), version: RegistryRequest.version(context).selector,
                includeDeleted: RegistryRequest.flag("deleted", request)).schema)
        }
        router.get("/subjects/:subject/versions/:version/referencedby") { _, context in
            try RegistryResponse.json(service.referencedBy(
                subject: RegistryRequest.subject(context), version: RegistryRequest.version(context).selector))
        }
        router.delete("/subjects/:subject/versions/:version") { request, context in
            let version = try RegistryRequest.version(context)
            return try RegistryResponse.json(await service.deleteVersion(
                subject: RegistryRequest.subject(context), version: version.selector, text: version.text,
                permanent: RegistryRequest.flag("permanent", request)))
        }
    }
}
