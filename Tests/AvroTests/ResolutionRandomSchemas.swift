import Avro

/// SplitMix64: a small deterministic generator, so a failing property run reproduces from its seed.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

/// Random record schemas (as JSON), evolutions of them (one random change each), and random values.
/// Schemas use every type: primitives, enums (some with defaults), fixed, arrays, maps, unions,
/// nested records, and recursive `["null", Self]` fields; about half the fields have defaults.
struct RandomSchemas {
    private var rng: SplitMix64
    private var counter = 0
    private static let primitives = ["null", "boolean", "int", "long", "float", "double", "bytes", "string"]

    init(seed: UInt64) {
        rng = SplitMix64(seed: seed)
    }

    // MARK: Schemas

    mutating func schema() -> JSONValue {
        record(depth: 0)
    }

    private mutating func fresh(_ prefix: String) -> String {
        counter += 1
        return "\(prefix)\(counter)"
    }

    private mutating func chance(_ probability: Double) -> Bool {
        Double.random(in: 0 ..< 1, using: &rng) < probability
    }

    private mutating func int(_ range: ClosedRange<Int>) -> Int {
        Int.random(in: range, using: &rng)
    }

    private mutating func record(depth: Int) -> JSONValue {
        let name = fresh("R")
        var fields: [JSONValue] = []
        for index in 0 ..< int(1 ... 4) {
            fields.append(field(named: "f\(index)", type: type(depth: depth + 1)))
        }
        if depth < 2 && chance(0.2) {
            fields.append(object([("name", .string("next")), ("type", .array([.string("null"), .string(name)])), ("default", .null)]))
        }
        return object([("type", .string("record")), ("name", .string(name)), ("fields", .array(fields))])
    }

    private mutating func field(named name: String, type: JSONValue) -> JSONValue {
        var pairs: [(String, JSONValue)] = [("name", .string(name)), ("type", type)]
        if chance(0.5) { pairs.append(("default", defaultJSON(for: type))) }
        return object(pairs)
    }

    private mutating func type(depth: Int, allowUnion: Bool = true) -> JSONValue {
        let roll = int(0 ... 9)
        if depth >= 3 || roll < 4 { return .string(Self.primitives.randomElement(using: &rng)!) }
        switch roll {
        case 4: return enumeration()
        case 5: return object([("type", .string("fixed")), ("name", .string(fresh("F"))), ("size", .integer(Int64(int(1 ... 4))))])
        case 6: return object([("type", .string("array")), ("items", type(depth: depth + 1))])
        case 7: return object([("type", .string("map")), ("values", type(depth: depth + 1))])
        case 8 where allowUnion: return union(depth: depth)
        default: return record(depth: depth)
        }
    }

    private mutating func enumeration() -> JSONValue {
        let symbols = Array(["A", "B", "C", "D", "E"].shuffled(using: &rng).prefix(int(1 ... 4)))
        var pairs: [(String, JSONValue)] = [("type", .string("enum")), ("name", .string(fresh("E"))), ("symbols", .array(symbols.map(JSONValue.string)))]
        if chance(0.3) { pairs.append(("default", .string(symbols.randomElement(using: &rng)!))) }
        return object(pairs)
    }

    private mutating func union(depth: Int) -> JSONValue {
        var branches: [JSONValue] = []
        var kinds: Set<String> = []
        let count = int(2 ... 3)
        while branches.count < count {
            let branch = type(depth: depth + 1, allowUnion: false)
            if kinds.insert(Self.branchKind(branch)).inserted { branches.append(branch) }
        }
        return .array(branches)
    }

    /// What makes union branches distinct: the primitive, `array`, `map`, or the type's name.
    private static func branchKind(_ json: JSONValue) -> String {
        if case .string(let name) = json { return name }
        let type = json["type"]?.stringValue ?? ""
        return type == "array" || type == "map" ? type : json["name"]?.stringValue ?? type
    }

    /// A valid default for a type, in the Avro JSON encoding.
    private mutating func defaultJSON(for type: JSONValue) -> JSONValue {
        switch type {
        case .string(let name):
            switch name {
            case "null": return .null
            case "boolean": return .bool(chance(0.5))
            case "int", "long": return .integer(Int64(int(-3 ... 3)))
            case "float", "double": return .double(1.5)
            case "bytes": return .string("\u{00}\u{FF}b")
            default: return .string("dflt")
            }
        case .array(let branches):
            return defaultJSON(for: branches[0])
        default:
            switch type["type"]?.stringValue {
            case "enum": return .string(type["symbols"]!.arrayValue!.randomElement(using: &rng)!.stringValue!)
            case "fixed": return .string(String(repeating: "x", count: Int(type["size"]!.integerValue!)))
            case "array": return chance(0.5) ? .array([]) : .array([defaultJSON(for: type["items"]!)])
            case "map": return chance(0.5) ? .object(JSONObject()) : object([("k", defaultJSON(for: type["values"]!))])
            default:
                var members: [(String, JSONValue)] = []
                for field in type["fields"]!.arrayValue! where field["default"] == nil || chance(0.5) {
                    members.append((field["name"]!.stringValue!, defaultJSON(for: field["type"]!)))
                }
                return object(members)
            }
        }
    }

    private func object(_ pairs: [(String, JSONValue)]) -> JSONValue {
        .object(JSONObject(pairs))
    }

    // MARK: Evolutions

    /// The schema with one random change somewhere in it: a field added, removed, renamed (with or
    /// without alias), reordered or re-defaulted; a record, enum or fixed renamed; an enum symbol
    /// added or removed or its default toggled; a fixed resized; a primitive changed; a union
    /// widened, narrowed or unwrapped; a type wrapped in a union; an array turned into a map.
    /// Some changes make the schema invalid (a default no longer fits); callers skip those.
    mutating func evolve(_ schema: JSONValue) -> JSONValue {
        var sites = 0
        countSites(schema, &sites)
        var target = int(0 ... sites - 1)
        return walk(schema, &target)
    }

    private func countSites(_ type: JSONValue, _ count: inout Int) {
        count += 1
        for child in Self.children(type) { countSites(child, &count) }
    }

    private static func children(_ type: JSONValue) -> [JSONValue] {
        switch type {
        case .array(let branches): return branches
        case .object:
            switch type["type"]?.stringValue {
            case "array": return [type["items"]!]
            case "map": return [type["values"]!]
            case "record": return type["fields"]!.arrayValue!.map { $0["type"]! }
            default: return []
            }
        default: return []
        }
    }

    /// Walks type positions in the same order as `countSites`, changing the one `target` counts down to.
    private mutating func walk(_ type: JSONValue, _ target: inout Int) -> JSONValue {
        if target == 0 {
            target = -1
            return change(type)
        }
        target -= 1
        switch type {
        case .array(let branches):
            var walked: [JSONValue] = []
            for branch in branches { walked.append(walk(branch, &target)) }
            return .array(walked)
        case .object(var members):
            switch type["type"]?.stringValue {
            case "array": members["items"] = walk(members["items"]!, &target)
            case "map": members["values"] = walk(members["values"]!, &target)
            case "record":
                var fields: [JSONValue] = []
                for field in members["fields"]!.arrayValue! {
                    var fieldMembers = field.objectValue!
                    fieldMembers["type"] = walk(fieldMembers["type"]!, &target)
                    fields.append(.object(fieldMembers))
                }
                members["fields"] = .array(fields)
            default: break
            }
            return .object(members)
        default:
            return type
        }
    }

    private mutating func change(_ type: JSONValue) -> JSONValue {
        switch type {
        case .string(let name):
            guard Self.primitives.contains(name) else { return type }
            if name != "null" && chance(0.3) { return .array([type, .string("null")]) }
            return .string(Self.primitives.filter { $0 != name }.randomElement(using: &rng)!)
        case .array(var branches):
            let hasReference = branches.contains { if case .string(let name) = $0 { !Self.primitives.contains(name) } else { false } }
            switch int(0 ... 2) {
            case 0:
                let present = Set(branches.map(Self.branchKind))
                if let extra = Self.primitives.filter({ !present.contains($0) }).randomElement(using: &rng) { branches.append(.string(extra)) }
                return .array(branches)
            case 1 where branches.count > 1 && !hasReference:
                branches.removeLast()
                return .array(branches)
            default:
                return hasReference ? type : branches[0]
            }
        case .object(var members):
            switch members["type"]?.stringValue {
            case "record": return .object(changeRecord(members))
            case "enum":
                var symbols = members["symbols"]!.arrayValue!.map { $0.stringValue! }
                switch int(0 ... 4) {
                case 0: symbols.append(fresh("S"))
                case 1 where symbols.count > 1 && members["default"] == nil: symbols.remove(at: int(0 ... symbols.count - 1))
                case 2: members["default"] = members["default"] == nil ? .string(symbols[0]) : nil
                case 3: members["aliases"] = .array([members["name"]!]); members["name"] = .string(fresh("E"))
                default: symbols.shuffle(using: &rng)
                }
                members["symbols"] = .array(symbols.map(JSONValue.string))
                return .object(members)
            case "fixed":
                if chance(0.5) { members["name"] = .string(fresh("F")) } else { members["size"] = .integer(members["size"]!.integerValue! + 1) }
                return .object(members)
            case "array":
                return object([("type", .string("map")), ("values", members["items"]!)])
            default:
                return .array([type, .string("null")])
            }
        default:
            return type
        }
    }

    private mutating func changeRecord(_ record: JSONObject) -> JSONObject {
        var record = record
        var fields = record["fields"]!.arrayValue!
        switch int(0 ... 8) {
        case 0:
            let name = fresh("g")
            fields.insert(field(named: name, type: type(depth: 2)), at: int(0 ... fields.count))
        case 1:
            fields.append(object([("name", .string(fresh("g"))), ("type", type(depth: 2))]))
        case 2 where fields.count > 1:
            fields.remove(at: int(0 ... fields.count - 1))
        case 3, 4:
            let index = int(0 ... fields.count - 1)
            var renamed = fields[index].objectValue!
            if int(0 ... 1) == 0 { renamed["aliases"] = .array([renamed["name"]!]) }
            renamed["name"] = .string(fresh("g"))
            fields[index] = .object(renamed)
        case 5:
            fields.shuffle(using: &rng)
        case 6:
            let index = int(0 ... fields.count - 1)
            var toggled = fields[index].objectValue!
            toggled["default"] = toggled["default"] == nil ? defaultJSON(for: toggled["type"]!) : nil
            fields[index] = .object(toggled)
        default:
            if chance(0.5) { record["aliases"] = .array([record["name"]!]) }
            record["name"] = .string(fresh("R"))
        }
        record["fields"] = .array(fields)
        return record
    }

    // MARK: Values

    /// A random value shaped by the schema; recursive branches thin out with depth so values stay small.
    mutating func value(for schema: AvroSchema) -> AvroValue {
        value(for: schema.root, in: schema, depth: 0)
    }

    private mutating func value(for node: AvroNode, in schema: AvroSchema, depth: Int) -> AvroValue {
        switch schema.resolve(node) {
        case .null: return .null
        case .boolean: return .boolean(chance(0.5))
        case .int: return .int(Int32.random(in: .min ... .max, using: &rng))
        case .long: return .long(Int64.random(in: .min ... .max, using: &rng))
        case .float: return .float(Float(int(-1000 ... 1000)) / 8)
        case .double: return .double(Double(int(-1000 ... 1000)) / 16)
        case .bytes: return .bytes((0 ..< int(0 ... 4)).map { _ in UInt8.random(in: 0 ... 255, using: &rng) })
        case .string: return .string(["", "a", "héllo", "日本", "x y"].randomElement(using: &rng)!)
        case .fixed(let fixed): return .fixed((0 ..< fixed.size).map { _ in UInt8.random(in: 0 ... 255, using: &rng) })
        case .enumeration(let enumeration): return .enumeration(int(0 ... enumeration.symbols.count - 1))
        case .array(let items):
            let count = depth > 4 ? 0 : int(0 ... 3)
            return .array((0 ..< count).map { _ in value(for: items, in: schema, depth: depth + 1) })
        case .map(let values):
            let count = depth > 4 ? 0 : int(0 ... 3)
            return .map((0 ..< count).map { index in AvroValue.MapEntry(key: "k\(index)", value: value(for: values, in: schema, depth: depth + 1)) })
        case .record(let record):
            return .record(record.fields.map { value(for: $0.type, in: schema, depth: depth + 1) })
        case .union(let branches):
            let nullBranch = branches.firstIndex { if case .null = $0 { true } else { false } }
            let branch = depth > 4 ? nullBranch ?? 0 : int(0 ... branches.count - 1)
            return .union(branch, value(for: branches[branch], in: schema, depth: depth + 1))
        case .reference:
            return .null
        }
    }
}
