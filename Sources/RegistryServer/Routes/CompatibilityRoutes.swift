import Hummingbird
import ServerSupport
import Registry

/// `/compatibility`: checks a schema against a subject without registering it.
enum CompatibilityRoutes {
    static func add(to router: MethodAwareRouter<BasicRequestContext>, service: RegistryService) {
        router.post("/compatibility/subjects/:subject/versions") { request, context in
            try await check(request, context, service: service, version: nil)
        }
        router.post("/compatibility/subjects/:subject/versions/:version") { request, context in
            try await check(request, context, service: service, version: RegistryRequest.version(context).selector)
        }
    }

    private static func check(_ request: Request, _ context: BasicRequestContext, service: RegistryService, version: VersionSelector?) async throws -> Response {
        let body = try await RegistryRequest.decode(RegisterSchemaRequest.self, from: request, context: context)
        let verbose = RegistryRequest.flag("verbose", request)
        let messages = try service.checkCompatibility(
            subject: RegistryRequest.subject(context), version: version, request: body, verbose: verbose)
        return try RegistryResponse.json(CompatibilityCheckResponse(isCompatible: messages.isEmpty, messages: verbose ? messages : nil))
    }
}
