import Crypto

extension AvroSchema {
    /// The Parsing Canonical Form of the Avro specification: full names, only the attributes
    /// that affect parsing, in the specified order, no whitespace.
    public var canonicalForm: String {
        var out = ""
        CanonicalWriter(full: false).write(root, to: &out)
        return out
    }

    /// A normalized form that keeps everything that changes the schema's meaning for readers
    /// (defaults, aliases, logical types, order, enum defaults) and docs, in a fixed attribute
    /// order with full names and no whitespace. Two texts of the same schema normalize alike;
    /// the registry compares schemas by this.
    public var normalizedForm: String {
        var out = ""
        CanonicalWriter(full: true).write(root, to: &out)
        return out
    }

    /// The CRC-64-AVRO (Rabin) fingerprint of the canonical form, as the specification defines it.
    public var rabinFingerprint: UInt64 { RabinFingerprint.compute(Array(canonicalForm.utf8)) }

    /// SHA-256 of the canonical form, as lowercase hex.
    public var sha256Fingerprint: String {
        SHA256.hash(data: Array(canonicalForm.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}

/// Writes schema nodes as canonical JSON; `full` adds the attributes Parsing Canonical Form strips.
private struct CanonicalWriter {
    let full: Bool

    func write(_ node: AvroNode, to out: inout String) {
        switch node {
        case .null, .boolean, .float, .double:
            JSONValue.writeString(node.typeName, to: &out)
        case .int(let logical), .long(let logical), .bytes(let logical), .string(let logical):
            if full, let logical {
                out += "{\"type\":"
                JSONValue.writeString(node.typeName, to: &out)
                writeLogical(logical, to: &out)
                out += "}"
            } else {
                JSONValue.writeString(node.typeName, to: &out)
            }
        case .reference(let name):
            JSONValue.writeString(name, to: &out)
        case .record(let record):
            out += "{\"name\":"
            JSONValue.writeString(record.name.fullName, to: &out)
            out += ",\"type\":" + (record.isError ? "\"error\"" : "\"record\"")
            if full { writeAliasesAndDoc(record.aliases, record.doc, to: &out) }
            out += ",\"fields\":["
            for (index, field) in record.fields.enumerated() {
                if index > 0 { out += "," }
                out += "{\"name\":"
                JSONValue.writeString(field.name, to: &out)
                out += ",\"type\":"
                write(field.type, to: &out)
                if full {
                    if let value = field.defaultValue { out += ",\"default\":"; value.write(to: &out) }
                    if field.order != .ascending { out += ",\"order\":\"\(field.order.rawValue)\"" }
                    writeAliasesAndDoc(field.aliases, field.doc, to: &out)
                }
                out += "}"
            }
            out += "]}"
        case .enumeration(let enumeration):
            out += "{\"name\":"
            JSONValue.writeString(enumeration.name.fullName, to: &out)
            out += ",\"type\":\"enum\""
            if full { writeAliasesAndDoc(enumeration.aliases, enumeration.doc, to: &out) }
            out += ",\"symbols\":["
            for (index, symbol) in enumeration.symbols.enumerated() {
                if index > 0 { out += "," }
                JSONValue.writeString(symbol, to: &out)
            }
            out += "]"
            if full, let symbol = enumeration.defaultSymbol {
                out += ",\"default\":"
                JSONValue.writeString(symbol, to: &out)
            }
            out += "}"
        case .fixed(let fixed):
            out += "{\"name\":"
            JSONValue.writeString(fixed.name.fullName, to: &out)
            out += ",\"type\":\"fixed\""
            if full { writeAliasesAndDoc(fixed.aliases, nil, to: &out) }
            out += ",\"size\":\(fixed.size)"
            if full, let logical = fixed.logicalType { writeLogical(logical, to: &out) }
            out += "}"
        case .array(let items):
            out += "{\"type\":\"array\",\"items\":"
            write(items, to: &out)
            out += "}"
        case .map(let values):
            out += "{\"type\":\"map\",\"values\":"
            write(values, to: &out)
            out += "}"
        case .union(let branches):
            out += "["
            for (index, branch) in branches.enumerated() {
                if index > 0 { out += "," }
                write(branch, to: &out)
            }
            out += "]"
        }
    }

    private func writeLogical(_ logical: LogicalType, to out: inout String) {
        out += ",\"logicalType\":"
        JSONValue.writeString(logical.name, to: &out)
        if case .decimal(let precision, let scale) = logical {
            out += ",\"precision\":\(precision),\"scale\":\(scale)"
        }
    }

    private func writeAliasesAndDoc(_ aliases: [String], _ doc: String?, to out: inout String) {
        if !aliases.isEmpty {
            out += ",\"aliases\":"
            JSONValue.array(aliases.sorted().map(JSONValue.string)).write(to: &out)
        }
        if let doc {
            out += ",\"doc\":"
            JSONValue.writeString(doc, to: &out)
        }
    }
}

/// The CRC-64-AVRO fingerprint of the Avro specification.
enum RabinFingerprint {
    static let empty: UInt64 = 0xc15d_213a_a4d7_a795

    static let table: [UInt64] = (0 ..< 256).map { index in
        var fingerprint = UInt64(index)
        for _ in 0 ..< 8 {
            fingerprint = (fingerprint >> 1) ^ (empty & (0 &- (fingerprint & 1)))
        }
        return fingerprint
    }

    static func compute(_ bytes: [UInt8]) -> UInt64 {
        var fingerprint = empty
        for byte in bytes {
            fingerprint = (fingerprint >> 8) ^ table[Int((fingerprint ^ UInt64(byte)) & 0xff)]
        }
        return fingerprint
    }
}
