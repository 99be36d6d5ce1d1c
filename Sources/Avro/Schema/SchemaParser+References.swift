extension AvroSchema {
    /// Parses and validates Avro schema JSON that may use the named types of other schemas, as a
    /// registry schema with references does. The referenced types appear in ``namedTypes``; the
    /// text may not define a name again.
    public init(parsing text: String, referencing referenced: [AvroSchema]) throws(SchemaError) {
        var predefined: [String: AvroNode] = [:]
        for schema in referenced {
            predefined.merge(schema.namedTypes) { first, _ in first }
        }
        self = try SchemaParser.parse(text, predefined: predefined)
    }
}
