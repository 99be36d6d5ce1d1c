import Avro
import Testing

@Suite("Compatibility levels and Confluent messages")
struct CompatibilityLevelTests {
    @Test func levelRawValuesAreConfluentsNames() {
        #expect(CompatibilityLevel.allCases.map(\.rawValue) == [
            "NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE",
        ])
    }

    @Test func transitiveLevelsCatchAnOlderSchemaTheLatestHidesWhileNonTransitiveOnesDoNot() throws {
        // v3 drops the default v2 gave `source`: v3 reads v2 (which writes `source`), not v1 (which lacks it).
        let v1 = try compatSchema("chain-v1")
        let v2 = try compatSchema("chain-v2")
        let v3 = try compatSchema("chain-v3")
        #expect(CompatibilityChecker.check(new: v2, existing: [v1], level: .backward).isEmpty)
        #expect(CompatibilityChecker.check(new: v3, existing: [v1, v2], level: .backward).isEmpty)
        #expect(CompatibilityChecker.check(new: v3, existing: [v1, v2], level: .full).isEmpty)
        let transitive = CompatibilityChecker.check(new: v3, existing: [v1, v2], level: .backwardTransitive)
        #expect(transitive.map(\.kind) == [.readerFieldMissingDefault])
        #expect(transitive.map(\.direction) == [.newReadsExisting(0)])
        #expect(!CompatibilityChecker.check(new: v3, existing: [v1, v2], level: .fullTransitive).isEmpty)
    }

    @Test func forwardTransitiveChecksThatEveryExistingSchemaReadsTheNewOne() throws {
        // v1 and v2 read v3 (v1 skips `source`); v3, which requires `source`, cannot read v1 as a new schema.
        let v1 = try compatSchema("chain-v1")
        let v2 = try compatSchema("chain-v2")
        let v3 = try compatSchema("chain-v3")
        #expect(CompatibilityChecker.check(new: v3, existing: [v1, v2], level: .forwardTransitive).isEmpty)
        #expect(CompatibilityChecker.check(new: v1, existing: [v2, v3], level: .forwardTransitive).map(\.direction) == [.existingReadsNew(1)])
    }

    @Test func transitiveChecksStopAtTheNewestFailingSchema() throws {
        let old = try compatSchema("payment-v1")
        let found = CompatibilityChecker.check(new: try compatSchema("payment-v2-amount-string"), existing: [old, old], level: .backwardTransitive)
        #expect(!found.isEmpty)
        #expect(found.allSatisfy { $0.direction == .newReadsExisting(1) })
    }

    @Test func fullListsForwardReasonsBeforeBackwardOnes() throws {
        let found = CompatibilityChecker.check(new: try compatSchema("payment-v2-amount-string"), existing: [try compatSchema("payment-v1")], level: .full)
        #expect(found.map(\.direction) == [.existingReadsNew(0), .newReadsExisting(0)])
    }

    @Test func noExistingSchemaMeansCompatibleAtEveryLevel() throws {
        let new = try compatSchema("payment-v1")
        for level in CompatibilityLevel.allCases {
            #expect(CompatibilityChecker.check(new: new, existing: [], level: level).isEmpty)
        }
    }

    @Test func confluentMessageNamesTheNewSchemaAsReaderUnderBackward() throws {
        let found = CompatibilityChecker.check(new: try compatSchema("payment-v2-currency-required"), existing: [try compatSchema("payment-v1")], level: .backward)
        #expect(found.map(\.confluentMessage) == [
            "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'currency' at path '/fields/4' in the new schema has no default value and is missing in the old schema', additionalInfo:'currency'}",
        ])
    }

    @Test func confluentMessageNamesTheOldSchemaAsReaderUnderForward() throws {
        let found = CompatibilityChecker.check(new: try compatSchema("payment-v2-status-refunded"), existing: [try compatSchema("payment-v1")], level: .forward)
        #expect(found.map(\.confluentMessage) == [
            "{errorType:'MISSING_ENUM_SYMBOLS', description:'The old schema is missing enum symbols '[REFUNDED]' at path '/fields/2/type/symbols' in the new schema', additionalInfo:'[REFUNDED]'}",
        ])
    }

    @Test func confluentMessagesAppendTheOldSchemaAfterEachBackwardOrForwardGroupAndTheLevelLast() throws {
        let found = CompatibilityChecker.check(new: try compatSchema("payment-v2-amount-string"), existing: [try compatSchema("payment-v1")], level: .full)
        let messages = CompatibilityChecker.confluentMessages(for: found, level: .full, version: { _ in 3 }, schemaText: { _ in "OLD" })
        #expect(messages == [
            "{errorType:'TYPE_MISMATCH', description:'The type (path '/fields/1/type') of a field in the old schema does not match with the new schema', additionalInfo:'reader type: INT not compatible with writer type: STRING'}",
            "{errorType:'TYPE_MISMATCH', description:'The type (path '/fields/1/type') of a field in the new schema does not match with the old schema', additionalInfo:'reader type: STRING not compatible with writer type: INT'}",
            "{oldSchemaVersion: 3}",
            "{oldSchema: 'OLD'}",
            "{compatibility: 'FULL'}",
        ])
        #expect(CompatibilityChecker.confluentMessages(for: [], level: .full, version: { _ in 3 }, schemaText: { _ in "OLD" }).isEmpty)
    }

    @Test func confluentOldSchemaMessageTruncatesLongSchemasAt10KiB() {
        let message = Incompatibility.confluentOldSchemaMessage(String(repeating: "x", count: 20_000))
        #expect(message.hasPrefix("{oldSchema: <truncated to 10240 characters> 'xxx"))
        #expect(message.count == "{oldSchema: <truncated to 10240 characters> ''}".count + 10_240)
    }
}
