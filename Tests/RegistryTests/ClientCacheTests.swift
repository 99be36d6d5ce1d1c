import Foundation
import Registry
import Testing

/// The client's caches and request sharing, counted on a registry stand-in.
@Suite struct ClientCacheTests {
    static let paymentSchema = ClientTransportTests.paymentSchema
    static let byID = ClientTransportTests.byID
    static let version1 = ClientTransportTests.version1

    @Test func aSchemaByIDIsFetchedOnceAndThenServedFromTheCache() async throws {
        let registry = try await ScriptedRegistry(["GET /schemas/ids/1": [.ok(Self.byID)]])
        let client = try SchemaRegistryClient(configuration: .testing([registry.url]))
        let first = try await client.schema(id: 1)
        let second = try await client.schema(id: 1)
        #expect(first == second)
        #expect(try await registry.count("GET", "/schemas/ids/1") == 1)
        #expect(client.cacheStatistics.schemasByID.hits == 1)
        #expect(client.cacheStatistics.schemasByID.misses == 1)
    }

    @Test func concurrentLookupsOfOneIDShareOneRequest() async throws {
        let registry = try await ScriptedRegistry(["GET /schemas/ids/1": [.ok(Self.byID, delay: 0.3)]])
        let client = try SchemaRegistryClient(configuration: .testing([registry.url]))
        let ids = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0 ..< 20 { group.addTask { try await client.schema(id: 1).id } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(ids == Array(repeating: 1, count: 20))
        #expect(try await registry.count("GET", "/schemas/ids/1") == 1)
        #expect(client.cacheStatistics.schemasByID.misses == 1)
        #expect(client.cacheStatistics.schemasByID.coalesced == 19)
    }

    @Test func notFoundIsRememberedBrieflyThenAskedAgain() async throws {
        let registry = try await ScriptedRegistry(["GET /schemas/ids/5": [.error(404, 40403, "Schema 5 not found"), .ok(Self.byID)]])
        let client = try SchemaRegistryClient(configuration: .testing([registry.url], cache: .init(notFoundTTL: .seconds(6))))
        for _ in 0 ..< 2 {
            let error = await #expect(throws: SchemaRegistryError.self) { try await client.schema(id: 5) }
            #expect(error?.code == .schemaNotFound)
        }
        #expect(try await registry.count("GET", "/schemas/ids/5") == 1)
        #expect(client.cacheStatistics.schemasByID.notFoundHits == 1)
        try await Task.sleep(for: .milliseconds(6300))
        #expect(try await client.schema(id: 5).id == 5)
        #expect(try await registry.count("GET", "/schemas/ids/5") == 2)
    }

    @Test func aSubjectsLatestVersionIsReusedForItsTTL() async throws {
        let registry = try await ScriptedRegistry(["GET /subjects/payments-value/versions/latest": [.ok(Self.version1)]])
        let client = try SchemaRegistryClient(configuration: .testing([registry.url], cache: .init(subjectTTL: .seconds(6))))
        _ = try await client.latest(subject: "payments-value")
        _ = try await client.latest(subject: "payments-value")
        #expect(try await registry.count("GET", "/subjects/payments-value/versions/latest") == 1)
        try await Task.sleep(for: .milliseconds(6300))
        _ = try await client.latest(subject: "payments-value")
        #expect(try await registry.count("GET", "/subjects/payments-value/versions/latest") == 2)
    }

    @Test func aSubjectVersionFillsTheIDCache() async throws {
        let registry = try await ScriptedRegistry(["GET /subjects/payments-value/versions/1": [.ok(Self.version1)]])
        let client = try SchemaRegistryClient(configuration: .testing([registry.url]))
        let version = try await client.version(subject: "payments-value", version: 1)
        let byID = try await client.schema(id: 1)
        #expect(byID.text == version.text)
        #expect(byID.subject == nil)
        #expect(try await registry.count("GET", "/schemas/ids/1") == 0)
    }

    @Test func aLookedUpSchemaIsNotRegisteredAgainEvenWrittenDifferently() async throws {
        let registry = try await ScriptedRegistry(["POST /subjects/payments-value": [.ok(Self.version1)]])
        let client = try SchemaRegistryClient(configuration: .testing([registry.url]))
        let found = try await client.lookup(subject: "payments-value", schema: Self.paymentSchema)
        #expect(found.version == 1)
        let spaced = Self.paymentSchema.replacingOccurrences(of: ",", with: ",\n  ")
        #expect(try await client.register(subject: "payments-value", schema: spaced) == 1)
        #expect(try await client.lookup(subject: "payments-value", schema: spaced).id == 1)
        #expect(try await registry.count("POST", "/subjects/payments-value") == 1)
        #expect(try await registry.count("POST", "/subjects/payments-value/versions") == 0)
    }

    @Test func registeringForgetsTheSubjectsLatestVersionAndNotFoundAnswers() async throws {
        let registry = try await ScriptedRegistry([
            "GET /subjects/payments-value/versions/latest": [.error(404, 40401, "Subject not found"), .ok(Self.version1)],
            "POST /subjects/payments-value/versions": [.ok(#"{"id":1}"#)],
        ])
        let client = try SchemaRegistryClient(configuration: .testing([registry.url]))
        await #expect(throws: SchemaRegistryError.self) { try await client.latest(subject: "payments-value") }
        _ = try await client.register(subject: "payments-value", schema: Self.paymentSchema)
        #expect(try await client.latest(subject: "payments-value").version == 1)
        #expect(try await registry.count("GET", "/subjects/payments-value/versions/latest") == 2)
    }

    @Test func aSchemaWithReferencesIsParsedWithTheReferencedTypes() async throws {
        let money = #"{"type":"record","name":"Money","namespace":"shop","fields":[{"name":"cents","type":"long"}]}"#
        let order = #"{"type":"record","name":"Order","namespace":"shop","fields":[{"name":"total","type":"shop.Money"}]}"#
        let registry = try await ScriptedRegistry([
            "GET /schemas/ids/2": [.ok(ScriptedRegistry.json(["schema": order, "references": [["name": "shop.Money", "subject": "money-value", "version": 1]]]))],
            "GET /subjects/money-value/versions/1": [.ok(ScriptedRegistry.json(["subject": "money-value", "id": 1, "version": 1, "schema": money]))],
        ])
        let client = try SchemaRegistryClient(configuration: .testing([registry.url]))
        let schema = try await client.schema(id: 2)
        #expect(schema.references.map(\.subject) == ["money-value"])
        #expect(try schema.avroSchema.namedTypes["shop.Money"] != nil)
        // The reference's own id is now known too.
        _ = try await client.schema(id: 1)
        #expect(try await registry.count("GET", "/schemas/ids/1") == 0)
    }
}
