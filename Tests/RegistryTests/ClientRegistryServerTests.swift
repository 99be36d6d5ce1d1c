import Avro
import Foundation
import Registry
import RegistryServer
import Testing
import TestSupport

/// The client against avrogate's own registry server, in process, over a real broker.
@Suite struct ClientRegistryServerTests {
    static let paymentV1 = #"{"type":"record","name":"Payment","namespace":"shop","fields":[{"name":"id","type":"string"},{"name":"amount","type":"double"}]}"#
    static let paymentV2 = #"{"type":"record","name":"Payment","namespace":"shop","fields":[{"name":"id","type":"string"},{"name":"amount","type":"double"},{"name":"currency","type":"string","default":"EUR"}]}"#
    static let paymentRequiredCurrency = #"{"type":"record","name":"Payment","namespace":"shop","fields":[{"name":"id","type":"string"},{"name":"amount","type":"double"},{"name":"currency","type":"string"}]}"#

    /// Runs `body` with a client of a fresh registry (its own topic), then stops the registry.
    private func withRegistry(_ body: (SchemaRegistryClient) async throws -> Void) async throws {
        let server = RegistryServer(configuration: RegistryServerConfiguration(
            brokers: try TestEnvironment.brokers(), port: 0, topic: TestEnvironment.uniqueName("schemas")))
        let port = try await server.start()
        do {
            try await body(try SchemaRegistryClient(url: "http://127.0.0.1:\(port)/"))
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    @Test func registeredSchemasCanBeFetchedByIDSubjectAndVersion() async throws {
        try await withRegistry { client in
            let subject = TestEnvironment.uniqueName("payments") + "-value"
            let id = try await client.register(subject: subject, schema: Self.paymentV1)
            #expect(try await client.register(subject: subject, schema: Self.paymentV1) == id)

            let byID = try await client.schema(id: id)
            #expect(try byID.avroSchema == AvroSchema(parsing: Self.paymentV1))
            let latest = try await client.latest(subject: subject)
            #expect(latest.id == id && latest.version == 1 && latest.subject == subject)
            #expect(try await client.version(subject: subject, version: 1).id == id)
            #expect(try await client.lookup(subject: subject, schema: AvroSchema(parsing: Self.paymentV1)).version == 1)
            #expect(try await client.versions(subject: subject) == [1])
            #expect(try await client.subjects().contains(subject))
            #expect(try await client.subjects(schemaID: id) == [subject])
            #expect(try await client.subjectVersions(schemaID: id) == [SubjectVersion(subject: subject, version: 1)])
            #expect(try AvroSchema(parsing: try await client.schemaText(id: id)) == AvroSchema(parsing: Self.paymentV1))
        }
    }

    @Test func unknownSubjectsVersionsAndIDsAreNotFound() async throws {
        try await withRegistry { client in
            let missingSubject = await #expect(throws: SchemaRegistryError.self) { try await client.latest(subject: "nobody-value") }
            #expect(missingSubject?.code == .subjectNotFound)
            let missingID = await #expect(throws: SchemaRegistryError.self) { try await client.schema(id: 987_654) }
            #expect(missingID?.code == .schemaNotFound)
            let subject = TestEnvironment.uniqueName("s")
            _ = try await client.register(subject: subject, schema: Self.paymentV1)
            let missingVersion = await #expect(throws: SchemaRegistryError.self) { try await client.version(subject: subject, version: 9) }
            #expect(missingVersion?.code == .versionNotFound)
            let notRegistered = await #expect(throws: SchemaRegistryError.self) { try await client.lookup(subject: subject, schema: Self.paymentV2) }
            #expect(notRegistered?.code == .schemaNotFound)
        }
    }

    @Test func compatibilityChecksGiveTheRegistrysReasons() async throws {
        try await withRegistry { client in
            let subject = TestEnvironment.uniqueName("s")
            _ = try await client.register(subject: subject, schema: Self.paymentV1)
            #expect(try await client.checkCompatibility(subject: subject, schema: Self.paymentV2).isCompatible)
            let result = try await client.checkCompatibility(subject: subject, schema: Self.paymentRequiredCurrency, against: .version(1))
            #expect(!result.isCompatible)
            #expect(result.messages?.contains { $0.contains("currency") } == true)
            let refused = await #expect(throws: SchemaRegistryError.self) { try await client.register(subject: subject, schema: Self.paymentRequiredCurrency) }
            #expect(refused?.isIncompatible == true)
            #expect(try await client.register(subject: subject, schema: Self.paymentV2) > 0)
            #expect(try await client.latest(subject: subject).version == 2)
        }
    }

    @Test func compatibilityLevelsAndModesCanBeSetReadAndRemoved() async throws {
        try await withRegistry { client in
            let subject = TestEnvironment.uniqueName("s")
            #expect(try await client.compatibilityLevel() == .backward)
            #expect(try await client.setCompatibilityLevel(.full, subject: subject) == .full)
            #expect(try await client.compatibilityLevel(subject: subject) == .full)
            try await client.deleteCompatibilityLevel(subject: subject)
            #expect(try await client.compatibilityLevel(subject: subject) == .backward)
            #expect(try await client.setCompatibilityLevel(.none) == CompatibilityLevel.none)
            #expect(try await client.compatibilityLevel() == CompatibilityLevel.none)

            #expect(try await client.mode() == .readWrite)
            #expect(try await client.setMode(.readOnly, subject: subject) == .readOnly)
            #expect(try await client.mode(subject: subject) == .readOnly)
            let refused = await #expect(throws: SchemaRegistryError.self) { try await client.register(subject: subject, schema: Self.paymentV1) }
            #expect(refused?.code == .operationNotPermitted)
            try await client.deleteMode(subject: subject)
            #expect(try await client.mode(subject: subject) == .readWrite)
        }
    }

    @Test func subjectsAndVersionsAreSoftThenPermanentlyDeleted() async throws {
        try await withRegistry { client in
            let subject = TestEnvironment.uniqueName("s")
            _ = try await client.register(subject: subject, schema: Self.paymentV1)
            _ = try await client.register(subject: subject, schema: Self.paymentV2)
            #expect(try await client.deleteVersion(subject: subject, version: 2) == 2)
            #expect(try await client.versions(subject: subject) == [1])
            #expect(try await client.versions(subject: subject, includeDeleted: true) == [1, 2])
            #expect(try await client.deleteVersion(subject: subject, version: 2, permanent: true) == 2)
            #expect(try await client.versions(subject: subject, includeDeleted: true) == [1])

            #expect(try await client.deleteSubject(subject) == [1])
            #expect(try await !client.subjects().contains(subject))
            #expect(try await client.subjects(includeDeleted: true).contains(subject))
            #expect(try await client.deleteSubject(subject, permanent: true) == [1])
            #expect(try await !client.subjects(includeDeleted: true).contains(subject))
            let gone = await #expect(throws: SchemaRegistryError.self) { try await client.latest(subject: subject) }
            #expect(gone?.code == .subjectNotFound)
        }
    }

    @Test func schemasWithReferencesAreRegisteredAndParsedWithTheirReferences() async throws {
        try await withRegistry { client in
            let money = #"{"type":"record","name":"Money","namespace":"shop","fields":[{"name":"cents","type":"long"}]}"#
            let order = #"{"type":"record","name":"Order","namespace":"shop","fields":[{"name":"total","type":"shop.Money"}]}"#
            let moneySubject = TestEnvironment.uniqueName("money")
            _ = try await client.register(subject: moneySubject, schema: money)
            let references = [SchemaReference(name: "shop.Money", subject: moneySubject, version: 1)]
            let parsed = try await client.parse(order, references: references)
            let orderSubject = TestEnvironment.uniqueName("order")
            let id = try await client.register(subject: orderSubject, schema: parsed, references: references)
            let fresh = try SchemaRegistryClient(configuration: SchemaRegistryClientConfiguration(urls: client.urls))
            let fetched = try await fresh.schema(id: id)
            #expect(fetched.references == references)
            #expect(try fetched.avroSchema.namedTypes["shop.Money"] != nil)
        }
    }
}
