import Hummingbird
import ServerSupport
import Registry

/// `/mode`: read-write, read-only and import modes, global and per subject.
enum ModeRoutes {
    static func add(to router: MethodAwareRouter<BasicRequestContext>, service: RegistryService) {
        router.get("/mode") { _, _ in
            try RegistryResponse.json(ModeResponse(rawMode: service.mode(subject: nil, defaultToGlobal: true)))
        }
        router.put("/mode") { request, context in
            let body = try await RegistryRequest.decode(ModeRequest.self, from: request, context: context)
            let mode = try await service.setMode(body.mode, subject: nil, force: RegistryRequest.flag("force", request))
            return try RegistryResponse.json(ModeRequest(rawMode: mode))
        }
        router.delete("/mode") { _, _ in
            try RegistryResponse.json(ModeResponse(rawMode: await service.deleteMode(subject: nil)))
        }
        router.get("/mode/:subject") { request, context in
            try RegistryResponse.json(ModeResponse(rawMode: service.mode(
                subject: RegistryRequest.subject(context), defaultToGlobal: RegistryRequest.flag("defaultToGlobal", request))))
        }
        router.put("/mode/:subject") { request, context in
            let body = try await RegistryRequest.decode(ModeRequest.self, from: request, context: context)
            let mode = try await service.setMode(body.mode, subject: RegistryRequest.subject(context), force: RegistryRequest.flag("force", request))
            return try RegistryResponse.json(ModeRequest(rawMode: mode))
        }
        router.delete("/mode/:subject") { _, context in
            try RegistryResponse.json(ModeResponse(rawMode: await service.deleteMode(subject: RegistryRequest.subject(context))))
        }
    }
}
