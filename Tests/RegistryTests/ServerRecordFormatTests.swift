import Foundation
import Registry
@testable import RegistryServer
import Testing
import TestSupport

/// The records of the schemas topic, byte for byte as Confluent writes them, and the state they replay to.
@Suite struct ServerRecordFormatTests {
    private func text(_ key: RecordKey) -> String { String(decoding: key.bytes, as: UTF8.self) }

    @Test func keysAreWrittenInConfluentsPropertyOrder() {
        #expect(text(.schema(subject: "orders-value", version: 3)) == #"{"keytype":"SCHEMA","subject":"orders-value","version":3,"magic":1}"#)
        #expect(text(.config(subject: nil)) == #"{"keytype":"CONFIG","subject":null,"magic":0}"#)
        #expect(text(.config(subject: "orders-value")) == #"{"keytype":"CONFIG","subject":"orders-value","magic":0}"#)
        #expect(text(.mode(subject: nil)) == #"{"keytype":"MODE","subject":null,"magic":0}"#)
        #expect(text(.deleteSubject(subject: "a\"b")) == #"{"keytype":"DELETE_SUBJECT","subject":"a\"b","magic":0}"#)
        #expect(text(.clearSubject(subject: "s")) == #"{"keytype":"CLEAR_SUBJECT","subject":"s","magic":0}"#)
        #expect(text(.noop) == #"{"keytype":"NOOP","magic":0}"#)
    }

    @Test func keysAreReadInAnyPropertyOrder() {
        #expect(RecordKey(bytes: Array(#"{"magic":1,"version":2,"subject":"s","keytype":"SCHEMA"}"#.utf8)) == .schema(subject: "s", version: 2))
        #expect(RecordKey(bytes: Array(#"{"keytype":"CONFIG","magic":0}"#.utf8)) == .config(subject: nil))
        #expect(RecordKey(bytes: Array(#"{"keytype":"CONTEXT","context":".x","magic":0}"#.utf8)) == .other("CONTEXT"))
        #expect(RecordKey(bytes: Array("not json".utf8)) == nil)
    }

    @Test func schemaValuesRoundTripWithReferencesAndType() throws {
        let value = SchemaRecordValue(
            subject: "s", version: 2, id: 7, schemaType: "AVRO",
            references: [SchemaReference(name: "com.example.Address", subject: "address", version: 1)],
            schema: #"{"type":"string"}"#, deleted: false)
        #expect(String(decoding: value.bytes, as: UTF8.self)
            == #"{"subject":"s","version":2,"id":7,"references":[{"name":"com.example.Address","subject":"address","version":1}],"schema":"{\"type\":\"string\"}","deleted":false}"#)
        #expect(SchemaRecordValue(bytes: value.bytes) == value)
    }

    /// Applies records to a fresh state.
    private func replay(_ records: [(RecordKey, [UInt8]?)]) -> RegistryState {
        var state = RegistryState()
        for (offset, (key, value)) in records.enumerated() {
            state.apply(LoggedRecord(offset: Int64(offset), key: key.bytes, value: value))
        }
        return state
    }

    private func schemaRecord(_ subject: String, _ version: Int, id: Int, _ schema: String, deleted: Bool = false) -> (RecordKey, [UInt8]?) {
        (.schema(subject: subject, version: version),
         SchemaRecordValue(subject: subject, version: version, id: id, schemaType: "AVRO", references: [], schema: schema, deleted: deleted).bytes)
    }

    @Test func aSchemaRecordTakingAnIDOfAnotherSchemaIsIgnored() {
        let state = replay([
            schemaRecord("a", 1, id: 1, #""string""#),
            schemaRecord("b", 1, id: 1, #""long""#),
        ])
        #expect(state.subjects["b"] == nil)
        #expect(state.schemas[1]?.schema == #""string""#)
    }

    @Test func aSchemaRecordTakingAVersionOfAnotherIDIsIgnored() {
        let state = replay([
            schemaRecord("a", 1, id: 1, #""string""#),
            schemaRecord("a", 1, id: 2, #""long""#),
        ])
        #expect(state.subjects["a"]?[1]?.id == 1)
        #expect(state.schemas[2] == nil)
        #expect(state.maxID == 1)
    }

    @Test func theSameSchemaWrittenTwiceIsOneVersion() {
        let state = replay([
            schemaRecord("a", 1, id: 1, #"{"type": "string"}"#),
            schemaRecord("a", 1, id: 1, #""string""#),
            schemaRecord("b", 1, id: 1, #""string""#),
        ])
        #expect(state.versions(of: "a", includeDeleted: true).count == 1)
        #expect(state.subjectVersions(usingID: 1, includeDeleted: false).map(\.subject) == ["a", "b"])
    }

    @Test func deletesSoftenThenRemoveVersions() {
        var state = replay([
            schemaRecord("a", 1, id: 1, #""string""#),
            schemaRecord("a", 2, id: 2, #""long""#),
            (.deleteSubject(subject: "a"), DeleteSubjectRecordValue(subject: "a", version: 1).bytes),
        ])
        #expect(state.versions(of: "a", includeDeleted: false).map(\.version) == [2])
        #expect(state.versions(of: "a", includeDeleted: true).map(\.version) == [1, 2])
        state.apply(LoggedRecord(offset: 3, key: RecordKey.schema(subject: "a", version: 1).bytes, value: nil))
        #expect(state.versions(of: "a", includeDeleted: true).map(\.version) == [2])
        #expect(state.schemas[1] == nil)
        #expect(state.maxID == 2)
    }

    @Test func configAndModeRecordsSetAndTombstonesClear() {
        var state = replay([
            (.config(subject: nil), ConfigRecordValue(compatibilityLevel: "FULL").bytes),
            (.config(subject: "a"), ConfigRecordValue(compatibilityLevel: "NONE").bytes),
            (.mode(subject: "a"), ModeRecordValue(mode: "READONLY").bytes),
        ])
        #expect(state.compatibility(for: "a", defaultLevel: "BACKWARD") == "NONE")
        #expect(state.compatibility(for: "b", defaultLevel: "BACKWARD") == "FULL")
        #expect(state.mode(for: "a") == "READONLY")
        state.apply(LoggedRecord(offset: 3, key: RecordKey.config(subject: "a").bytes, value: nil))
        state.apply(LoggedRecord(offset: 4, key: RecordKey.mode(subject: "a").bytes, value: nil))
        #expect(state.compatibility(for: "a", defaultLevel: "BACKWARD") == "FULL")
        #expect(state.mode(for: "a") == "READWRITE")
    }

    @Test func aTopicWrittenByConfluentReplays() throws {
        let lines = try String(contentsOf: TestEnvironment.fixture("registry/confluent-schemas-topic.jsonl"), encoding: .utf8)
            .split(separator: "\n")
        var state = RegistryState()
        for (offset, line) in lines.enumerated() {
            let record = try JSONDecoder().decode(FixtureRecord.self, from: Data(line.utf8))
            state.apply(LoggedRecord(offset: Int64(offset), key: Array(record.key.utf8), value: record.value.map { Array($0.utf8) }))
        }
        #expect(state.subjectNames(includeDeleted: false) == ["orders-value", "payments-value"])
        #expect(state.subjectNames(includeDeleted: true) == ["gone-value", "orders-value", "payments-value"])
        #expect(state.versions(of: "orders-value", includeDeleted: false).map(\.version) == [1, 2])
        #expect(state.subjectVersions(usingID: 1, includeDeleted: false).map(\.subject) == ["orders-value", "payments-value"])
        #expect(state.compatibility(for: "orders-value", defaultLevel: "BACKWARD") == "FULL")
        #expect(state.maxID == 2)
    }

    private struct FixtureRecord: Decodable {
        var key: String
        var value: String?
    }
}
