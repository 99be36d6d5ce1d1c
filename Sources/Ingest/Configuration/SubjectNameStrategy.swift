/// How a topic's value schema subject is named, as Confluent's serializers name it
/// (`value.subject.name.strategy`).
public enum SubjectNameStrategy: String, Sendable, Hashable, CaseIterable {
    /// `{topic}-value`: one schema (and its versions) per topic. The default.
    case topicName = "topic"
    /// `{record full name}`: one schema per record type, shared by every topic carrying it.
    case recordName = "record"
    /// `{topic}-{record full name}`: several record types per topic.
    case topicRecordName = "topic-record"

    /// The value subject for `topic`; the record strategies need the record's full name.
    public func valueSubject(topic: String, recordName: String?) throws(IngestError) -> String {
        switch self {
        case .topicName:
            return "\(topic)-value"
        case .recordName, .topicRecordName:
            guard let recordName, !recordName.isEmpty else {
                throw IngestError(.invalidParameter, "the \(rawValue) subject name strategy needs the record's full name: pass ?record=NAME, configure --value-record \(topic)=NAME, or pin the schema with ?subject= or ?schema_id=")
            }
            return self == .recordName ? recordName : "\(topic)-\(recordName)"
        }
    }

    /// The key subject for `topic` (`{topic}-key`; keys are looked up only by topic name).
    public static func keySubject(topic: String) -> String { "\(topic)-key" }
}
