/// Decides whether a reader schema can read what a writer schema wrote, by the Avro
/// specification's resolution rules, as Avro's Java `SchemaCompatibility` applies them:
///
/// - primitives match themselves and the promotions int→long/float/double, long→float/double,
///   float→double, string↔bytes; logical types are ignored (Java ignores them too, so a
///   decimal's precision or scale may change without an incompatibility);
/// - named types match by unqualified name, or by a reader alias equal to the writer's full name;
/// - records match field by field: a reader field is found in the writer by its name, then by its
///   aliases; a reader field missing from the writer needs a default; writer-only fields are skipped;
/// - a writer union is readable when each of its branches is; a reader union reads a writer type
///   when one of its branches does.
///
/// Locations are paths in the reader schema, built while walking it; the root is the empty path
/// here and `/` once reported.
struct ReadabilityCheck {
    let reader: AvroSchema
    let writer: AvroSchema

    /// A record pair is checked once: the result is kept relative to the pair and re-rooted at each use.
    /// A pair met again while its own check is in progress (a recursive type) is taken as readable,
    /// as Java does: any incompatibility in it is reported by the check in progress.
    private enum Memo {
        case inProgress(depth: Int)
        case done([Incompatibility])
    }
    private var memo: [NamedTypePair: Memo] = [:]
    private var depth = 0
    /// The shallowest in-progress pair the current check has taken as readable. A result that
    /// leaned on an outer pair's assumption is not kept, so every kept result is exact.
    private var shallowestAssumption = Int.max

    init(reader: AvroSchema, writer: AvroSchema) {
        self.reader = reader
        self.writer = writer
    }

    /// The incompatibilities of reading `writerNode` with `readerNode`, located under `path`.
    /// `field` is the nearest enclosing reader field, to name it in messages.
    mutating func check(reader readerNode: AvroNode, writer writerNode: AvroNode, path: String, field: String? = nil) -> [Incompatibility] {
        let readerNode = reader.resolve(readerNode)
        let writerNode = writer.resolve(writerNode)
        switch (readerNode, writerNode) {
        case (.record(let readerRecord), .record(let writerRecord)):
            let pair = NamedTypePair(reader: readerRecord.name.fullName, writer: writerRecord.name.fullName)
            return checkOnce(pair) { check in check.records(readerRecord, writerRecord) }.map { $0.located(under: path) }
        case (.enumeration(let readerEnum), .enumeration(let writerEnum)):
            return enumerations(readerEnum, writerEnum, path: path)
        case (.fixed(let readerFixed), .fixed(let writerFixed)):
            return fixed(readerFixed, writerFixed, path: path)
        case (.array(let readerItems), .array(let writerItems)):
            return check(reader: readerItems, writer: writerItems, path: path + "/items", field: field)
        case (.map(let readerValues), .map(let writerValues)):
            return check(reader: readerValues, writer: writerValues, path: path + "/values", field: field)
        case (.union(let readerBranches), .union(let writerBranches)):
            // Each writer branch must be readable by the reader's union; an unreadable one is
            // reported as a missing branch, at the writer branch's index, as Java does.
            var found: [Incompatibility] = []
            for (index, writerBranch) in writerBranches.enumerated() where !readerUnionReads(readerBranches, writerBranch) {
                found.append(missingUnionBranch(readerBranches, writerBranch, path: "\(path)/\(index)", field: field))
            }
            return found
        case (_, .union(let writerBranches)):
            return writerBranches.enumerated().flatMap { index, writerBranch in
                check(reader: readerNode, writer: writerBranch, path: "\(path)/\(index)", field: field)
            }
        case (.union(let readerBranches), _):
            if readerUnionReads(readerBranches, writerNode) { return [] }
            return [missingUnionBranch(readerBranches, writerNode, path: path, field: field)]
        default:
            if Self.primitiveReads(readerNode, writerNode) { return [] }
            return [typeMismatch(readerNode, writerNode, path: path, field: field)]
        }
    }

    /// Whether the reader node reads the writer node with no incompatibility.
    mutating func reads(reader readerNode: AvroNode, writer writerNode: AvroNode) -> Bool {
        check(reader: readerNode, writer: writerNode, path: "").isEmpty
    }

    private mutating func readerUnionReads(_ readerBranches: [AvroNode], _ writerNode: AvroNode) -> Bool {
        readerBranches.contains { reads(reader: $0, writer: writerNode) }
    }

    /// Same primitive type (logical types aside) or a promotion the specification allows.
    static func primitiveReads(_ readerNode: AvroNode, _ writerNode: AvroNode) -> Bool {
        switch (readerNode, writerNode) {
        case (.null, .null), (.boolean, .boolean), (.int, .int), (.long, .long), (.float, .float),
             (.double, .double), (.bytes, .bytes), (.string, .string):
            return true
        case (.long, .int), (.float, .int), (.float, .long), (.double, .int), (.double, .long),
             (.double, .float), (.bytes, .string), (.string, .bytes):
            return true
        default:
            return false
        }
    }

    /// Unqualified names equal, or a reader alias (full name) equal to the writer's full name.
    static func namesMatch(reader: AvroName, aliases: [String], writer: AvroName) -> Bool {
        reader.name == writer.name || aliases.contains(writer.fullName)
    }

    private mutating func checkOnce(_ pair: NamedTypePair, _ body: (inout ReadabilityCheck) -> [Incompatibility]) -> [Incompatibility] {
        switch memo[pair] {
        case .done(let result)?:
            return result
        case .inProgress(let pairDepth)?:
            shallowestAssumption = min(shallowestAssumption, pairDepth)
            return []
        case nil:
            let ownDepth = depth
            let outerAssumption = shallowestAssumption
            memo[pair] = .inProgress(depth: ownDepth)
            depth += 1
            shallowestAssumption = Int.max
            let result = body(&self)
            depth -= 1
            if shallowestAssumption >= ownDepth {
                memo[pair] = .done(result)
                shallowestAssumption = outerAssumption
            } else {
                memo[pair] = nil
                shallowestAssumption = min(outerAssumption, shallowestAssumption)
            }
            return result
        }
    }

    private mutating func records(_ readerRecord: RecordSchema, _ writerRecord: RecordSchema) -> [Incompatibility] {
        var found: [Incompatibility] = []
        if !Self.namesMatch(reader: readerRecord.name, aliases: readerRecord.aliases, writer: writerRecord.name) {
            found.append(nameMismatch("record", readerRecord.name, writerRecord.name, path: ""))
        }
        for (index, readerField) in readerRecord.fields.enumerated() {
            let fieldPath = "/fields/\(index)"
            if let writerIndex = Self.writerFieldIndex(for: readerField, in: writerRecord) {
                found += check(reader: readerField.type, writer: writerRecord.fields[writerIndex].type,
                               path: fieldPath + "/type", field: readerField.name)
            } else if readerField.defaultValue == nil {
                found.append(Incompatibility(
                    kind: .readerFieldMissingDefault, location: fieldPath,
                    message: "reader field `\(readerField.name)` has no default and is missing from the writer",
                    additionalInfo: readerField.name))
            }
        }
        return found
    }

    /// The writer field a reader field reads: by the reader field's name, then by its aliases.
    static func writerFieldIndex(for readerField: FieldSchema, in writerRecord: RecordSchema) -> Int? {
        if let index = writerRecord.fieldIndex(named: readerField.name) { return index }
        for alias in readerField.aliases {
            if let index = writerRecord.fieldIndex(named: alias) { return index }
        }
        return nil
    }

    private func enumerations(_ readerEnum: EnumSchema, _ writerEnum: EnumSchema, path: String) -> [Incompatibility] {
        var found: [Incompatibility] = []
        if !Self.namesMatch(reader: readerEnum.name, aliases: readerEnum.aliases, writer: writerEnum.name) {
            found.append(nameMismatch("enum", readerEnum.name, writerEnum.name, path: path))
        }
        let readerSymbols = Set(readerEnum.symbols)
        let missing = writerEnum.symbols.filter { !readerSymbols.contains($0) }.sorted()
        if !missing.isEmpty && readerEnum.defaultSymbol == nil {
            let listed = missing.map { "`\($0)`" }.joined(separator: ", ")
            let sentence = missing.count == 1
                ? "writer's enum symbol \(listed) is not in the reader's enum `\(readerEnum.name.fullName)` and it has no default"
                : "writer's enum symbols \(listed) are not in the reader's enum `\(readerEnum.name.fullName)` and it has no default"
            found.append(Incompatibility(kind: .missingEnumSymbols, location: path + "/symbols", message: sentence,
                                         additionalInfo: "[" + missing.joined(separator: ", ") + "]"))
        }
        return found
    }

    private func fixed(_ readerFixed: FixedSchema, _ writerFixed: FixedSchema, path: String) -> [Incompatibility] {
        var found: [Incompatibility] = []
        if !Self.namesMatch(reader: readerFixed.name, aliases: readerFixed.aliases, writer: writerFixed.name) {
            found.append(nameMismatch("fixed", readerFixed.name, writerFixed.name, path: path))
        }
        if readerFixed.size != writerFixed.size {
            found.append(Incompatibility(
                kind: .fixedSizeMismatch, location: path + "/size",
                message: "the reader's fixed `\(readerFixed.name.fullName)` has \(readerFixed.size) bytes but the writer's has \(writerFixed.size)",
                additionalInfo: "expected: \(writerFixed.size), found: \(readerFixed.size)"))
        }
        return found
    }

    private func nameMismatch(_ typeName: String, _ readerName: AvroName, _ writerName: AvroName, path: String) -> Incompatibility {
        Incompatibility(
            kind: .nameMismatch, location: path + "/name",
            message: "the reader's \(typeName) `\(readerName.fullName)` does not match the writer's `\(writerName.fullName)` by name and has no alias for it",
            additionalInfo: "expected: \(writerName.fullName)")
    }

    private func typeMismatch(_ readerNode: AvroNode, _ writerNode: AvroNode, path: String, field: String?) -> Incompatibility {
        Incompatibility(
            kind: .typeMismatch, location: path,
            message: Self.inField(field) + "the reader's \(Self.describe(readerNode)) cannot read the writer's \(Self.describe(writerNode))",
            additionalInfo: "reader type: \(Self.javaTypeName(readerNode)) not compatible with writer type: \(Self.javaTypeName(writerNode))")
    }

    private func missingUnionBranch(_ readerBranches: [AvroNode], _ writerNode: AvroNode, path: String, field: String?) -> Incompatibility {
        let branches = readerBranches.map { Self.describe(reader.resolve($0)) }.joined(separator: ", ")
        return Incompatibility(
            kind: .missingUnionBranch, location: path,
            message: Self.inField(field) + "no branch of the reader's union (\(branches)) can read the writer's \(Self.describe(writer.resolve(writerNode)))",
            additionalInfo: "reader union lacking writer type: \(Self.javaTypeName(writer.resolve(writerNode)))")
    }

    private static func inField(_ field: String?) -> String {
        field.map { "in field `\($0)`, " } ?? ""
    }

    /// A node for a sentence: "`int`", "record `com.example.Order`", "array", "union".
    static func describe(_ node: AvroNode) -> String {
        switch node {
        case .record, .enumeration, .fixed: "\(node.typeName) `\(node.fullName ?? "")`"
        case .array, .map, .union: node.typeName
        default: "`\(node.typeName)`"
        }
    }

    /// Java's `Schema.Type` name (`INT`, `RECORD`, ...), as Java's messages use it.
    private static func javaTypeName(_ node: AvroNode) -> String {
        node.typeName.uppercased()
    }
}

/// A reader named type and a writer named type, by full name.
struct NamedTypePair: Hashable {
    let reader: String
    let writer: String
}
