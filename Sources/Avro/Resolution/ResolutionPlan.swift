/// Schema resolution, planned once per (writer schema, reader schema) pair: turns a value decoded
/// with the writer schema into the reader schema's shape, as the Avro specification resolves it.
///
/// Planning does all the name work (field matching by name and alias, enum symbols by name, union
/// branch choice, reader defaults converted to values) so that projecting a value only follows
/// precomputed indices. Build it once and reuse it; it is immutable and `Sendable`.
public struct ResolutionPlan: Sendable {
    /// The schema values given to ``project(_:)`` were written with.
    public let writer: AvroSchema
    /// The schema ``project(_:)`` returns values of.
    public let reader: AvroSchema
    /// The step from the writer's root to the reader's (the direct decoder compiles it too).
    let root: ProjectionStep
    /// Record projections, by the index a ``ProjectionStep/record(_:)`` step holds; an index
    /// rather than a nested value so recursive types can refer back to themselves.
    let records: [RecordProjection]

    /// Plans the resolution of `writer` data into `reader` shape.
    /// - Throws: ``ResolutionError`` with code ``ResolutionError/Code/incompatibleSchemas`` and the
    ///   reasons when the reader cannot read the writer, or ``ResolutionError/Code/invalidReaderDefault``.
    public init(writer: AvroSchema, reader: AvroSchema) throws(ResolutionError) {
        self.writer = writer
        self.reader = reader
        if writer == reader {
            root = .identity
            records = []
            return
        }
        var check = ReadabilityCheck(reader: reader, writer: writer)
        let incompatibilities = check.check(reader: reader.root, writer: writer.root, path: "").map(\.withRootSlash)
        guard incompatibilities.isEmpty else {
            throw ResolutionError(code: .incompatibleSchemas, message: "the reader schema cannot read data written with the writer schema",
                                  incompatibilities: incompatibilities)
        }
        var builder = PlanBuilder(check: check)
        root = try builder.step(reader: reader.root, writer: writer.root)
        records = builder.records
    }

    /// The reader-shaped value of a value decoded with the writer schema: fields reordered, dropped
    /// and defaulted, types promoted, enum symbols mapped by name, union branches re-chosen.
    /// - Throws: ``ResolutionError`` with code ``ResolutionError/Code/valueDoesNotMatchWriter`` when
    ///   `value` is not shaped by the writer schema.
    public func project(_ value: AvroValue) throws(ResolutionError) -> AvroValue {
        try apply(root, to: value)
    }

    private func apply(_ step: ProjectionStep, to value: AvroValue) throws(ResolutionError) -> AvroValue {
        switch step {
        case .identity:
            return value
        case .intToLong:
            guard case .int(let int) = value else { throw Self.mismatch("an int", value) }
            return .long(Int64(int))
        case .intToFloat:
            guard case .int(let int) = value else { throw Self.mismatch("an int", value) }
            return .float(Float(int))
        case .intToDouble:
            guard case .int(let int) = value else { throw Self.mismatch("an int", value) }
            return .double(Double(int))
        case .longToFloat:
            guard case .long(let long) = value else { throw Self.mismatch("a long", value) }
            return .float(Float(long))
        case .longToDouble:
            guard case .long(let long) = value else { throw Self.mismatch("a long", value) }
            return .double(Double(long))
        case .floatToDouble:
            guard case .float(let float) = value else { throw Self.mismatch("a float", value) }
            return .double(Double(float))
        case .stringToBytes:
            guard case .string(let string) = value else { throw Self.mismatch("a string", value) }
            return .bytes(Array(string.utf8))
        case .bytesToString:
            guard case .bytes(let bytes) = value else { throw Self.mismatch("bytes", value) }
            return .string(String(decoding: bytes, as: UTF8.self))
        case .enumeration(let readerIndices):
            guard case .enumeration(let writerIndex) = value, readerIndices.indices.contains(writerIndex) else {
                throw Self.mismatch("a symbol of the writer's enum", value)
            }
            guard let readerIndex = readerIndices[writerIndex] else {
                throw ResolutionError(code: .valueDoesNotMatchWriter, message: "writer enum symbol \(writerIndex) has no reader symbol")
            }
            return .enumeration(readerIndex)
        case .array(let itemStep):
            guard case .array(let items) = value else { throw Self.mismatch("an array", value) }
            var projected: [AvroValue] = []
            projected.reserveCapacity(items.count)
            for item in items { projected.append(try apply(itemStep, to: item)) }
            return .array(projected)
        case .map(let valueStep):
            guard case .map(let entries) = value else { throw Self.mismatch("a map", value) }
            var projected: [AvroValue.MapEntry] = []
            projected.reserveCapacity(entries.count)
            for entry in entries { projected.append(AvroValue.MapEntry(key: entry.key, value: try apply(valueStep, to: entry.value))) }
            return .map(projected)
        case .record(let index):
            let projection = records[index]
            guard case .record(let writerValues) = value, writerValues.count == projection.writerFieldCount else {
                throw Self.mismatch("a record of \(projection.writerFieldCount) fields", value)
            }
            var readerValues: [AvroValue] = []
            readerValues.reserveCapacity(projection.fields.count)
            for source in projection.fields {
                switch source {
                case .writerField(let writerIndex, let fieldStep): readerValues.append(try apply(fieldStep, to: writerValues[writerIndex]))
                case .defaultValue(let defaultValue): readerValues.append(defaultValue)
                }
            }
            return .record(readerValues)
        case .writerUnion(let branchSteps):
            guard case .union(let branch, let branchValue) = value, branchSteps.indices.contains(branch) else {
                throw Self.mismatch("a branch of the writer's \(branchSteps.count)-branch union", value)
            }
            return try apply(branchSteps[branch], to: branchValue)
        case .readerBranch(let branch, let branchStep):
            return .union(branch, try apply(branchStep, to: value))
        }
    }

    private static func mismatch(_ expected: String, _ value: AvroValue) -> ResolutionError {
        ResolutionError(code: .valueDoesNotMatchWriter, message: "expected \(expected), as the writer schema says, but got \(value.kindName)")
    }
}

/// One precomputed step of a projection from a writer node to a reader node.
indirect enum ProjectionStep: Sendable, Equatable {
    /// The writer value already has the reader's shape.
    case identity
    case intToLong, intToFloat, intToDouble, longToFloat, longToDouble, floatToDouble, stringToBytes, bytesToString
    /// Reader symbol index by writer symbol index (`nil`: no reader symbol; only in plans the checker refused).
    case enumeration([Int?])
    case array(ProjectionStep)
    case map(ProjectionStep)
    /// The record projection at this index of the plan's table.
    case record(Int)
    /// The step for each writer branch, by branch index.
    case writerUnion([ProjectionStep])
    /// Project with the step, then wrap as this reader branch.
    case readerBranch(Int, ProjectionStep)
}

/// How to build a reader record from a writer record.
struct RecordProjection: Sendable {
    enum Source: Sendable {
        /// The writer field at this index, projected.
        case writerField(Int, ProjectionStep)
        /// The reader field's default, converted once when planning.
        case defaultValue(AvroValue)
    }

    let writerFieldCount: Int
    /// One source per reader field, in reader order.
    let fields: [Source]
}

/// Builds the steps of a plan for a pair the checker has found compatible.
private struct PlanBuilder {
    var check: ReadabilityCheck
    var records: [RecordProjection] = []
    private var recordIndices: [NamedTypePair: Int] = [:]
    /// Records whose reader shape is the writer's (every field kept, in order, unchanged): most
    /// nested records of an evolved schema; they are passed through rather than rebuilt.
    private var unchangedRecords: Set<Int> = []

    init(check: ReadabilityCheck) {
        self.check = check
    }

    mutating func step(reader readerNode: AvroNode, writer writerNode: AvroNode) throws(ResolutionError) -> ProjectionStep {
        let readerNode = check.reader.resolve(readerNode)
        let writerNode = check.writer.resolve(writerNode)
        switch (readerNode, writerNode) {
        case (.record(let readerRecord), .record(let writerRecord)):
            let index = try record(readerRecord, writerRecord)
            return unchangedRecords.contains(index) ? .identity : .record(index)
        case (.enumeration(let readerEnum), .enumeration(let writerEnum)):
            if readerEnum.symbols == writerEnum.symbols { return .identity }
            let readerIndices = Dictionary(uniqueKeysWithValues: readerEnum.symbols.enumerated().map { ($1, $0) })
            let fallback = readerEnum.defaultSymbol.flatMap { readerIndices[$0] }
            return .enumeration(writerEnum.symbols.map { readerIndices[$0] ?? fallback })
        case (.fixed, .fixed):
            return .identity
        case (.array(let readerItems), .array(let writerItems)):
            let itemStep = try step(reader: readerItems, writer: writerItems)
            return itemStep == .identity ? .identity : .array(itemStep)
        case (.map(let readerValues), .map(let writerValues)):
            let valueStep = try step(reader: readerValues, writer: writerValues)
            return valueStep == .identity ? .identity : .map(valueStep)
        case (_, .union(let writerBranches)):
            var branchSteps: [ProjectionStep] = []
            for writerBranch in writerBranches {
                branchSteps.append(try step(reader: readerNode, writer: writerBranch))
            }
            let unchanged = branchSteps.enumerated().allSatisfy { index, branchStep in branchStep == .readerBranch(index, .identity) }
            if case .union(let readerBranches) = readerNode, readerBranches.count == writerBranches.count, unchanged { return .identity }
            return .writerUnion(branchSteps)
        case (.union(let readerBranches), _):
            guard let branch = readerBranch(readerBranches, for: writerNode) else { throw unplannable(readerNode, writerNode) }
            return .readerBranch(branch, try step(reader: readerBranches[branch], writer: writerNode))
        default:
            return try primitive(readerNode, writerNode)
        }
    }

    /// The reader branch that reads a (non-union) writer type: among the branches that read it,
    /// the first of the same type (and, for named types, the same unqualified name), else the first
    /// that reads it by promotion or alias. Like Java's resolver, an exact match beats an earlier
    /// promotion (writer `int` into reader `["long", "int"]` picks `int`).
    private mutating func readerBranch(_ readerBranches: [AvroNode], for writerNode: AvroNode) -> Int? {
        var firstReadable: Int?
        for (index, branch) in readerBranches.enumerated() where check.reads(reader: branch, writer: writerNode) {
            let branch = check.reader.resolve(branch)
            let sameName = branch.fullName.map { _ in Self.simpleName(branch) == Self.simpleName(writerNode) } ?? true
            if branch.typeName == writerNode.typeName && sameName { return index }
            if firstReadable == nil { firstReadable = index }
        }
        return firstReadable
    }

    private static func simpleName(_ node: AvroNode) -> String? {
        switch node {
        case .record(let record): record.name.name
        case .enumeration(let enumeration): enumeration.name.name
        case .fixed(let fixed): fixed.name.name
        default: nil
        }
    }

    private mutating func record(_ readerRecord: RecordSchema, _ writerRecord: RecordSchema) throws(ResolutionError) -> Int {
        let pair = NamedTypePair(reader: readerRecord.name.fullName, writer: writerRecord.name.fullName)
        if let index = recordIndices[pair] { return index }
        let index = records.count
        records.append(RecordProjection(writerFieldCount: writerRecord.fields.count, fields: []))
        recordIndices[pair] = index
        var sources: [RecordProjection.Source] = []
        for readerField in readerRecord.fields {
            if let writerIndex = ReadabilityCheck.writerFieldIndex(for: readerField, in: writerRecord) {
                sources.append(.writerField(writerIndex, try step(reader: readerField.type, writer: writerRecord.fields[writerIndex].type)))
            } else if let defaultJSON = readerField.defaultValue {
                do {
                    sources.append(.defaultValue(try AvroValue(defaultJSON: defaultJSON, for: readerField.type, in: check.reader)))
                } catch {
                    throw ResolutionError(code: .invalidReaderDefault,
                                          message: "reader field `\(readerField.name)` of \(readerRecord.name.fullName): \(error.message) at \(error.path)")
                }
            } else {
                throw ResolutionError(code: .incompatibleSchemas,
                                      message: "reader field `\(readerField.name)` has no default and is missing from the writer")
            }
        }
        records[index] = RecordProjection(writerFieldCount: writerRecord.fields.count, fields: sources)
        let unchanged = sources.count == writerRecord.fields.count && sources.enumerated().allSatisfy { position, source in
            if case .writerField(position, .identity) = source { true } else { false }
        }
        if unchanged { unchangedRecords.insert(index) }
        return index
    }

    private func primitive(_ readerNode: AvroNode, _ writerNode: AvroNode) throws(ResolutionError) -> ProjectionStep {
        switch (readerNode, writerNode) {
        case (.null, .null), (.boolean, .boolean), (.int, .int), (.long, .long), (.float, .float),
             (.double, .double), (.bytes, .bytes), (.string, .string):
            return .identity
        case (.long, .int): return .intToLong
        case (.float, .int): return .intToFloat
        case (.double, .int): return .intToDouble
        case (.float, .long): return .longToFloat
        case (.double, .long): return .longToDouble
        case (.double, .float): return .floatToDouble
        case (.bytes, .string): return .stringToBytes
        case (.string, .bytes): return .bytesToString
        default: throw unplannable(readerNode, writerNode)
        }
    }

    /// A pair the checker should have refused; never reached for a compatible pair, but planning
    /// reports it rather than trapping.
    private func unplannable(_ readerNode: AvroNode, _ writerNode: AvroNode) -> ResolutionError {
        ResolutionError(code: .incompatibleSchemas,
                        message: "the reader's \(ReadabilityCheck.describe(readerNode)) cannot read the writer's \(ReadabilityCheck.describe(writerNode))")
    }
}

extension AvroValue {
    /// The value's case, for error messages.
    fileprivate var kindName: String {
        switch self {
        case .null: "null"
        case .boolean: "a boolean"
        case .int: "an int"
        case .long: "a long"
        case .float: "a float"
        case .double: "a double"
        case .bytes: "bytes"
        case .string: "a string"
        case .fixed: "a fixed"
        case .enumeration: "an enum symbol"
        case .array: "an array"
        case .map: "a map"
        case .record: "a record"
        case .union: "a union branch"
        }
    }
}
