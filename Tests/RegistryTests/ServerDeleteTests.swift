import Foundation
import Registry
import Testing
import TestSupport

/// Soft and permanent deletes of subjects and versions, with Confluent's rules and error codes.
@Suite struct ServerDeleteTests {
    @Test func aSubjectIsSoftDeletedThenPermanentlyDeleted() async throws {
        try await withRegistryServer { server in
            let subject = "users-value"
            let first = try await server.registered(subject, try registryFixture("user-v1"))
            let second = try await server.registered(subject, try registryFixture("user-v2-optional-email"))

            let notSoft = try await server.delete("/subjects/\(subject)?permanent=true")
            #expect(notSoft.status == 404 && notSoft.errorCode == 40405
                && notSoft.message == "Subject 'users-value' was not deleted first before being permanently deleted")

            #expect(try await server.delete("/subjects/\(subject)").decode([Int].self) == [1, 2])
            #expect(try await server.get("/subjects").decode([String].self) == [])
            #expect(try await server.get("/subjects?deleted=true").decode([String].self) == [subject])
            #expect(try await server.get("/subjects?deletedOnly=true").decode([String].self) == [subject])
            #expect(try await server.get("/subjects/\(subject)/versions").errorCode == 40401)
            #expect(try await server.get("/subjects/\(subject)/versions?deleted=true").decode([Int].self) == [1, 2])
            #expect(try await server.get("/subjects/\(subject)/versions/1").errorCode == 40401)
            #expect(try await server.get("/subjects/\(subject)/versions/1?deleted=true").decode(SubjectVersionResponse.self).id == first)
            #expect(try await server.get("/schemas/ids/\(second)").status == 200)
            #expect(try await server.get("/schemas/ids/\(second)/subjects").decode([String].self) == [])
            #expect(try await server.get("/schemas/ids/\(second)/subjects?deleted=true").decode([String].self) == [subject])
            #expect(try await server.post("/subjects/\(subject)?deleted=true", ServerUnderTest.body(try registryFixture("user-v1"))).decode(SubjectVersionResponse.self).version == 1)

            let again = try await server.delete("/subjects/\(subject)")
            #expect(again.status == 404 && again.errorCode == 40404
                && again.message == "Subject 'users-value' was soft deleted.Set permanent=true to delete permanently")

            #expect(try await server.delete("/subjects/\(subject)?permanent=true").decode([Int].self) == [1, 2])
            #expect(try await server.get("/subjects?deleted=true").decode([String].self) == [])
            #expect(try await server.get("/schemas/ids/\(first)").errorCode == 40403)
            #expect(try await server.delete("/subjects/\(subject)?permanent=true").errorCode == 40401)

            // Ids are not handed out again, and versions restart in the emptied subject.
            let fresh = try await server.registered(subject, try registryFixture("order-v1"))
            #expect(fresh > second)
            #expect(try await server.get("/subjects/\(subject)/versions").decode([Int].self) == [1])
        }
    }

    @Test func aVersionIsSoftDeletedThenPermanentlyDeleted() async throws {
        try await withRegistryServer { server in
            let subject = "users-value"
            _ = try await server.registered(subject, try registryFixture("user-v1"))
            _ = try await server.registered(subject, try registryFixture("user-v2-optional-email"))

            let live = try await server.delete("/subjects/\(subject)/versions/2?permanent=true")
            #expect(live.status == 404 && live.errorCode == 40407
                && live.message == "Subject 'users-value' Version 2 was not deleted first before being permanently deleted")
            #expect(try await server.delete("/subjects/\(subject)/versions/1").decode(Int.self) == 1)
            let twice = try await server.delete("/subjects/\(subject)/versions/1")
            #expect(twice.status == 404 && twice.errorCode == 40406
                && twice.message == "Subject 'users-value' Version 1 was soft deleted.Set permanent=true to delete permanently")
            #expect(try await server.get("/subjects/\(subject)/versions").decode([Int].self) == [2])
            #expect(try await server.get("/subjects/\(subject)/versions/1").errorCode == 40402)
            #expect(try await server.delete("/subjects/\(subject)/versions/1?permanent=true").decode(Int.self) == 1)
            #expect(try await server.get("/subjects/\(subject)/versions?deleted=true").decode([Int].self) == [2])
            #expect(try await server.delete("/subjects/\(subject)/versions/1?permanent=true").errorCode == 40402)
            #expect(try await server.delete("/subjects/nobody/versions/1").errorCode == 40401)
            #expect(try await server.delete("/subjects/\(subject)/versions/latest").decode(Int.self) == 2)
            #expect(try await server.get("/subjects/\(subject)/versions").errorCode == 40401)
        }
    }

    @Test func reRegisteringASoftDeletedSchemaAddsAVersionWithTheSameID() async throws {
        try await withRegistryServer { server in
            let id = try await server.registered("users-value", try registryFixture("user-v1"))
            #expect(try await server.delete("/subjects/users-value").status == 200)
            #expect(try await server.registered("users-value", try registryFixture("user-v1")) == id)
            #expect(try await server.get("/subjects/users-value/versions").decode([Int].self) == [2])
        }
    }

    @Test func softDeletingASubjectRemovesItsConfigAndMode() async throws {
        try await withRegistryServer { server in
            _ = try await server.registered("users-value", try registryFixture("user-v1"))
            #expect(try await server.put("/config/users-value", #"{"compatibility":"NONE"}"#).status == 200)
            #expect(try await server.put("/mode/users-value", #"{"mode":"READWRITE"}"#).status == 200)
            #expect(try await server.delete("/subjects/users-value").status == 200)
            #expect(try await server.get("/config/users-value").errorCode == 40408)
            #expect(try await server.get("/mode/users-value").errorCode == 40409)
        }
    }
}
