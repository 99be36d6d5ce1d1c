import Hummingbird
import ServerSupport
import Registry

/// `/config`: compatibility levels, global and per subject.
enum ConfigRoutes {
    static func add(to router: MethodAwareRouter<BasicRequestContext>, service: RegistryService) {
        router.get("/config") { _, _ in
            try RegistryResponse.json(ConfigResponse(compatibilityLevel: service.compatibility(subject: nil, defaultToGlobal: true)))
        }
        router.put("/config") { request, context in
            let body = try await RegistryRequest.decode(ConfigRequest.self, from: request, context: context)
            return try RegistryResponse.json(ConfigRequest(compatibility: await service.setCompatibility(body.compatibility, subject: nil)))
        }
        router.delete("/config") { _, _ in
            try RegistryResponse.json(ConfigResponse(compatibilityLevel: await service.deleteCompatibility(subject: nil)))
        }
        router.get("/config/:subject") { request, context in
            try RegistryResponse.json(ConfigResponse(compatibilityLevel: service.compatibility(
                subject: RegistryRequest.subject(context), defaultToGlobal: RegistryRequest.flag("defaultToGlobal", request))))
        }
        router.put("/config/:subject") { request, context in
            let body = try await RegistryRequest.decode(ConfigRequest.self, from: request, context: context)
            let level = try await service.setCompatibility(body.compatibility, subject: RegistryRequest.subject(context))
            return try RegistryResponse.json(ConfigRequest(compatibility: level))
        }
        router.delete("/config/:subject") { _, context in
            try RegistryResponse.json(ConfigResponse(compatibilityLevel: await service.deleteCompatibility(subject: RegistryRequest.subject(context))))
        }
    }
}
