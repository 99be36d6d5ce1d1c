import CAvro

/// avro-c's side of one schema: the parsed `avro_schema_t` and its generic value class, created
/// once and released in `deinit`. Only ``AvroCDatum`` builds on it.
///
/// avro-c sees a rendering of our validated model rather than the user's text: only what
/// affects the encoding (types, full names, fields, symbols, sizes), because avro-c 1.11.1
/// rejects the `error` type and accepts schemas ours rejects (duplicate fields), and the
/// encoding needs nothing else (its `avro_schema_to_json` drops logical types, defaults, docs
/// and aliases anyway).
final class AvroCSchema: @unchecked Sendable {
    // Unchecked: both pointers are written once in init and only read after; avro-c's
    // reference counts (taken when values are created from the class) are atomic.
    let schema: avro_schema_t
    let valueClass: UnsafeMutablePointer<avro_value_iface_t>

    init(_ model: AvroSchema) throws(AvroCodecError) {
        var text = ""
        var renderer = Renderer(schema: model)
        renderer.render(model.root, to: &text)
        var parsed: avro_schema_t?
        let status = text.withCString { avro_schema_from_json_length($0, text.utf8.count, &parsed) }
        guard status == 0, let parsed else {
            throw AvroCodecError(message: "avro-c rejected the schema: \(String(cString: avro_strerror()))")
        }
        guard let valueClass = avro_generic_class_from_schema(parsed) else {
            avro_schema_decref(parsed)
            throw AvroCodecError(message: "avro-c could not build a value class: \(String(cString: avro_strerror()))")
        }
        schema = parsed
        self.valueClass = valueClass
    }

    deinit {
        avrogate_value_iface_decref(valueClass)
        avro_schema_decref(schema)
    }
}

/// Renders our schema model as the JSON avro-c parses.
private struct Renderer {
    let schema: AvroSchema
    /// Named types already written in full.
    var defined: Set<String> = []

    /// Writes the parsing-relevant JSON of a schema node, every named type with its simple
    /// name and explicit namespace (so avro-c never infers one), references by full name. A
    /// type defined outside the schema text (a schema reference) is written in full where it
    /// is first used.
    mutating func render(_ node: AvroNode, to out: inout String) {
        func name(_ name: AvroName, to out: inout String) {
            out += "\"name\":"
            JSONValue.writeString(name.name, to: &out)
            out += ",\"namespace\":"
            JSONValue.writeString(name.namespace, to: &out)
        }
        switch node {
        case .null, .boolean, .int, .long, .float, .double, .bytes, .string:
            JSONValue.writeString(node.typeName, to: &out)
        case .reference(let fullName):
            if !defined.contains(fullName), let definition = schema.namedTypes[fullName] {
                render(definition, to: &out)
            } else {
                JSONValue.writeString(fullName, to: &out)
            }
        case .record(let record):
            defined.insert(record.name.fullName)
            out += "{\"type\":\"record\","
            name(record.name, to: &out)
            out += ",\"fields\":["
            for (index, field) in record.fields.enumerated() {
                if index > 0 { out += "," }
                out += "{\"name\":"
                JSONValue.writeString(field.name, to: &out)
                out += ",\"type\":"
                render(field.type, to: &out)
                out += "}"
            }
            out += "]}"
        case .enumeration(let enumeration):
            defined.insert(enumeration.name.fullName)
            out += "{\"type\":\"enum\","
            name(enumeration.name, to: &out)
            out += ",\"symbols\":"
            JSONValue.array(enumeration.symbols.map(JSONValue.string)).write(to: &out)
            out += "}"
        case .fixed(let fixed):
            defined.insert(fixed.name.fullName)
            out += "{\"type\":\"fixed\","
            name(fixed.name, to: &out)
            out += ",\"size\":\(fixed.size)}"
        case .array(let items):
            out += "{\"type\":\"array\",\"items\":"
            render(items, to: &out)
            out += "}"
        case .map(let values):
            out += "{\"type\":\"map\",\"values\":"
            render(values, to: &out)
            out += "}"
        case .union(let branches):
            out += "["
            for (index, branch) in branches.enumerated() {
                if index > 0 { out += "," }
                render(branch, to: &out)
            }
            out += "]"
        }
    }
}
