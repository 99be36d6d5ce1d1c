/// Compiles a ``DirectProgram``: walks the writer schema's plan (the binary follows it) side by side
/// with the output schema's plan (the reader's when there is a resolution; the JSON follows it) and the
/// resolution's projection steps, deciding once everything ``AvroJSONWriter`` and
/// ``ResolutionPlan/project(_:)`` decide per value.
///
/// A reader record whose fields come in the writer's order (some dropped, some defaulted) is written
/// as it is read; one that reorders them has each writer field's JSON written in turn and then
/// rearranged (``DirectOp/Code/reorder``), described in `table` as five entries per reader field: the
/// key text's start and length (with its leading `{` or `,`), the writer field (or -1), and the
/// default text's start and length.
struct DirectProgramCompiler {
    /// Why a schema pair is left to the value-tree path.
    struct Unsupported: Error {
        var reason: String
    }

    /// Where a node sits below the entry of the block being compiled: `base` is the block's absolute
    /// depth when it is known while compiling (nil in recursive records' blocks).
    private struct Depth {
        var base: Int?
        var rel: Int

        var nested: Depth { Depth(base: base, rel: rel + 1) }
    }

    /// A recursive record compiled once into its own block: writer node, output node, whether the
    /// output is the writer's shape (a dropped field), and the projection (-1: none).
    private struct RecordKey: Hashable {
        var writer: Int32
        var output: Int32
        var dropped: Bool
        var projection: Int
    }

    /// Programs above this many instructions (schemas that reuse records exponentially) are refused.
    static let maximumOps = 1 << 20

    private let writer: SchemaPlan
    private let reader: SchemaPlan
    private let defaultsWriter: AvroJSONWriter?
    private let projections: [RecordProjection]
    private let natural: Bool
    private let base64: Bool
    private let maxDepth: Int
    private let recursive: Set<Int32>

    private var blocks: [[DirectOp]] = []
    private var current = 0
    /// Ops of the current block before this index are jump targets' predecessors: text is not merged into them.
    private var floor = 0
    private var text: [UInt8] = []
    private var table: [Int32] = []
    /// Table entries holding a pc local to a block, relocated when the blocks are laid out.
    private var localPCs: [(entry: Int, block: Int)] = []
    /// Table entries of union branches.
    private var unionEntries: [Int] = []
    private var recordBlocks: [RecordKey: Int] = [:]
    private var opCount = 0

    /// Compiles the decoding of `writer` datums into JSON of `reader` (the output codec: the writer's
    /// own when `resolution` is nil).
    static func compile(writer: AvroCodec, reader: AvroCodec, resolution: ResolutionPlan?, json: AvroJSONWriter.Options,
                        decoding: AvroDecoder.Options) throws(Unsupported) -> DirectProgram {
        var compiler = DirectProgramCompiler(writer: writer, reader: reader, resolution: resolution, json: json, decoding: decoding)
        let root = compiler.newBlock()
        try compiler.inBlock(root) { (compiler) throws(Unsupported) in
            try compiler.value(writer.plan.root, reader.plan.root, resolution?.root ?? .identity, dropped: false, Depth(base: 0, rel: 0))
        }
        return compiler.link()
    }

    private init(writer: AvroCodec, reader: AvroCodec, resolution: ResolutionPlan?, json: AvroJSONWriter.Options, decoding: AvroDecoder.Options) {
        self.writer = writer.plan
        self.reader = reader.plan
        defaultsWriter = resolution == nil ? nil : AvroJSONWriter(codec: reader, options: json)
        projections = resolution?.records ?? []
        natural = json.format == .natural
        base64 = json.bytesEncoding == .base64
        maxDepth = decoding.maxDepth
        recursive = Self.recursiveRecords(writer.plan)
    }

    // MARK: Values

    /// Emits the code reading writer node `w` and writing it as node `r` of the output plan (the
    /// writer's own plan for a `dropped` field, whose JSON is discarded).
    private mutating func value(_ w: Int32, _ r: Int32, _ step: ProjectionStep, dropped: Bool, _ depth: Depth) throws(Unsupported) {
        guard opCount < Self.maximumOps else { throw Unsupported(reason: "the program exceeds \(Self.maximumOps) instructions") }
        let output = dropped ? writer : reader
        switch step {
        case .identity:
            try identity(w, r, dropped: dropped, depth)
        case .intToLong:
            emit(longOp(output.nodes[Int(r)], promoted: true))
        case .intToFloat:
            emit(DirectOp(code: .promotedToFloating, format: .single, flag: 1))
        case .intToDouble:
            emit(DirectOp(code: .promotedToFloating, format: .double, flag: 1))
        case .longToFloat:
            emit(DirectOp(code: .promotedToFloating, format: .single))
        case .longToDouble:
            emit(DirectOp(code: .promotedToFloating, format: .double))
        case .floatToDouble:
            emit(DirectOp(code: .float, flag: 1))
        case .stringToBytes:
            let node = output.nodes[Int(r)]
            emit(DirectOp(code: .string, format: bytesFormat(node, size: nil), c: node.scale))
        case .bytesToString:
            emit(DirectOp(code: .bytes, format: .text))
        case .enumeration(let readerIndices):
            let symbols = output.enums[Int(output.nodes[Int(r)].detail)].symbols
            var spans: [SchemaPlan.Span] = []
            for readerIndex in readerIndices {
                guard let readerIndex else { throw Unsupported(reason: "a writer enum symbol has no reader symbol") }
                spans.append(output.symbols[Int(symbols.start) + readerIndex])
            }
            enumeration(spans, in: output)
        case .array(let itemStep):
            try array(w, r, itemStep, dropped: dropped, depth)
        case .map(let valueStep):
            try map(w, r, valueStep, dropped: dropped, depth)
        case .record(let projection):
            try record(w, r, projection: projection, dropped: dropped, depth)
        case .writerUnion(let branchSteps):
            try union(w, r, branchSteps: branchSteps, dropped: dropped, depth)
        case .readerBranch(let branch, let branchStep):
            let readerBranch = output.branch(output.unions[Int(output.nodes[Int(r)].detail)], branch)
            let wrapper = wrapping(readerBranch, in: output)
            appendText(wrapper.prefix)
            try value(w, readerBranch, branchStep, dropped: dropped, depth)
            appendText(wrapper.suffix)
        }
    }

    /// A writer node whose output node has the same shape (logical types may differ).
    private mutating func identity(_ w: Int32, _ r: Int32, dropped: Bool, _ depth: Depth) throws(Unsupported) {
        guard opCount < Self.maximumOps else { throw Unsupported(reason: "the program exceeds \(Self.maximumOps) instructions") }
        let output = dropped ? writer : reader
        let writerNode = writer.nodes[Int(w)], node = output.nodes[Int(r)]
        switch writerNode.kind {
        case .null:
            appendText(Array("null".utf8))
        case .boolean:
            emit(DirectOp(code: .boolean))
        case .int:
            let format: DirectOp.Format = natural && node.logical == .date ? .date : natural && node.logical == .timeMillis ? .timeMillis : .plain
            emit(DirectOp(code: .int, format: format))
        case .long:
            emit(longOp(node, promoted: false))
        case .float:
            emit(DirectOp(code: .float))
        case .double:
            emit(DirectOp(code: .double))
        case .bytes:
            emit(DirectOp(code: .bytes, format: bytesFormat(node, size: nil), c: node.scale))
        case .string:
            emit(DirectOp(code: .string))
        case .fixed:
            emit(DirectOp(code: .fixed, format: bytesFormat(node, size: Int(writerNode.size)), a: writerNode.size, c: node.scale))
        case .enumeration:
            let symbols = output.enums[Int(node.detail)].symbols
            enumeration(Array(output.symbols[symbols.range]), in: output)
        case .array:
            try array(w, r, .identity, dropped: dropped, depth)
        case .map:
            try map(w, r, .identity, dropped: dropped, depth)
        case .record:
            try record(w, r, projection: -1, dropped: dropped, depth)
        case .union:
            try union(w, r, branchSteps: nil, dropped: dropped, depth)
        }
    }

    private func longOp(_ node: SchemaPlan.Node, promoted: Bool) -> DirectOp {
        let flag: UInt8 = promoted ? 1 : 0
        guard natural, let unit = node.logical.timeUnit else { return DirectOp(code: .long, flag: flag) }
        if node.logical == .timeMicros { return DirectOp(code: .long, format: .timeMicros, flag: flag) }
        return DirectOp(code: .long, format: .timestamp, flag: flag, b: Int32(unit.perSecond), c: Int32(unit.digits) + (unit.zoned ? 256 : 0))
    }

    /// How bytes (or a fixed of `size` bytes) of output node `node` are written.
    private func bytesFormat(_ node: SchemaPlan.Node, size: Int?) -> DirectOp.Format {
        if natural && node.logical == .decimal { return .decimal }
        if natural && node.logical == .uuid && node.kind == .fixed && size == 16 { return .uuid }
        return natural && base64 ? .base64 : .codePoints
    }

    /// An enum whose writer index `i` is written as `symbols[i]` (spans of `plan.jsonText`).
    private mutating func enumeration(_ symbols: [SchemaPlan.Span], in plan: SchemaPlan) {
        let start = table.count
        for span in symbols {
            table.append(Int32(text.count))
            table.append(span.count)
            text.append(contentsOf: plan.jsonText[span.range])
        }
        emit(DirectOp(code: .enumeration, a: Int32(start), b: Int32(symbols.count)))
    }

    private mutating func array(_ w: Int32, _ r: Int32, _ itemStep: ProjectionStep, dropped: Bool, _ depth: Depth) throws(Unsupported) {
        guard checkDepth(depth) else { return }
        let output = dropped ? writer : reader
        let items = writer.nodes[Int(w)].detail
        let itemDepth = Depth(base: depth.base.map { $0 + depth.rel + 1 }, rel: 0)
        let block = newBlock()
        try inBlock(block) { (compiler) throws(Unsupported) in
            try compiler.value(items, output.nodes[Int(r)].detail, itemStep, dropped: dropped, itemDepth)
        }
        appendText([UInt8(ascii: "[")])
        emit(DirectOp(code: .array, a: Int32(block), b: Int32(writer.nodes[Int(items)].minimumSize), c: Int32(depth.rel + 1)))
        appendText([UInt8(ascii: "]")])
    }

    private mutating func map(_ w: Int32, _ r: Int32, _ valueStep: ProjectionStep, dropped: Bool, _ depth: Depth) throws(Unsupported) {
        guard checkDepth(depth) else { return }
        let output = dropped ? writer : reader
        let values = writer.nodes[Int(w)].detail
        let valueDepth = Depth(base: depth.base.map { $0 + depth.rel + 1 }, rel: 0)
        let block = newBlock()
        try inBlock(block) { (compiler) throws(Unsupported) in
            try compiler.value(values, output.nodes[Int(r)].detail, valueStep, dropped: dropped, valueDepth)
        }
        appendText([UInt8(ascii: "{")])
        // An entry is at least its key's length byte.
        emit(DirectOp(code: .map, a: Int32(block), b: Int32(writer.nodes[Int(values)].minimumSize + 1), c: Int32(depth.rel + 1)))
        appendText([UInt8(ascii: "}")])
    }

    /// A union of the writer: its index chooses the branch's code. `branchSteps` nil: the output node
    /// is a union of the same branches.
    private mutating func union(_ w: Int32, _ r: Int32, branchSteps: [ProjectionStep]?, dropped: Bool, _ depth: Depth) throws(Unsupported) {
        guard checkDepth(depth) else { return }
        let output = dropped ? writer : reader
        let writerUnion = writer.unions[Int(writer.nodes[Int(w)].detail)]
        let count = Int(writerUnion.branches.count)
        let start = table.count
        // Per branch: its pc, and the text written on the way there (see `link()`).
        table.append(contentsOf: repeatElement(0, count: 3 * count))
        unionEntries.append(contentsOf: (0 ..< count).map { start + 3 * $0 })
        emit(DirectOp(code: .union, a: Int32(start), b: Int32(count)))
        var exits: [Int] = []
        for index in 0 ..< count {
            table[start + 3 * index] = Int32(label())
            localPCs.append((start + 3 * index, current))
            let writerBranch = writer.branch(writerUnion, index)
            if let branchSteps {
                try value(writerBranch, r, branchSteps[index], dropped: dropped, depth.nested)
            } else {
                let outputBranch = output.branch(output.unions[Int(output.nodes[Int(r)].detail)], index)
                let wrapper = wrapping(outputBranch, in: output)
                appendText(wrapper.prefix)
                try identity(writerBranch, outputBranch, dropped: dropped, depth.nested)
                appendText(wrapper.suffix)
            }
            if index < count - 1 {
                exits.append(emit(DirectOp(code: .jump)))
            }
        }
        let end = label()
        for exit in exits { blocks[current][exit].a = Int32(end) }
    }

    /// The text around a union branch's value: nothing in natural JSON or for null, else `{"name":` and `}`.
    private func wrapping(_ branch: Int32, in plan: SchemaPlan) -> (prefix: [UInt8], suffix: [UInt8]) {
        guard !natural && plan.nodes[Int(branch)].kind != .null else { return ([], []) }
        var prefix = "{"
        JSONValue.writeString(plan.branchName(branch), to: &prefix)
        prefix += ":"
        return (Array(prefix.utf8), [UInt8(ascii: "}")])
    }

    // MARK: Records

    /// A record, inline, or in a block of its own (called) when it is recursive.
    private mutating func record(_ w: Int32, _ r: Int32, projection: Int, dropped: Bool, _ depth: Depth) throws(Unsupported) {
        guard recursive.contains(w) else {
            try recordBody(w, r, projection: projection, dropped: dropped, depth)
            return
        }
        let key = RecordKey(writer: w, output: r, dropped: dropped, projection: projection)
        let block: Int
        if let compiled = recordBlocks[key] {
            block = compiled
        } else {
            block = newBlock()
            recordBlocks[key] = block
            try inBlock(block) { (compiler) throws(Unsupported) in
                try compiler.recordBody(w, r, projection: projection, dropped: dropped, Depth(base: nil, rel: 0))
            }
        }
        emit(DirectOp(code: .call, a: Int32(block), c: Int32(depth.rel)))
    }

    private mutating func recordBody(_ w: Int32, _ r: Int32, projection: Int, dropped: Bool, _ depth: Depth) throws(Unsupported) {
        guard checkDepth(depth) else { return }
        let output = dropped ? writer : reader
        let writerFields = writer.records[Int(writer.nodes[Int(w)].detail)].fields
        let outputFields = output.records[Int(output.nodes[Int(r)].detail)].fields
        guard projection >= 0 else {
            // Same fields in the same order.
            for index in 0 ..< Int(writerFields.count) {
                appendKey(index, output.fields[Int(outputFields.start) + index].jsonKey, in: output)
                try identity(writer.fields[Int(writerFields.start) + index].type, output.fields[Int(outputFields.start) + index].type,
                             dropped: dropped, depth.nested)
            }
            appendText(Array((writerFields.count == 0 ? "{}" : "}").utf8))
            return
        }
        let sources = projections[projection].fields
        var readerFieldOf = [Int?](repeating: nil, count: Int(writerFields.count))
        var lastWriterField = -1
        var inWriterOrder = true
        for (readerIndex, source) in sources.enumerated() {
            guard case .writerField(let writerIndex, _) = source else { continue }
            readerFieldOf[writerIndex] = readerIndex
            if writerIndex < lastWriterField { inWriterOrder = false }
            lastWriterField = writerIndex
        }
        let readerTypes = (0 ..< sources.count).map { reader.fields[Int(outputFields.start) + $0].type }
        if inWriterOrder {
            var next = 0
            for writerIndex in 0 ..< Int(writerFields.count) {
                let writerType = writer.fields[Int(writerFields.start) + writerIndex].type
                guard let readerIndex = readerFieldOf[writerIndex], case .writerField(_, let step) = sources[readerIndex] else {
                    emit(DirectOp(code: .mark))
                    try identity(writerType, writerType, dropped: true, depth.nested)
                    emit(DirectOp(code: .discard))
                    continue
                }
                while next < readerIndex {
                    appendKey(next, reader.fields[Int(outputFields.start) + next].jsonKey, in: reader)
                    appendText(defaultText(sources[next], readerTypes[next]))
                    next += 1
                }
                appendKey(readerIndex, reader.fields[Int(outputFields.start) + readerIndex].jsonKey, in: reader)
                try value(writerType, readerTypes[readerIndex], step, dropped: false, depth.nested)
                next = readerIndex + 1
            }
            while next < sources.count {
                appendKey(next, reader.fields[Int(outputFields.start) + next].jsonKey, in: reader)
                appendText(defaultText(sources[next], readerTypes[next]))
                next += 1
            }
            appendText(Array((sources.isEmpty ? "{}" : "}").utf8))
            return
        }
        for writerIndex in 0 ..< Int(writerFields.count) {
            emit(DirectOp(code: .pushSegment))
            let writerType = writer.fields[Int(writerFields.start) + writerIndex].type
            if let readerIndex = readerFieldOf[writerIndex], case .writerField(_, let step) = sources[readerIndex] {
                try value(writerType, readerTypes[readerIndex], step, dropped: false, depth.nested)
            } else {
                try identity(writerType, writerType, dropped: true, depth.nested)
            }
        }
        let start = table.count
        for (readerIndex, source) in sources.enumerated() {
            var key: [UInt8] = [UInt8(ascii: readerIndex == 0 ? "{" : ",")]
            key.append(contentsOf: reader.jsonText[reader.fields[Int(outputFields.start) + readerIndex].jsonKey.range])
            table.append(Int32(text.count))
            table.append(Int32(key.count))
            text.append(contentsOf: key)
            let defaultJSON = defaultText(source, readerTypes[readerIndex])
            if case .writerField(let writerIndex, _) = source { table.append(Int32(writerIndex)) } else { table.append(-1) }
            table.append(Int32(text.count))
            table.append(Int32(defaultJSON.count))
            text.append(contentsOf: defaultJSON)
        }
        emit(DirectOp(code: .reorder, a: Int32(start), b: Int32(sources.count), c: writerFields.count))
    }

    /// `{"name":` for the first field, `,"name":` for the others.
    private mutating func appendKey(_ index: Int, _ key: SchemaPlan.Span, in plan: SchemaPlan) {
        appendText([UInt8(ascii: index == 0 ? "{" : ",")] + plan.jsonText[key.range])
    }

    private func defaultText(_ source: RecordProjection.Source, _ readerType: Int32) -> [UInt8] {
        guard case .defaultValue(let value) = source, let defaultsWriter else { return [] }
        var out: [UInt8] = []
        defaultsWriter.write(value, readerType, to: &out)
        return out
    }

    // MARK: Emitting

    /// Emits what the decoder checks before a record, array, map or union at `depth`: nothing when
    /// the depth is known to be allowed, a failure (and false: nothing after it runs) when it is
    /// known not to be, a check when it is known only when running.
    private mutating func checkDepth(_ depth: Depth) -> Bool {
        guard let base = depth.base else {
            emit(DirectOp(code: .checkDepth, c: Int32(depth.rel)))
            return true
        }
        guard base + depth.rel < maxDepth else {
            emit(DirectOp(code: .tooDeep))
            return false
        }
        return true
    }

    /// Appends an instruction, which takes over the text of a text-only instruction just before it (it runs
    /// where that one ran, so jumps to it stay right); returns its index in the block.
    @discardableResult
    private mutating func emit(_ op: DirectOp) -> Int {
        let last = blocks[current].count - 1
        if last >= floor, blocks[current][last].code == .text {
            var merged = op
            merged.prefix = blocks[current][last].prefix
            merged.prefixCount = blocks[current][last].prefixCount
            blocks[current][last] = merged
            return last
        }
        blocks[current].append(op)
        opCount += 1
        return last + 1
    }

    /// Appends constant text, merged into the previous text-only instruction when nothing jumps between them.
    private mutating func appendText(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        let last = blocks[current].count - 1
        if last >= floor, blocks[current][last].code == .text {
            // Contiguous text: the op's prefix grows; otherwise (text of another block came between) both are copied together.
            let prefix = Int(blocks[current][last].prefix), count = Int(blocks[current][last].prefixCount)
            if prefix + count != text.count {
                blocks[current][last].prefix = Int32(text.count)
                text.append(contentsOf: Array(text[prefix ..< prefix + count]))
            }
            blocks[current][last].prefixCount += Int32(bytes.count)
            text.append(contentsOf: bytes)
            return
        }
        emit(DirectOp(code: .text, prefix: Int32(text.count), prefixCount: Int32(bytes.count)))
        text.append(contentsOf: bytes)
    }

    /// The current block's next pc, as a jump target.
    private mutating func label() -> Int {
        floor = blocks[current].count
        return floor
    }

    private mutating func newBlock() -> Int {
        blocks.append([])
        return blocks.count - 1
    }

    /// Compiles `body` into `block`, which ends with a return.
    private mutating func inBlock(_ block: Int, _ body: (inout DirectProgramCompiler) throws(Unsupported) -> Void) throws(Unsupported) {
        let saved = (current, floor)
        current = block
        floor = 0
        try body(&self)
        emit(DirectOp(code: .ret))
        (current, floor) = saved
    }

    /// Lays the blocks out one after another and turns block numbers and block-local pcs into pcs.
    private func link() -> DirectProgram {
        var starts: [Int] = []
        var total = 0
        for block in blocks {
            starts.append(total)
            total += block.count
        }
        var ops: [DirectOp] = []
        ops.reserveCapacity(total)
        for (index, block) in blocks.enumerated() {
            for var op in block {
                switch op.code {
                case .jump: op.a += Int32(starts[index])
                case .array, .map, .call: op.a = Int32(starts[Int(op.a)])
                default: break
                }
                ops.append(op)
            }
        }
        var table = self.table
        for (entry, block) in localPCs { table[entry] += Int32(starts[block]) }
        // A branch that only writes text and jumps to the union's end (a null) is taken by the union
        // instruction itself: it writes the text and continues at the end, one instruction fewer.
        for entry in unionEntries {
            let branch = ops[Int(table[entry])]
            guard branch.code == .jump else { continue }
            table[entry] = branch.a
            table[entry + 1] = branch.prefix
            table[entry + 2] = branch.prefixCount
        }
        return DirectProgram(ops: ops, text: text, table: table)
    }

    /// The record nodes of a plan that can contain themselves.
    private static func recursiveRecords(_ plan: SchemaPlan) -> Set<Int32> {
        func children(_ node: Int32) -> [Int32] {
            let entry = plan.nodes[Int(node)]
            switch entry.kind {
            case .array, .map: return [entry.detail]
            case .record: return plan.records[Int(entry.detail)].fields.range.map { plan.fields[$0].type }
            case .union:
                let union = plan.unions[Int(entry.detail)]
                return (0 ..< Int(union.branches.count)).map { plan.branch(union, $0) }
            default: return []
            }
        }
        var found: Set<Int32> = []
        for (index, node) in plan.nodes.enumerated() where node.kind == .record {
            var seen: Set<Int32> = []
            var stack = children(Int32(index))
            while let next = stack.popLast() {
                if next == Int32(index) {
                    found.insert(next)
                    break
                }
                if seen.insert(next).inserted { stack.append(contentsOf: children(next)) }
            }
        }
        return found
    }
}
