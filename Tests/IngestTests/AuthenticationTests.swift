import Avro
import Foundation
import Ingest
import Testing
import TestSupport

/// API keys: 401 without a valid key, 403 for a topic the key may not use; health and metrics stay open.
@Suite(.timeLimit(.minutes(2)))
struct AuthenticationTests {
    static let event = #"{"id": 1, "name": "Alice", "signedUpAt": 0}"#

    @Test func keysAreCheckedAgainstTheTopicPatternsTheyMayUse() async throws {
        let (topic, _) = try await IngestHarness.topicWithSchema("user.avsc")
        let keys = try APIKeys(parsing: """
            # writers
            s3cr3t-orders ingest-*,audit
            s3cr3t-other  payments.*
            """, origin: "test")
        try await IngestHarness.with({ $0.apiKeys = keys }) { harness in
            let missing = try await harness.post("/topics/\(topic)", Self.event)
            #expect(missing.status == 401 && missing.errorCode == 40101, "\(missing.text)")
            #expect(missing.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
            let wrong = try await harness.post("/topics/\(topic)", Self.event, headers: ["Authorization": "Bearer nope"])
            #expect(wrong.status == 401 && wrong.errorCode == 40101)
            let forbidden = try await harness.post("/topics/\(topic)", Self.event, headers: ["Authorization": "Bearer s3cr3t-other"])
            #expect(forbidden.status == 403 && forbidden.errorCode == 40301, "\(forbidden.text)")
            #expect(!forbidden.text.contains("s3cr3t"))
            #expect(forbidden.text.contains("key@3"))
            let allowed = try await harness.post("/topics/\(topic)", Self.event, headers: ["Authorization": "Bearer s3cr3t-orders"])
            #expect(allowed.status == 200, "\(allowed.text)")
            let schema = try await harness.get("/topics/\(topic)/schema", headers: ["Authorization": "Bearer s3cr3t-other"])
            #expect(schema.status == 403)
            #expect(try await harness.get("/health/live").status == 200)
            #expect(try await harness.get("/metrics").status == 200)
        }
    }
}
