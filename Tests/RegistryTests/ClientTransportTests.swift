import Foundation
import Registry
import Testing

/// The client's HTTP behaviour against a registry stand-in with scripted faults.
@Suite struct ClientTransportTests {
    static let paymentSchema = #"{"type":"record","name":"Payment","namespace":"shop","fields":[{"name":"id","type":"string"}]}"#
    static let byID = ScriptedRegistry.json(["schema": paymentSchema])
    static let version1 = ScriptedRegistry.json(["subject": "payments-value", "id": 1, "version": 1, "schema": paymentSchema])

    @Test func retriesAfterServiceUnavailableAndThenSucceeds() async throws {
        let registry = try await ScriptedRegistry(["GET /schemas/ids/1": [.error(503, 50001, "store down"), .ok(Self.byID)]])
        let client = try SchemaRegistryClient(configuration: .testing([registry.url]))
        let schema = try await client.schema(id: 1)
        #expect(schema.id == 1)
        #expect(try await registry.count("GET", "/schemas/ids/1") == 2)
    }

    @Test func retriesTooManyRequests() async throws {
        let registry = try await ScriptedRegistry([
            "GET /schemas/ids/1": [.error(429, 429, "slow down", headers: ["Retry-After": "0"]), .ok(Self.byID)],
        ])
        let client = try SchemaRegistryClient(configuration: .testing([registry.url]))
        _ = try await client.schema(id: 1)
        #expect(try await registry.count("GET", "/schemas/ids/1") == 2)
    }

    @Test func clientErrorsAreNotRetried() async throws {
        let registry = try await ScriptedRegistry([
            "GET /schemas/ids/7": [.error(404, 40403, "Schema 7 not found")],
            "POST /subjects/payments-value/versions": [.error(422, 42201, "Invalid schema")],
        ])
        let client = try SchemaRegistryClient(configuration: .testing([registry.url]))
        let notFound = await #expect(throws: SchemaRegistryError.self) { try await client.schema(id: 7) }
        #expect(notFound?.code == .schemaNotFound)
        #expect(notFound?.isNotFound == true)
        let invalid = await #expect(throws: SchemaRegistryError.self) { try await client.register(subject: "payments-value", schema: Self.paymentSchema) }
        #expect(invalid?.code == .invalidSchema)
        #expect(try await registry.count("GET", "/schemas/ids/7") == 1)
        #expect(try await registry.count("POST", "/subjects/payments-value/versions") == 1)
    }

    @Test func serverErrorsAreRetriedUntilTheRetriesRunOutThenReported() async throws {
        let registry = try await ScriptedRegistry(["GET /schemas/ids/1": [.error(500, 50001, "Error while storing")]])
        let client = try SchemaRegistryClient(configuration: .testing([registry.url], maxRetries: 2))
        let error = await #expect(throws: SchemaRegistryError.self) { try await client.schema(id: 1) }
        #expect(error?.code == .storeError)
        #expect(error?.message == "Error while storing")
        #expect(error?.isTransient == true)
        #expect(try await registry.count("GET", "/schemas/ids/1") == 3)
    }

    @Test func refusedConnectionsAreRetriedThenReportedUnavailable() async throws {
        let client = try SchemaRegistryClient(configuration: .testing([try ScriptedRegistry.refusingURL()], maxRetries: 2))
        let error = await #expect(throws: SchemaRegistryError.self) { try await client.schema(id: 1) }
        #expect(error?.kind == .unavailable)
        #expect(client.cacheStatistics.requests == 3)
    }

    @Test func failsOverToTheNextURLWhenOneRefusesConnections() async throws {
        let registry = try await ScriptedRegistry(["GET /schemas/ids/1": [.ok(Self.byID)], "GET /schemas/ids/2": [.ok(Self.byID)]])
        let client = try SchemaRegistryClient(configuration: .testing([try ScriptedRegistry.refusingURL(), registry.url], maxRetries: 0))
        _ = try await client.schema(id: 1)
        // The URL that answered is tried first from then on.
        _ = try await client.schema(id: 2)
        #expect(client.cacheStatistics.requests == 3)
    }

    @Test func failsOverToTheNextURLOnServerErrors() async throws {
        let failing = try await ScriptedRegistry(["GET /schemas/ids/1": [.error(503, 503, "unavailable")]])
        let healthy = try await ScriptedRegistry(["GET /schemas/ids/1": [.ok(Self.byID)]])
        let client = try SchemaRegistryClient(configuration: .testing(["\(failing.url),\(healthy.url)"], maxRetries: 0))
        _ = try await client.schema(id: 1)
        #expect(try await failing.count("GET", "/schemas/ids/1") == 1)
        #expect(try await healthy.count("GET", "/schemas/ids/1") == 1)
    }

    @Test func slowAnswersTimeOut() async throws {
        // The answer would come after 30 s: a timeout error before then shows the client gave up at its own
        // limit (300 ms), however long a loaded machine takes to get there.
        let answerDelay = 30.0
        let registry = try await ScriptedRegistry(["GET /schemas/ids/1": [.ok(Self.byID, delay: answerDelay)]])
        let client = try SchemaRegistryClient(configuration: .testing([registry.url], maxRetries: 0, requestTimeout: .milliseconds(300)))
        let start = ContinuousClock.now
        let error = await #expect(throws: SchemaRegistryError.self) { try await client.schema(id: 1) }
        #expect(error?.kind == .timeout)
        #expect(ContinuousClock.now - start < .seconds(answerDelay))
    }

    @Test(arguments: ["", "/", "//"])
    func baseURLsWorkWithOrWithoutTrailingSlash(suffix: String) async throws {
        let registry = try await ScriptedRegistry(["GET /schemas/ids/1": [.ok(Self.byID)], "GET /prefix/schemas/ids/1": [.ok(Self.byID)]])
        _ = try await SchemaRegistryClient(configuration: .testing([registry.url + suffix])).schema(id: 1)
        _ = try await SchemaRegistryClient(configuration: .testing([registry.url + "/prefix" + suffix])).schema(id: 1)
        #expect(try await registry.count("GET", "/schemas/ids/1") == 1)
        #expect(try await registry.count("GET", "/prefix/schemas/ids/1") == 1)
    }

    @Test func subjectNamesArePercentEncodedInPaths() async throws {
        let registry = try await ScriptedRegistry(["GET /subjects/orders%2Fv1%20value%3F/versions/latest": [.ok(Self.version1)]])
        let client = try SchemaRegistryClient(configuration: .testing([registry.url]))
        let latest = try await client.latest(subject: "orders/v1 value?")
        #expect(latest.version == 1)
    }

    @Test func requestsCarryTheRegistryMediaTypes() async throws {
        let registry = try await ScriptedRegistry(["POST /subjects/payments-value/versions": [.ok(#"{"id":1}"#)]])
        let client = try SchemaRegistryClient(configuration: .testing([registry.url]))
        _ = try await client.register(subject: "payments-value", schema: Self.paymentSchema)
        let request = try #require(try await registry.requests().first)
        #expect(request.header("Accept") == "application/vnd.schemaregistry.v1+json")
        #expect(request.header("Content-Type") == "application/vnd.schemaregistry.v1+json")
        let body = try JSONDecoder().decode(RegisterSchemaRequest.self, from: Data((request.body ?? "").utf8))
        #expect(body.schema == Self.paymentSchema)
        #expect(body.schemaType == nil)
    }

    @Test(arguments: ["application/json", "application/vnd.schemaregistry+json", "application/vnd.schemaregistry.v1+json; charset=utf-8"])
    func answersInEveryRegistryMediaTypeAreAccepted(contentType: String) async throws {
        let registry = try await ScriptedRegistry(["GET /subjects": [.ok(#"["a","b"]"#, contentType: contentType)]])
        let client = try SchemaRegistryClient(configuration: .testing([registry.url]))
        #expect(try await client.subjects() == ["a", "b"])
    }

    @Test func answersThatAreNotJSONAreMalformed() async throws {
        let registry = try await ScriptedRegistry(["GET /subjects": [ScriptedRegistry.Answer(text: "<html>login</html>", contentType: "text/html")]])
        let client = try SchemaRegistryClient(configuration: .testing([registry.url]))
        let error = await #expect(throws: SchemaRegistryError.self) { try await client.subjects() }
        #expect(error?.kind == .malformedResponse)
    }

    @Test func aSchemaWithoutSchemaTypeIsAvroAndComesParsed() async throws {
        let registry = try await ScriptedRegistry(["GET /schemas/ids/1": [.ok(Self.byID)]])
        let client = try SchemaRegistryClient(configuration: .testing([registry.url]))
        let schema = try await client.schema(id: 1)
        #expect(schema.schemaType == "AVRO")
        #expect(try schema.avroSchema.root.fullName == "shop.Payment")
    }

    @Test func basicAuthComesFromTheURLUserinfoAndIsNeverShown() async throws {
        let expected = "Basic " + Data("alice:s@cret".utf8).base64EncodedString()
        let registry = try await ScriptedRegistry(["GET /subjects": [ScriptedRegistry.Answer(json: #"["a"]"#, requireAuthorization: expected)]])
        let url = "http://alice:s%40cret@127.0.0.1:\(registry.port)"
        let client = try SchemaRegistryClient(configuration: .testing([url]))
        #expect(try await client.subjects() == ["a"])
        #expect(client.urls == [registry.url])
    }

    @Test func bearerTokensAreSentAndUnauthorizedAnswersAreReported() async throws {
        let registry = try await ScriptedRegistry(["GET /subjects": [ScriptedRegistry.Answer(json: #"["a"]"#, requireAuthorization: "Bearer t0ken")]])
        let authorized = try SchemaRegistryClient(configuration: .testing([registry.url], authentication: .bearer(token: "t0ken")))
        #expect(try await authorized.subjects() == ["a"])
        let wrong = try SchemaRegistryClient(configuration: .testing([registry.url], authentication: .basic(user: "bob", password: "nope")))
        let error = await #expect(throws: SchemaRegistryError.self) { try await wrong.subjects() }
        #expect(error?.code == .unauthorized)
        #expect(error?.description.contains("nope") == false)
    }

    @Test func requestsReuseOneKeptAliveConnection() async throws {
        let registry = try await ScriptedRegistry(["GET /subjects": [.ok(#"["a"]"#)]])
        let client = try SchemaRegistryClient(configuration: .testing([registry.url]))
        for _ in 0 ..< 5 { _ = try await client.subjects() }
        let ports = Set(try await registry.requests().map(\.clientPort))
        #expect(ports.count == 1)
    }

    @Test(arguments: [
        (404, 40401, RegistryErrorCode.subjectNotFound),
        (404, 40402, .versionNotFound),
        (409, 409, .incompatibleSchemaLegacy),
        (409, 40901, .incompatibleSchema),
        (422, 42201, .invalidSchema),
        (422, 42202, .invalidVersion),
        (422, 42203, .invalidCompatibilityLevel),
        (422, 42205, .operationNotPermitted),
    ])
    func registryErrorCodesAreMapped(status: Int, code: Int, expected: RegistryErrorCode) async throws {
        let registry = try await ScriptedRegistry(["POST /subjects/s/versions": [.error(status, code, "the registry's words")]])
        let client = try SchemaRegistryClient(configuration: .testing([registry.url]))
        let error = await #expect(throws: SchemaRegistryError.self) { try await client.register(subject: "s", schema: Self.paymentSchema) }
        #expect(error?.kind == .registry)
        #expect(error?.code == expected)
        #expect(error?.httpStatus == status)
        #expect(error?.message == "the registry's words")
        #expect(error?.isIncompatible == (status == 409))
    }

    @Test func invalidURLsAreRejectedWhenTheClientIsMade() {
        #expect(throws: SchemaRegistryError.self) { try SchemaRegistryClient(url: "ftp://registry") }
        #expect(throws: SchemaRegistryError.self) { try SchemaRegistryClient(url: "") }
    }
}
