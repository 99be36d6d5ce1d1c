import Foundation
import Registry
@testable import RegistryServer
import Testing
import TestSupport

/// The server over an in-memory log: the leaderless write protocol without a broker, and the records it writes.
@Suite struct ServerInMemoryLogTests {
    /// Runs `body` with two servers sharing one in-memory log, then stops them.
    private func withTwoServers(_ body: (InMemorySchemaLog, ServerUnderTest, ServerUnderTest) async throws -> Void) async throws {
        let log = InMemorySchemaLog()
        let first = try await ServerUnderTest.start(log: log)
        let second = try await ServerUnderTest.start(log: log)
        do {
            try await body(log, first, second)
        } catch {
            await first.stop()
            await second.stop()
            throw error
        }
        await first.stop()
        await second.stop()
    }

    @Test func aRegistrationWritesOneConfluentSchemaRecordAfterANoopMarker() async throws {
        try await withTwoServers { log, server, _ in
            let id = try await server.registered("users-value", try registryFixture("user-v1"))
            let written = log.allRecords.filter { RecordKey(bytes: $0.key ?? []) != .noop }
            #expect(written.count == 1)
            #expect(String(decoding: written[0].key ?? [], as: UTF8.self) == #"{"keytype":"SCHEMA","subject":"users-value","version":1,"magic":1}"#)
            let value = try #require(written[0].value.flatMap(SchemaRecordValue.init(bytes:)))
            #expect(value.id == id && value.version == 1 && !value.deleted)
            #expect(log.allRecords.contains { RecordKey(bytes: $0.key ?? []) == .noop && $0.value == nil })
        }
    }

    @Test func racingInstancesNeverShareAnIDOrAVersion() async throws {
        try await withTwoServers { _, first, second in
            let results = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
                for index in 0 ..< 60 {
                    let server = index.isMultiple(of: 2) ? first : second
                    group.addTask { (index, try await server.registered("race-value", ServerReplicationTests.schema(index))) }
                }
                return try await group.reduce(into: [Int: Int]()) { $0[$1.0] = $1.1 }
            }
            #expect(Set(results.values).count == 60)
            let versions = try await first.get("/schemas?subjectPrefix=race-value").decode([SubjectVersionResponse].self)
            #expect(versions.map(\.version) == Array(1 ... 60))
            #expect(Set(versions.map(\.id)) == Set(results.values))
            #expect(try await second.get("/schemas?subjectPrefix=race-value").decode([SubjectVersionResponse].self) == versions)
        }
    }
}
