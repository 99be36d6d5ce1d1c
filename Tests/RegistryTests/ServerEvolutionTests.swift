import Foundation
import Registry
import Testing
import TestSupport

/// Schema evolution under each compatibility level: which next schema the registry accepts and which it refuses.
@Suite struct ServerEvolutionTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var level: String
        /// Fixtures registered in order; all but the last must be accepted.
        var history: [String]
        var lastAccepted: Bool
        var testDescription: String { "\(level): \(history.joined(separator: " → ")) \(lastAccepted ? "accepted" : "refused")" }
    }

    static let cases: [Case] = [
        Case(level: "BACKWARD", history: ["user-v1", "user-v2-optional-email"], lastAccepted: true),
        Case(level: "BACKWARD", history: ["user-v1", "user-v2-without-name"], lastAccepted: true),
        Case(level: "BACKWARD", history: ["user-v1", "user-v2-required-age"], lastAccepted: false),
        Case(level: "BACKWARD", history: ["user-v1", "user-v2-name-as-int"], lastAccepted: false),
        Case(level: "FORWARD", history: ["user-v1", "user-v2-required-age"], lastAccepted: true),
        Case(level: "FORWARD", history: ["user-v1", "user-v2-without-name"], lastAccepted: false),
        Case(level: "FULL", history: ["user-v1", "user-v2-optional-email"], lastAccepted: true),
        Case(level: "FULL", history: ["user-v1", "user-v2-required-age"], lastAccepted: false),
        Case(level: "FULL", history: ["user-v1", "user-v2-without-name"], lastAccepted: false),
        Case(level: "NONE", history: ["user-v1", "user-v2-name-as-int"], lastAccepted: true),
        Case(level: "BACKWARD", history: ["order-v1", "order-v2-defaulted-note", "order-v3-required-note"], lastAccepted: true),
        Case(level: "BACKWARD_TRANSITIVE", history: ["order-v1", "order-v2-defaulted-note", "order-v3-required-note"], lastAccepted: false),
        Case(level: "FORWARD", history: ["order-v3-required-note", "order-v2-defaulted-note", "order-v1"], lastAccepted: true),
        Case(level: "FORWARD_TRANSITIVE", history: ["order-v3-required-note", "order-v2-defaulted-note", "order-v1"], lastAccepted: false),
        Case(level: "FULL", history: ["order-v1", "order-v2-defaulted-note", "order-v3-required-note"], lastAccepted: true),
        Case(level: "FULL_TRANSITIVE", history: ["order-v1", "order-v2-defaulted-note", "order-v3-required-note"], lastAccepted: false),
    ]

    @Test(arguments: cases)
    func evolutionFollowsTheSubjectsCompatibilityLevel(_ evolution: Case) async throws {
        try await withRegistryServer { server in
            let subject = "evolving-value"
            #expect(try await server.put("/config/\(subject)", #"{"compatibility":"\#(evolution.level)"}"#).status == 200)
            for fixture in evolution.history.dropLast() {
                _ = try await server.registered(subject, try registryFixture(fixture))
            }
            let last = try await server.register(subject, try registryFixture(evolution.history.last!))
            if evolution.lastAccepted {
                #expect(last.status == 200, "\(last)")
                #expect(try await server.get("/subjects/\(subject)/versions").decode([Int].self) == Array(1 ... evolution.history.count))
            } else {
                #expect(last.status == 409 && last.errorCode == 409, "\(last)")
                #expect(last.message?.contains("{compatibility: '\(evolution.level)'}") == true, "\(last)")
                #expect(try await server.get("/subjects/\(subject)/versions").decode([Int].self) == Array(1 ..< evolution.history.count))
            }
        }
    }

    @Test func theGlobalLevelAppliesWhenTheSubjectHasNone() async throws {
        try await withRegistryServer { server in
            _ = try await server.registered("users-value", try registryFixture("user-v1"))
            #expect(try await server.register("users-value", try registryFixture("user-v2-required-age")).status == 409)
            #expect(try await server.put("/config", #"{"compatibility":"FORWARD"}"#).status == 200)
            #expect(try await server.register("users-value", try registryFixture("user-v2-required-age")).status == 200)
        }
    }

    @Test func softDeletedVersionsAreNotCheckedAgainst() async throws {
        try await withRegistryServer { server in
            _ = try await server.registered("users-value", try registryFixture("user-v1"))
            #expect(try await server.delete("/subjects/users-value/versions/1").status == 200)
            _ = try await server.registered("users-value", try registryFixture("user-v2-name-as-int"))
            #expect(try await server.get("/subjects/users-value/versions/latest").decode(SubjectVersionResponse.self).version == 2)
        }
    }
}
