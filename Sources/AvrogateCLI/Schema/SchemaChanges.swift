import Avro

/// One difference between two versions of a schema, for people reviewing an evolution.
struct SchemaChange: Encodable, Hashable {
    enum Kind: String, Encodable {
        case fieldAdded
        case fieldRemoved
        case fieldRenamed
        case typeChanged
        case defaultAdded
        case defaultRemoved
        case symbolsAdded
        case symbolsRemoved
        case branchesAdded
        case branchesRemoved
        case nameChanged
    }

    var kind: Kind
    /// Where: the record's full name and the field path, e.g. `shop.Order.lines[].discount`.
    var path: String
    /// What changed, in words.
    var detail: String

    /// `path: detail`, one line.
    var summary: String { "\(path): \(detail)" }
}

/// Walks an old and a new schema side by side and lists how they differ, field by field.
struct SchemaChanges {
    private let old: AvroSchema
    private let new: AvroSchema
    private var changes: [SchemaChange] = []
    /// Named types already compared, so recursive types are walked once.
    private var compared: Set<[String]> = []

    /// The changes from `old` to `new`, in the order of the new schema's fields.
    static func between(old: AvroSchema, new: AvroSchema) -> [SchemaChange] {
        var walker = SchemaChanges(old: old, new: new)
        let path = new.resolve(new.root).fullName ?? old.resolve(old.root).fullName ?? ""
        walker.compare(old.root, new.root, path: path)
        return walker.changes
    }

    private init(old: AvroSchema, new: AvroSchema) {
        self.old = old
        self.new = new
    }

    private mutating func compare(_ oldNode: AvroNode, _ newNode: AvroNode, path: String) {
        let oldNode = old.resolve(oldNode)
        let newNode = new.resolve(newNode)
        switch (oldNode, newNode) {
        case (.record(let oldRecord), .record(let newRecord)):
            guard compared.insert([oldRecord.name.fullName, newRecord.name.fullName]).inserted else { return }
            noteRename(oldRecord.name.fullName, newRecord.name.fullName, aliases: newRecord.aliases, kind: "record", path: path)
            compareFields(oldRecord, newRecord, path: path)
        case (.enumeration(let oldEnum), .enumeration(let newEnum)):
            guard compared.insert([oldEnum.name.fullName, newEnum.name.fullName]).inserted else { return }
            noteRename(oldEnum.name.fullName, newEnum.name.fullName, aliases: newEnum.aliases, kind: "enum", path: path)
            let added = newEnum.symbols.filter { !oldEnum.symbols.contains($0) }
            let removed = oldEnum.symbols.filter { !newEnum.symbols.contains($0) }
            if !added.isEmpty { note(.symbolsAdded, path, "enum symbols added: \(added.joined(separator: ", "))") }
            if !removed.isEmpty { note(.symbolsRemoved, path, "enum symbols removed: \(removed.joined(separator: ", "))") }
        case (.array(let oldItems), .array(let newItems)):
            compare(oldItems, newItems, path: path + "[]")
        case (.map(let oldValues), .map(let newValues)):
            compare(oldValues, newValues, path: path + "{}")
        case (.union(let oldBranches), .union(let newBranches)):
            let oldKeys = oldBranches.map(branchKey(in: old))
            let newKeys = newBranches.map(branchKey(in: new))
            let added = newKeys.filter { !oldKeys.contains($0) }
            let removed = oldKeys.filter { !newKeys.contains($0) }
            if !added.isEmpty { note(.branchesAdded, path, "union branches added: \(added.joined(separator: ", "))") }
            if !removed.isEmpty { note(.branchesRemoved, path, "union branches removed: \(removed.joined(separator: ", "))") }
            for (newIndex, key) in newKeys.enumerated() {
                if let oldIndex = oldKeys.firstIndex(of: key) { compare(oldBranches[oldIndex], newBranches[newIndex], path: path) }
            }
        default:
            let from = Self.describe(oldNode, in: old)
            let to = Self.describe(newNode, in: new)
            if from != to { note(.typeChanged, path, "type changed from \(from) to \(to)") }
        }
    }

    private mutating func compareFields(_ oldRecord: RecordSchema, _ newRecord: RecordSchema, path: String) {
        var matched: Set<String> = []
        for field in newRecord.fields {
            let fieldPath = path + "." + field.name
            let previous = oldRecord.fields.first { $0.name == field.name }
                ?? oldRecord.fields.first { field.aliases.contains($0.name) }
            guard let previous else {
                let type = Self.describe(field.type, in: new)
                if let value = field.defaultValue {
                    note(.fieldAdded, fieldPath, "field added (\(type)), default \(value.jsonText)")
                } else {
                    note(.fieldAdded, fieldPath, "field added (\(type)) without a default")
                }
                continue
            }
            matched.insert(previous.name)
            if previous.name != field.name { note(.fieldRenamed, fieldPath, "field renamed from \(previous.name) (kept as an alias)") }
            compare(previous.type, field.type, path: fieldPath)
            switch (previous.defaultValue, field.defaultValue) {
            case (nil, let value?): note(.defaultAdded, fieldPath, "default added: \(value.jsonText)")
            case (_?, nil): note(.defaultRemoved, fieldPath, "default removed")
            default: break
            }
        }
        for field in oldRecord.fields where !matched.contains(field.name) {
            note(.fieldRemoved, path + "." + field.name, "field removed (was \(Self.describe(field.type, in: old)))")
        }
    }

    private mutating func noteRename(_ oldName: String, _ newName: String, aliases: [String], kind: String, path: String) {
        guard oldName != newName else { return }
        let alias = aliases.contains(oldName) || aliases.contains { oldName.hasSuffix("." + $0) } ? " (old name kept as an alias)" : ""
        note(.nameChanged, path, "\(kind) renamed from \(oldName) to \(newName)\(alias)")
    }

    private mutating func note(_ kind: SchemaChange.Kind, _ path: String, _ detail: String) {
        changes.append(SchemaChange(kind: kind, path: path, detail: detail))
    }

    private func branchKey(in schema: AvroSchema) -> (AvroNode) -> String {
        { node in Self.describe(node, in: schema) }
    }

    /// A short name for a type: `long`, `timestamp-millis long`, `shop.Money`, `array<string>`, `[null, string]`.
    static func describe(_ node: AvroNode, in schema: AvroSchema) -> String {
        switch node {
        case .record, .enumeration, .fixed, .reference:
            return node.fullName ?? node.typeName
        case .array(let items):
            return "array<\(describe(items, in: schema))>"
        case .map(let values):
            return "map<\(describe(values, in: schema))>"
        case .union(let branches):
            return "[" + branches.map { describe($0, in: schema) }.joined(separator: ", ") + "]"
        default:
            return node.logicalType.map { "\($0.name) \(node.typeName)" } ?? node.typeName
        }
    }
}
