import Avro
import Foundation
import Ingest
import Testing
import TestSupport

/// `POST /topics/{topic}` with natural JSON: one event, a batch, NDJSON; all or nothing; partial.
@Suite(.timeLimit(.minutes(2)))
struct ProduceNaturalJSONTests {
    static let alice = #"{"id": 1, "name": "Alice", "email": "alice@example.com", "signedUpAt": "2024-05-17T09:31:27.412Z", "tags": ["beta"]}"#
    static let bob = #"{"id": 2, "name": "Bob", "signedUpAt": 1715938287412}"#
    static let carol = #"{"id": 3, "name": "Carol", "email": null, "signedUpAt": "2024-05-17T11:00:00+02:00"}"#

    @Test func oneEventIsAcknowledgedAndStoredAsConfluentFramedAvro() async throws {
        try await IngestHarness.with { harness in
            let (topic, id) = try await harness.topicWithSchema("user.avsc")
            let response = try await harness.post("/topics/\(topic)", Self.alice)
            #expect(response.status == 200, "\(response.text)")
            #expect(response.json["schema_id"]?.integerValue == Int64(id))
            #expect(response.json["subject"]?.stringValue == "\(topic)-value")
            #expect(response.json["version"]?.integerValue == 1)
            #expect(response.offsets.count == 1 && response.offsets[0]?.offset == 0)

            let records = try await TopicReader.read(topic, count: 1)
            try #require(records.count == 1)
            #expect(records[0].key == nil)
            let (frameID, value) = try TopicReader.decode(records[0].value, schema: try IngestHarness.fixtureText("user.avsc"))
            #expect(frameID == UInt32(id))
            #expect(value["name"] == .string("Alice"))
            #expect(value["email"] == .string("alice@example.com"))
            #expect(value["signedUpAt"] == .string("2024-05-17T09:31:27.412Z"))
            #expect(value["tags"] == .array([.string("beta")]))
        }
    }

    @Test func aBatchIsAnsweredWithOneOffsetPerEventInInputOrder() async throws {
        try await IngestHarness.with { harness in
            let (topic, _) = try await harness.topicWithSchema("user.avsc")
            let response = try await harness.post("/topics/\(topic)", "[\(Self.alice), \(Self.bob), \(Self.carol)]")
            #expect(response.status == 200, "\(response.text)")
            #expect(response.offsets.map { $0?.offset } == [0, 1, 2])
            let names = try await TopicReader.read(topic, count: 3).map { try TopicReader.decode($0.value, schema: try IngestHarness.fixtureText("user.avsc")).json["name"] }
            #expect(names == [.string("Alice"), .string("Bob"), .string("Carol")])
        }
    }

    @Test func ndjsonLinesAreProducedInOrderAndBlankLinesSkipped() async throws {
        try await IngestHarness.with { harness in
            let (topic, _) = try await harness.topicWithSchema("user.avsc")
            let body = "\(Self.alice)\n\n\(Self.bob)\r\n\(Self.carol)"
            let response = try await harness.post("/topics/\(topic)", body, contentType: "application/x-ndjson")
            #expect(response.status == 200, "\(response.text)")
            #expect(response.offsets.map { $0?.offset } == [0, 1, 2])
        }
    }

    @Test func oneInvalidEventRejectsTheWholeBatchWith422ListingEveryError() async throws {
        try await IngestHarness.with { harness in
            let (topic, _) = try await harness.topicWithSchema("user.avsc")
            let invalid = #"{"id": "three", "signedUpAt": "yesterday"}"#
            let response = try await harness.post("/topics/\(topic)", "[\(Self.alice), \(invalid), \(Self.bob)]")
            #expect(response.status == 422, "\(response.text)")
            #expect(response.errorCode == 42203)
            let errors = response.json["errors"]?.arrayValue ?? []
            #expect(errors.allSatisfy { $0["index"]?.integerValue == 1 })
            let paths = Set(errors.compactMap { $0["path"]?.stringValue })
            #expect(paths.isSuperset(of: ["$.id", "$.name", "$.signedUpAt"]), "\(paths)")
            #expect(errors.allSatisfy { $0["expected"]?.stringValue != nil && $0["got"]?.stringValue != nil })
            try await expectWatermarks(topic, [0: 0])
        }
    }

    @Test func partialModeProducesTheValidEventsAndReportsEachRecord() async throws {
        try await IngestHarness.with { harness in
            let (topic, _) = try await harness.topicWithSchema("user.avsc")
            let response = try await harness.post("/topics/\(topic)?partial=true", "[\(Self.alice), {\"id\": 9}, \(Self.bob)]")
            #expect(response.status == 422, "\(response.text)")
            let offsets = response.json["offsets"]?.arrayValue ?? []
            try #require(offsets.count == 3)
            #expect(offsets[0]["offset"]?.integerValue == 0)
            #expect(offsets[1]["error_code"]?.integerValue == 42203)
            #expect(offsets[1]["offset"] == .null)
            #expect(offsets[2]["offset"]?.integerValue == 1)
            #expect(response.json["errors"]?.arrayValue?.first?["index"]?.integerValue == 1)
            let names = try await TopicReader.read(topic, count: 2).map { try TopicReader.decode($0.value, schema: try IngestHarness.fixtureText("user.avsc")).json["name"] }
            #expect(names == [.string("Alice"), .string("Bob")])
        }
    }

    @Test func malformedJSONIsA400WithLineAndColumn() async throws {
        try await IngestHarness.with { harness in
            let (topic, _) = try await harness.topicWithSchema("user.avsc")
            let broken = try await harness.post("/topics/\(topic)", "[\n  \(Self.alice),\n  {\"id\": 2,, \"name\": \"x\"}\n]")
            #expect(broken.status == 400, "\(broken.text)")
            #expect(broken.errorCode == 40001)
            #expect(broken.text.contains("line 3"), "\(broken.text)")
            let unclosed = try await harness.post("/topics/\(topic)", "[\(Self.alice)")
            #expect(unclosed.status == 400 && unclosed.errorCode == 40001)
            #expect(unclosed.json["message"]?.stringValue?.contains("line 1, column") == true, "\(unclosed.text)")
            let line = try await harness.post("/topics/\(topic)", "\(Self.alice)\n{oops}\n", contentType: "application/x-ndjson")
            #expect(line.status == 400 && line.errorCode == 40001)
            #expect(line.json["errors"]?.arrayValue?.first?["line"]?.integerValue == 2)
        }
    }

    @Test func nestingDeeperThanTheLimitIsA400() async throws {
        try await IngestHarness.with({ $0.limits.maxDepth = 8 }) { harness in
            let (topic, _) = try await harness.topicWithSchema("user.avsc")
            let deep = String(repeating: "[", count: 20) + String(repeating: "]", count: 20)
            let response = try await harness.post("/topics/\(topic)", "{\"id\": 1, \"name\": \(deep)}")
            #expect(response.status == 400, "\(response.text)")
            #expect(response.errorCode == 40002)
        }
    }

    @Test func anUnsupportedContentTypeIsA415NamingTheSupportedOnes() async throws {
        try await IngestHarness.with { harness in
            let (topic, _) = try await harness.topicWithSchema("user.avsc")
            let response = try await harness.post("/topics/\(topic)", Self.alice, contentType: "text/plain")
            #expect(response.status == 415)
            #expect(response.errorCode == 41501)
            #expect(response.text.contains("application/x-ndjson"))
            let none = try await harness.post("/topics/\(topic)", Self.alice, contentType: nil)
            #expect(none.status == 415)
        }
    }

    @Test func aBodyOrBatchOverTheLimitsIsA413AndNothingIsProduced() async throws {
        try await IngestHarness.with({ $0.limits.maxBodyBytes = 1024; $0.limits.maxBatchRecords = 2 }) { harness in
            let (topic, _) = try await harness.topicWithSchema("user.avsc")
            let big = try await harness.post("/topics/\(topic)", "[" + Array(repeating: Self.bob, count: 30).joined(separator: ",") + "]")
            #expect(big.status == 413 && big.errorCode == 41301, "\(big.text)")
            let bigLines = try await harness.post("/topics/\(topic)", Array(repeating: Self.bob, count: 30).joined(separator: "\n"), contentType: "application/x-ndjson")
            #expect(bigLines.status == 413 && bigLines.errorCode == 41301, "\(bigLines.text)")
            let many = try await harness.post("/topics/\(topic)", "[\(Self.bob), \(Self.bob), \(Self.bob)]")
            #expect(many.status == 413 && many.errorCode == 41302, "\(many.text)")
            let manyLines = try await harness.post("/topics/\(topic)", "\(Self.bob)\n\(Self.bob)\n\(Self.bob)\n", contentType: "application/x-ndjson")
            #expect(manyLines.status == 413 && manyLines.errorCode == 41302, "\(manyLines.text)")
            try await expectWatermarks(topic, [0: 0])
        }
    }
}
