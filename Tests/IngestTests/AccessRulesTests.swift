@testable import Ingest
import Testing

/// API key files and topic patterns (no broker needed).
@Suite struct AccessRulesTests {
    @Test func topicPatternsMatchWholeNamesWithStarGlobs() {
        #expect(TopicPattern("orders").matches("orders"))
        #expect(!TopicPattern("orders").matches("orders-eu"))
        #expect(TopicPattern("orders*").matches("orders-eu"))
        #expect(TopicPattern("*").matches("anything"))
        #expect(TopicPattern("a*b*c").matches("a-x-b-y-c"))
        #expect(!TopicPattern("a*b*c").matches("a-x-c-y-b"))
        #expect(TopicPattern("*.events").matches("shop.events"))
        #expect(!TopicPattern("*.events").matches("shop.events.dlq"))
    }

    @Test func keysFilesGiveEachKeyItsPatternsAndALineID() throws {
        let keys = try APIKeys(parsing: "# comment\n\nk1 orders*,audit\n\tk2\tpayments\n", origin: "keys")
        #expect(keys.keys.map(\.id) == ["key@3", "key@4"])
        #expect(keys.key(matching: "k1")?.allows("orders-eu") == true)
        #expect(keys.key(matching: "k1")?.allows("payments") == false)
        #expect(keys.key(matching: "k2")?.allows("payments") == true)
        #expect(keys.key(matching: "k") == nil)
        #expect(keys.key(matching: "k12") == nil)
    }

    @Test func aMalformedKeysLineIsAnErrorThatDoesNotEchoTheKey() {
        let error = #expect(throws: APIKeysError.self) { try APIKeys(parsing: "supersecret\n", origin: "keys") }
        #expect(error?.message == "keys:1: expected `KEY PATTERN[,PATTERN…]`")
    }
}
