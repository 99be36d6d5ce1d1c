import Foundation
import Registry
import Testing
import TestSupport

/// State kept in the topic: a new instance replays it, instances sharing it agree, and concurrent
/// registrations never hand out an id or a version twice.
@Suite struct ServerReplicationTests {
    /// A distinct record schema per index, all compatible with one another under BACKWARD.
    static func schema(_ index: Int) -> String {
        #"{"type":"record","name":"Load","namespace":"com.example","fields":[{"name":"id","type":"long"},{"name":"f\#(index)","type":"string","default":""}]}"#
    }

    /// What a client can see of the registry, for comparing instances.
    struct Snapshot: Equatable {
        var subjects: [String]
        var deletedSubjects: [String]
        var versions: [String: [SubjectVersionResponse]]
        var config: String
        var mode: String
    }

    static func snapshot(_ server: ServerUnderTest) async throws -> Snapshot {
        var versions: [String: [SubjectVersionResponse]] = [:]
        for subject in try await server.get("/subjects?deleted=true").decode([String].self) {
            versions[subject] = try await server.get("/schemas?subjectPrefix=\(ServerUnderTest.escape(subject))&deleted=true")
                .decode([SubjectVersionResponse].self).filter { $0.subject == subject }
        }
        return Snapshot(
            subjects: try await server.get("/subjects").decode([String].self),
            deletedSubjects: try await server.get("/subjects?deletedOnly=true").decode([String].self),
            versions: versions,
            config: try await server.get("/config").decode(ConfigResponse.self).compatibilityLevel,
            mode: try await server.get("/mode").decode(ModeResponse.self).mode)
    }

    @Test func aNewInstanceOnTheSameTopicReplaysTheSameState() async throws {
        let topic = TestEnvironment.uniqueName("schemas")
        var before: Snapshot?
        var lastID = 0
        try await withRegistryServer(topic: topic) { server in
            _ = try await server.registered("users-value", try registryFixture("user-v1"))
            _ = try await server.registered("users-value", try registryFixture("user-v2-optional-email"))
            _ = try await server.registered("orders-value", try registryFixture("order-v1"))
            lastID = try await server.registered("copies-value", try registryFixture("address"))
            _ = try await server.registered("gone-value", try registryFixture("user-v1"))
            #expect(try await server.delete("/subjects/gone-value").status == 200)
            #expect(try await server.delete("/subjects/users-value/versions/1").status == 200)
            #expect(try await server.put("/config", #"{"compatibility":"FULL"}"#).status == 200)
            #expect(try await server.put("/config/orders-value", #"{"compatibility":"NONE"}"#).status == 200)
            #expect(try await server.put("/mode/orders-value", #"{"mode":"READONLY"}"#).status == 200)
            before = try await Self.snapshot(server)
        }
        try await withRegistryServer(topic: topic) { server in
            #expect(try await Self.snapshot(server) == before)
            #expect(try await server.get("/config/orders-value").decode(ConfigResponse.self).compatibilityLevel == "NONE")
            #expect(try await server.get("/mode/orders-value").decode(ModeResponse.self).mode == "READONLY")
            let next = try await server.registered("later-value", try registryFixture("order-v2-defaulted-note"))
            #expect(next > lastID)
        }
    }

    @Test func aHundredConcurrentRegistrationsGetAHundredDistinctIDs() async throws {
        try await withRegistryServer { server in
            let ids = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
                for index in 0 ..< 100 {
                    group.addTask { (index, try await server.registered("load-\(index % 10)-value", Self.schema(index))) }
                }
                return try await group.reduce(into: [Int: Int]()) { $0[$1.0] = $1.1 }
            }
            #expect(ids.count == 100)
            #expect(Set(ids.values).count == 100)
            for subject in 0 ..< 10 {
                #expect(try await server.get("/subjects/load-\(subject)-value/versions").decode([Int].self) == Array(1 ... 10))
            }
            for (index, id) in ids {
                #expect(try await server.get("/schemas/ids/\(id)").decode(SchemaByIDResponse.self).schema == Self.schema(index))
            }
        }
    }

    @Test func twoInstancesRegisteringConcurrentlyAgreeOnEveryIDAndVersion() async throws {
        let topic = TestEnvironment.uniqueName("schemas")
        let first = try await ServerUnderTest.start(topic: topic)
        let second: ServerUnderTest
        do {
            second = try await ServerUnderTest.start(topic: topic)
        } catch {
            await first.stop()
            throw error
        }
        do {
            // Each instance registers 100 schemas into four shared subjects: 80 of its own, and 20 both register.
            let results = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
                for (instance, server) in [first, second].enumerated() {
                    for n in 0 ..< 100 {
                        let index = n < 20 ? n : 1000 * (instance + 1) + n
                        group.addTask { (index, try await server.registered("shared-\(n % 4)-value", Self.schema(index))) }
                    }
                }
                return try await group.reduce(into: [(index: Int, id: Int)]()) { $0.append(($1.0, $1.1)) }
            }
            var idBySchema: [Int: Int] = [:]
            for result in results {
                if let known = idBySchema[result.index] {
                    #expect(known == result.id, "schema \(result.index) got ids \(known) and \(result.id)")
                }
                idBySchema[result.index] = result.id
            }
            #expect(idBySchema.count == 180)
            #expect(Set(idBySchema.values).count == 180)

            let seenByFirst = try await Self.snapshot(first)
            let seenBySecond = try await Self.snapshot(second)
            #expect(seenByFirst == seenBySecond)
            let registered = seenByFirst.versions.values.flatMap { $0 }
            #expect(registered.count == 180)
            #expect(Set(registered.map(\.id)) == Set(idBySchema.values))
            for subjectVersions in seenByFirst.versions.values {
                #expect(subjectVersions.map(\.version) == Array(1 ... subjectVersions.count))
            }
            for (index, id) in idBySchema {
                #expect(try await second.get("/schemas/ids/\(id)").decode(SchemaByIDResponse.self).schema == Self.schema(index))
            }
        } catch {
            await first.stop()
            await second.stop()
            throw error
        }
        await first.stop()
        await second.stop()
    }
}
