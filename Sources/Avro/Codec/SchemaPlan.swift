/// A schema compiled once into flat tables for the encoder's, decoder's and JSON writer's walks.
///
/// Every table element is plain data (integers that index other tables), so a walk reads the
/// plan without touching a reference count, and recursive schemas need no reference cycles.
/// Everything a walk looks up per event is prepared here: field names and enum symbols as hash
/// tables over bytes, union branches by JSON kind, JSON text of field names and symbols.
struct SchemaPlan: Sendable {
    struct Node: Sendable {
        enum Kind: UInt8, Sendable {
            case null, boolean, int, long, float, double, bytes, string, fixed, enumeration, array, map, record, union
        }

        var kind: Kind
        var logical: Logical
        /// array: the items node; map: the values node; record, enum, union, fixed: the index
        /// in `records`, `enums`, `unions` or `fixeds`.
        var detail: Int32
        /// fixed: the size in bytes.
        var size: Int32
        /// decimal: precision and scale.
        var precision: Int32
        var scale: Int32
        /// A lower bound of the encoded size of any datum of this node, in bytes.
        var minimumSize: Int
    }

    /// The logical types the walks treat specially; others are encoded as their underlying type.
    enum Logical: UInt8, Sendable {
        case none, decimal, uuid, date, timeMillis, timeMicros
        case timestampMillis, timestampMicros, timestampNanos
        case localTimestampMillis, localTimestampMicros, localTimestampNanos

        /// For timestamps and times: units per second, fraction digits, whether the value has a zone.
        var timeUnit: (perSecond: Int64, digits: Int, zoned: Bool)? {
            switch self {
            case .timestampMillis: (1000, 3, true)
            case .timestampMicros: (1_000_000, 6, true)
            case .timestampNanos: (1_000_000_000, 9, true)
            case .localTimestampMillis: (1000, 3, false)
            case .localTimestampMicros: (1_000_000, 6, false)
            case .localTimestampNanos: (1_000_000_000, 9, false)
            case .timeMillis: (1000, 3, false)
            case .timeMicros: (1_000_000, 6, false)
            default: nil
            }
        }
    }

    /// A span of `indexPool`, `fields` or `symbols`.
    struct Span: Sendable {
        var start: Int32
        var count: Int32

        var range: Range<Int> { Int(start) ..< Int(start) + Int(count) }
    }

    struct Record: Sendable {
        /// Index in `names`.
        var name: Int32
        /// The fields, in `fields`.
        var fields: Span
        /// The table (in `tables`) from field name to field index.
        var lookup: Int32
    }

    struct Field: Sendable {
        var type: Int32
        /// The default's node in `defaults`, or -1 when the field has none.
        var defaultNode: Int32
        /// Index in `names`.
        var name: Int32
        /// `"name":` as JSON text, in `jsonText`.
        var jsonKey: Span
    }

    struct Enumeration: Sendable {
        var name: Int32
        /// The symbols' quoted JSON text, in `symbols`.
        var symbols: Span
        /// The table (in `tables`) from symbol to index.
        var lookup: Int32
    }

    struct Union: Sendable {
        /// The branch nodes, in `indexPool`.
        var branches: Span
        /// The table (in `tables`) from branch name (type name, full name, or a simple name no
        /// other branch shares) to branch index.
        var lookup: Int32
        var nullBranch: Int32
        var booleanBranch: Int32
        var arrayBranch: Int32
        /// Branch indices to try, in order, for each kind of natural JSON value (in `indexPool`).
        var numberCandidates: Span
        var stringCandidates: Span
        var objectCandidates: Span
    }

    private(set) var nodes: [Node] = []
    private(set) var records: [Record] = []
    private(set) var fields: [Field] = []
    private(set) var enums: [Enumeration] = []
    private(set) var unions: [Union] = []
    /// fixed types: their full names' indices in `names`.
    private(set) var fixeds: [Int32] = []
    /// Union branches and candidate lists.
    private(set) var indexPool: [Int32] = []
    /// Full names, field names (for messages and paths).
    private(set) var names: [String] = []
    /// Enum symbols as JSON string literals, in `jsonText`.
    private(set) var symbols: [Span] = []
    /// Pre-escaped JSON text of field keys and enum symbols.
    private(set) var jsonText: [UInt8] = []
    private(set) var tables: [ByteKeyTable] = []
    /// Every field default, parsed once (a JSON array, one element per default).
    private(set) var defaults = JSONTape()
    /// The text `defaults` was parsed from, for error excerpts.
    private(set) var defaultsText: [UInt8] = []
    private(set) var root: Int32 = 0

    init(_ schema: AvroSchema) {
        var builder = Builder(schema: schema)
        let root = builder.compile(schema.root)
        builder.computeMinimumSizes()
        self = builder.plan
        self.root = root
        compileDefaults(builder.pendingDefaults)
    }

    fileprivate init() {}

    /// Parses every field default into one tape and points the fields at their nodes.
    private mutating func compileDefaults(_ pending: [(field: Int, value: JSONValue)]) {
        var text = "["
        for (index, entry) in pending.enumerated() {
            if index > 0 { text += "," }
            entry.value.write(to: &text)
        }
        text += "]"
        defaultsText = Array(text.utf8)
        // The schema parser produced this JSON from parsed JSON, so it parses.
        try! defaultsText.withUnsafeBytes { try defaults.parse($0, maxDepth: Int(Int32.max)) }
        var node = 1
        for entry in pending {
            fields[entry.field].defaultNode = Int32(node)
            node = defaults.next(after: node)
        }
    }

    // MARK: Lookups

    @inline(__always)
    func branch(_ union: Union, _ index: Int) -> Int32 { indexPool[Int(union.branches.start) + index] }

    /// The full name of a record, enum or fixed node.
    func fullName(_ node: Node) -> String {
        switch node.kind {
        case .record: names[Int(records[Int(node.detail)].name)]
        case .enumeration: names[Int(enums[Int(node.detail)].name)]
        case .fixed: names[Int(fixeds[Int(node.detail)])]
        default: ""
        }
    }

    /// The name a union branch of this node is known by in the Avro JSON encoding.
    func branchName(_ index: Int32) -> String {
        let node = nodes[Int(index)]
        switch node.kind {
        case .record, .enumeration, .fixed: return fullName(node)
        case .null: return "null"
        case .boolean: return "boolean"
        case .int: return "int"
        case .long: return "long"
        case .float: return "float"
        case .double: return "double"
        case .bytes: return "bytes"
        case .string: return "string"
        case .array: return "array"
        case .map: return "map"
        case .union: return "union"
        }
    }

    /// An enum's symbols as strings (for messages).
    func symbolNames(_ enumeration: Enumeration) -> [String] {
        enumeration.symbols.range.map { index in
            let span = symbols[index]
            return String(decoding: jsonText[Int(span.start) + 1 ..< Int(span.start) + Int(span.count) - 1], as: UTF8.self)
        }
    }

    // MARK: Building

    fileprivate mutating func add(_ node: Node) -> Int32 {
        nodes.append(node)
        return Int32(nodes.count - 1)
    }

    fileprivate mutating func setDetail(_ node: Int32, _ detail: Int32) { nodes[Int(node)].detail = detail }
    fileprivate mutating func setMinimumSize(_ node: Int, _ size: Int) { nodes[node].minimumSize = size }

    fileprivate mutating func addName(_ name: String) -> Int32 {
        names.append(name)
        return Int32(names.count - 1)
    }

    fileprivate mutating func addTable(_ keys: [(String, Int)]) -> Int32 {
        tables.append(ByteKeyTable(keys))
        return Int32(tables.count - 1)
    }

    fileprivate mutating func addJSONString(_ text: String, suffix: String = "") -> Span {
        var literal = ""
        JSONValue.writeString(text, to: &literal)
        literal += suffix
        let start = Int32(jsonText.count)
        jsonText.append(contentsOf: literal.utf8)
        return Span(start: start, count: Int32(jsonText.count) - start)
    }

    fileprivate mutating func addIndices(_ indices: [Int32]) -> Span {
        let start = Int32(indexPool.count)
        indexPool.append(contentsOf: indices)
        return Span(start: start, count: Int32(indices.count))
    }

    fileprivate mutating func addRecord(name: String, fieldNames: [String]) -> Int {
        let record = Record(name: addName(name), fields: Span(start: Int32(fields.count), count: Int32(fieldNames.count)),
                            lookup: addTable(fieldNames.enumerated().map { ($1, $0) }))
        for fieldName in fieldNames {
            fields.append(Field(type: -1, defaultNode: -1, name: addName(fieldName), jsonKey: addJSONString(fieldName, suffix: ":")))
        }
        records.append(record)
        return records.count - 1
    }

    fileprivate mutating func setFieldType(record: Int, field: Int, type: Int32) {
        fields[Int(records[record].fields.start) + field].type = type
    }

    fileprivate mutating func addEnum(name: String, symbolList: [String]) -> Int32 {
        let start = Int32(symbols.count)
        for symbol in symbolList { symbols.append(addJSONString(symbol)) }
        enums.append(Enumeration(name: addName(name), symbols: Span(start: start, count: Int32(symbolList.count)),
                                 lookup: addTable(symbolList.enumerated().map { ($1, $0) })))
        return Int32(enums.count - 1)
    }

    fileprivate mutating func addFixed(name: String) -> Int32 {
        fixeds.append(addName(name))
        return Int32(fixeds.count - 1)
    }

    fileprivate mutating func addUnion(_ union: Union) -> Int32 {
        unions.append(union)
        return Int32(unions.count - 1)
    }
}

/// Compiles the schema tree depth first; named types get their node before their children, so
/// recursive references resolve to it.
private struct Builder {
    let schema: AvroSchema
    var plan = SchemaPlan()
    var namedNodes: [String: Int32] = [:]
    var pendingDefaults: [(field: Int, value: JSONValue)] = []

    init(schema: AvroSchema) { self.schema = schema }

    private mutating func add(_ kind: SchemaPlan.Node.Kind, _ logical: SchemaPlan.Logical = .none, detail: Int32 = -1, size: Int32 = 0, decimal: (Int, Int)? = nil) -> Int32 {
        plan.add(SchemaPlan.Node(kind: kind, logical: logical, detail: detail, size: size,
                                 precision: Int32(decimal?.0 ?? 0), scale: Int32(decimal?.1 ?? 0), minimumSize: 0))
    }

    mutating func compile(_ node: AvroNode) -> Int32 {
        switch node {
        case .null: return add(.null)
        case .boolean: return add(.boolean)
        case .int(let logical):
            switch logical {
            case .date: return add(.int, .date)
            case .timeMillis: return add(.int, .timeMillis)
            default: return add(.int)
            }
        case .long(let logical):
            switch logical {
            case .timeMicros: return add(.long, .timeMicros)
            case .timestampMillis: return add(.long, .timestampMillis)
            case .timestampMicros: return add(.long, .timestampMicros)
            case .timestampNanos: return add(.long, .timestampNanos)
            case .localTimestampMillis: return add(.long, .localTimestampMillis)
            case .localTimestampMicros: return add(.long, .localTimestampMicros)
            case .localTimestampNanos: return add(.long, .localTimestampNanos)
            default: return add(.long)
            }
        case .float: return add(.float)
        case .double: return add(.double)
        case .bytes(let logical):
            if case .decimal(let precision, let scale) = logical { return add(.bytes, .decimal, decimal: (precision, scale)) }
            return add(.bytes)
        case .string(let logical):
            return add(.string, logical == .uuid ? .uuid : .none)
        case .fixed(let fixed):
            let detail = plan.addFixed(name: fixed.name.fullName)
            let index: Int32
            switch fixed.logicalType {
            case .decimal(let precision, let scale)?:
                index = add(.fixed, .decimal, detail: detail, size: Int32(fixed.size), decimal: (precision, scale))
            case .uuid?:
                index = add(.fixed, .uuid, detail: detail, size: Int32(fixed.size))
            default:
                index = add(.fixed, detail: detail, size: Int32(fixed.size))
            }
            namedNodes[fixed.name.fullName] = index
            return index
        case .enumeration(let enumeration):
            let index = add(.enumeration, detail: plan.addEnum(name: enumeration.name.fullName, symbolList: enumeration.symbols))
            namedNodes[enumeration.name.fullName] = index
            return index
        case .array(let items):
            let index = add(.array)
            plan.setDetail(index, compile(items))
            return index
        case .map(let values):
            let index = add(.map)
            plan.setDetail(index, compile(values))
            return index
        case .record(let record):
            let recordIndex = plan.addRecord(name: record.name.fullName, fieldNames: record.fields.map(\.name))
            let index = add(.record, detail: Int32(recordIndex))
            namedNodes[record.name.fullName] = index
            for (fieldIndex, field) in record.fields.enumerated() {
                plan.setFieldType(record: recordIndex, field: fieldIndex, type: compile(field.type))
                if let value = field.defaultValue {
                    pendingDefaults.append((Int(plan.records[recordIndex].fields.start) + fieldIndex, value))
                }
            }
            return index
        case .union(let branches):
            let index = add(.union)
            let compiled = branches.map { compile($0) }
            plan.setDetail(index, plan.addUnion(union(compiled)))
            return index
        case .reference(let name):
            if let index = namedNodes[name] { return index }
            // A type defined outside the schema text (a schema reference), compiled at first use.
            guard let definition = schema.namedTypes[name] else { return add(.null) }
            return compile(definition)
        }
    }

    /// The branch tables of a union: names for the wrapped form and candidates per JSON kind
    /// (see ``AvroEncoder`` for the rule).
    private mutating func union(_ branches: [Int32]) -> SchemaPlan.Union {
        var names: [(String, Int)] = []
        var simpleNames: [String: [Int]] = [:]
        var nullBranch: Int32 = -1, booleanBranch: Int32 = -1, arrayBranch: Int32 = -1
        var intBranch: Int32 = -1, longBranch: Int32 = -1, floatBranch: Int32 = -1, doubleBranch: Int32 = -1
        var stringBranch: Int32 = -1, bytesBranch: Int32 = -1, mapBranch: Int32 = -1
        var enumBranches: [Int32] = [], fixedBranches: [Int32] = [], recordBranches: [Int32] = [], decimalBranches: [Int32] = []
        for (position, nodeIndex) in branches.enumerated() {
            let branch = Int32(position)
            let node = plan.nodes[Int(nodeIndex)]
            switch node.kind {
            case .null: nullBranch = branch
            case .boolean: booleanBranch = branch
            case .int: intBranch = branch
            case .long: longBranch = branch
            case .float: floatBranch = branch
            case .double: doubleBranch = branch
            case .string: stringBranch = branch
            case .bytes:
                bytesBranch = branch
                if node.logical == .decimal { decimalBranches.append(branch) }
            case .array: arrayBranch = branch
            case .map: mapBranch = branch
            case .enumeration: enumBranches.append(branch)
            case .fixed:
                fixedBranches.append(branch)
                if node.logical == .decimal { decimalBranches.append(branch) }
            case .record: recordBranches.append(branch)
            case .union: break
            }
            let name = plan.branchName(nodeIndex)
            names.append((name, position))
            if node.kind == .record || node.kind == .enumeration || node.kind == .fixed {
                let simple = name.split(separator: ".").last.map(String.init) ?? name
                simpleNames[simple, default: []].append(position)
            }
        }
        for (simple, positions) in simpleNames where positions.count == 1 && !names.contains(where: { $0.0 == simple }) {
            names.append((simple, positions[0]))
        }
        func present(_ candidates: [Int32]) -> [Int32] { candidates.filter { $0 >= 0 } }
        func logical(_ branch: Int32) -> SchemaPlan.Logical { branch < 0 ? .none : plan.nodes[Int(branches[Int(branch)])].logical }
        let textualInt = logical(intBranch) != .none ? intBranch : -1
        let textualLong = logical(longBranch) != .none ? longBranch : -1
        return SchemaPlan.Union(
            branches: plan.addIndices(branches),
            lookup: plan.addTable(names),
            nullBranch: nullBranch,
            booleanBranch: booleanBranch,
            arrayBranch: arrayBranch,
            numberCandidates: plan.addIndices(present([intBranch, longBranch, floatBranch, doubleBranch]) + decimalBranches),
            stringCandidates: plan.addIndices(present([stringBranch]) + enumBranches
                + present([textualInt, textualLong, floatBranch, doubleBranch, bytesBranch]) + fixedBranches),
            objectCandidates: plan.addIndices(recordBranches + present([mapBranch])))
    }

    /// Fills in `minimumSize` bottom-up; a node still being computed (a recursive reference)
    /// counts as 0, which keeps every value a lower bound.
    mutating func computeMinimumSizes() {
        var state = [UInt8](repeating: 0, count: plan.nodes.count)
        var sizes = [Int](repeating: 0, count: plan.nodes.count)
        let plan = self.plan
        func size(_ index: Int) -> Int {
            if state[index] == 2 { return sizes[index] }
            if state[index] == 1 { return 0 }
            state[index] = 1
            let node = plan.nodes[index]
            let result: Int
            switch node.kind {
            case .null: result = 0
            case .boolean, .int, .long, .bytes, .string, .enumeration, .array, .map: result = 1
            case .float: result = 4
            case .double: result = 8
            case .fixed: result = Int(node.size)
            case .record:
                result = plan.records[Int(node.detail)].fields.range.reduce(0) { $0 + size(Int(plan.fields[$1].type)) }
            case .union:
                let union = plan.unions[Int(node.detail)]
                result = 1 + ((0 ..< Int(union.branches.count)).map { size(Int(plan.branch(union, $0))) }.min() ?? 0)
            }
            sizes[index] = result
            state[index] = 2
            return result
        }
        for index in plan.nodes.indices { self.plan.setMinimumSize(index, size(index)) }
    }
}

extension SchemaPlan {
    /// The tables the encoder's walk reads at every node, borrowed for one walk: reading through
    /// them touches no reference count and copies no array.
    struct Tables {
        let nodes: UnsafeBufferPointer<Node>
        let records: UnsafeBufferPointer<Record>
        let fields: UnsafeBufferPointer<Field>
        let enums: UnsafeBufferPointer<Enumeration>
        let unions: UnsafeBufferPointer<Union>
        let indexPool: UnsafeBufferPointer<Int32>
        let tables: UnsafeBufferPointer<ByteKeyTable>
        let jsonText: UnsafeRawBufferPointer
        /// The field defaults.
        let defaults: TapeView
    }

    /// Calls `body` with the plan's tables, valid only during the call.
    func withTables<R>(_ body: (Tables) -> R) -> R {
        nodes.withUnsafeBufferPointer { nodes in
            records.withUnsafeBufferPointer { records in
                fields.withUnsafeBufferPointer { fields in
                    enums.withUnsafeBufferPointer { enums in
                        unions.withUnsafeBufferPointer { unions in
                            indexPool.withUnsafeBufferPointer { indexPool in
                                tables.withUnsafeBufferPointer { tables in
                                    jsonText.withUnsafeBytes { jsonText in
                                        withDefaults { defaults in
                                            body(Tables(nodes: nodes, records: records, fields: fields, enums: enums, unions: unions,
                                                        indexPool: indexPool, tables: tables, jsonText: jsonText, defaults: defaults))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private func withDefaults<R>(_ body: (TapeView) -> R) -> R {
        defaults.nodes.withUnsafeBufferPointer { nodes in
            defaults.buffer.withUnsafeBufferPointer { buffer in
                defaultsText.withUnsafeBytes { text in
                    body(TapeView(nodes: nodes, buffer: buffer.baseAddress!, original: text))
                }
            }
        }
    }
}
