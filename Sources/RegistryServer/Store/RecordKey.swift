import Avro

/// The key of a record in the schemas topic, in Confluent Schema Registry's format. Compaction
/// compares key bytes, so ``bytes`` writes the properties in Confluent's order, without spaces,
/// exactly as Confluent (and Karapace) write them.
enum RecordKey: Sendable, Hashable {
    /// `{"keytype":"SCHEMA","subject":"s","version":1,"magic":1}`: one version of a subject.
    case schema(subject: String, version: Int)
    /// `{"keytype":"CONFIG","subject":null,"magic":0}`: the global (`nil`) or a subject's compatibility level.
    case config(subject: String?)
    /// `{"keytype":"MODE","subject":null,"magic":0}`: the global (`nil`) or a subject's mode.
    case mode(subject: String?)
    /// `{"keytype":"DELETE_SUBJECT","subject":"s","magic":0}`: a soft delete of a subject's versions.
    case deleteSubject(subject: String)
    /// `{"keytype":"CLEAR_SUBJECT","subject":"s","magic":0}`: removes a subject's soft-deleted versions.
    case clearSubject(subject: String)
    /// `{"keytype":"NOOP","magic":0}`: a marker that changes nothing (written to find the log's end).
    case noop
    /// A key type this registry does not use (contexts, tags, …); records with it are skipped.
    case other(String)

    var bytes: [UInt8] {
        var out = "{\"keytype\":"
        switch self {
        case .schema(let subject, let version):
            out += "\"SCHEMA\",\"subject\":"
            JSONValue.writeString(subject, to: &out)
            out += ",\"version\":\(version),\"magic\":1}"
        case .config(let subject):
            out += "\"CONFIG\",\"subject\":"
            Self.write(optional: subject, to: &out)
            out += ",\"magic\":0}"
        case .mode(let subject):
            out += "\"MODE\",\"subject\":"
            Self.write(optional: subject, to: &out)
            out += ",\"magic\":0}"
        case .deleteSubject(let subject):
            out += "\"DELETE_SUBJECT\",\"subject\":"
            JSONValue.writeString(subject, to: &out)
            out += ",\"magic\":0}"
        case .clearSubject(let subject):
            out += "\"CLEAR_SUBJECT\",\"subject\":"
            JSONValue.writeString(subject, to: &out)
            out += ",\"magic\":0}"
        case .noop:
            out += "\"NOOP\",\"magic\":0}"
        case .other(let type):
            JSONValue.writeString(type, to: &out)
            out += ",\"magic\":0}"
        }
        return Array(out.utf8)
    }

    /// Reads a key in any property order; `nil` when the bytes are not a registry key at all.
    init?(bytes: [UInt8]) {
        guard let json = try? JSONValue.parse(String(decoding: bytes, as: UTF8.self)),
              case .string(let type)? = json["keytype"] else { return nil }
        let subject = json["subject"]?.stringValue
        switch type {
        case "SCHEMA":
            guard let subject, let version = json["version"]?.integerValue else { return nil }
            self = .schema(subject: subject, version: Int(version))
        case "CONFIG": self = .config(subject: subject)
        case "MODE": self = .mode(subject: subject)
        case "DELETE_SUBJECT":
            guard let subject else { return nil }
            self = .deleteSubject(subject: subject)
        case "CLEAR_SUBJECT":
            guard let subject else { return nil }
            self = .clearSubject(subject: subject)
        case "NOOP": self = .noop
        default: self = .other(type)
        }
    }

    private static func write(optional subject: String?, to out: inout String) {
        if let subject { JSONValue.writeString(subject, to: &out) } else { out += "null" }
    }
}
