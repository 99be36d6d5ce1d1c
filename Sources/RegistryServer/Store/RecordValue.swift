import Avro
import Registry

/// The value of a `SCHEMA` record: one version of a subject, in Confluent's format.
struct SchemaRecordValue: Sendable, Hashable {
    var subject: String
    var version: Int
    var id: Int
    /// `AVRO` unless the record says otherwise.
    var schemaType: String
    var references: [SchemaReference]
    var schema: String
    var deleted: Bool

    var bytes: [UInt8] {
        var out = "{\"subject\":"
        JSONValue.writeString(subject, to: &out)
        out += ",\"version\":\(version),\"id\":\(id)"
        if schemaType != RegistryAPI.avroSchemaType {
            out += ",\"schemaType\":"
            JSONValue.writeString(schemaType, to: &out)
        }
        if !references.isEmpty {
            out += ",\"references\":"
            RecordJSON.write(references, to: &out)
        }
        out += ",\"schema\":"
        JSONValue.writeString(schema, to: &out)
        out += ",\"deleted\":\(deleted)}"
        return Array(out.utf8)
    }

    init(subject: String, version: Int, id: Int, schemaType: String, references: [SchemaReference], schema: String, deleted: Bool) {
        self.subject = subject
        self.version = version
        self.id = id
        self.schemaType = schemaType
        self.references = references
        self.schema = schema
        self.deleted = deleted
    }

    init?(bytes: [UInt8]) {
        guard let json = RecordJSON.parse(bytes),
              let subject = json["subject"]?.stringValue,
              let version = json["version"]?.integerValue,
              let id = json["id"]?.integerValue,
              let schema = json["schema"]?.stringValue else { return nil }
        self.subject = subject
        self.version = Int(version)
        self.id = Int(id)
        self.schemaType = json["schemaType"]?.stringValue ?? RegistryAPI.avroSchemaType
        self.references = RecordJSON.references(json["references"])
        self.schema = schema
        if case .bool(let deleted)? = json["deleted"] { self.deleted = deleted } else { self.deleted = false }
    }
}

/// The value of a `CONFIG` record: `{"compatibilityLevel":"BACKWARD"}` (Confluent may add more properties).
struct ConfigRecordValue: Sendable, Hashable {
    var compatibilityLevel: String?

    var bytes: [UInt8] {
        var out = "{\"compatibilityLevel\":"
        if let compatibilityLevel { JSONValue.writeString(compatibilityLevel, to: &out) } else { out += "null" }
        out += "}"
        return Array(out.utf8)
    }

    init(compatibilityLevel: String?) {
        self.compatibilityLevel = compatibilityLevel
    }

    init?(bytes: [UInt8]) {
        guard let json = RecordJSON.parse(bytes) else { return nil }
        compatibilityLevel = json["compatibilityLevel"]?.stringValue
    }
}

/// The value of a `MODE` record: `{"mode":"READONLY"}`.
struct ModeRecordValue: Sendable, Hashable {
    var mode: String

    var bytes: [UInt8] {
        var out = "{\"mode\":"
        JSONValue.writeString(mode, to: &out)
        out += "}"
        return Array(out.utf8)
    }

    init(mode: String) {
        self.mode = mode
    }

    init?(bytes: [UInt8]) {
        guard let json = RecordJSON.parse(bytes), let mode = json["mode"]?.stringValue else { return nil }
        self.mode = mode
    }
}

/// The value of a `DELETE_SUBJECT` record: versions up to `version` are soft-deleted.
struct DeleteSubjectRecordValue: Sendable, Hashable {
    var subject: String
    var version: Int

    var bytes: [UInt8] {
        var out = "{\"subject\":"
        JSONValue.writeString(subject, to: &out)
        out += ",\"version\":\(version)}"
        return Array(out.utf8)
    }

    init(subject: String, version: Int) {
        self.subject = subject
        self.version = version
    }

    init?(bytes: [UInt8]) {
        guard let json = RecordJSON.parse(bytes), let subject = json["subject"]?.stringValue,
              let version = json["version"]?.integerValue else { return nil }
        self.subject = subject
        self.version = Int(version)
    }
}

/// JSON helpers shared by the record values.
enum RecordJSON {
    static func parse(_ bytes: [UInt8]) -> JSONValue? {
        try? JSONValue.parse(String(decoding: bytes, as: UTF8.self))
    }

    static func write(_ references: [SchemaReference], to out: inout String) {
        out += "["
        for (index, reference) in references.enumerated() {
            if index > 0 { out += "," }
            out += "{\"name\":"
            JSONValue.writeString(reference.name, to: &out)
            out += ",\"subject\":"
            JSONValue.writeString(reference.subject, to: &out)
            out += ",\"version\":\(reference.version)}"
        }
        out += "]"
    }

    static func references(_ json: JSONValue?) -> [SchemaReference] {
        guard let items = json?.arrayValue else { return [] }
        return items.compactMap { item in
            guard let name = item["name"]?.stringValue, let subject = item["subject"]?.stringValue,
                  let version = item["version"]?.integerValue else { return nil }
            return SchemaReference(name: name, subject: subject, version: Int(version))
        }
    }
}
