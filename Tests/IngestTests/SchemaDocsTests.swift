import Avro
@testable import Ingest
import Testing
import TestSupport

/// The example event and the JSON Schema `GET /topics/{topic}/schema` describes (no broker needed).
@Suite struct SchemaDocsTests {
    private func schema(_ path: String) throws -> AvroSchema {
        try AvroSchema(parsing: try String(contentsOf: TestSupport.TestEnvironment.packageRoot.appendingPathComponent(path), encoding: .utf8))
    }

    @Test func theExampleEventOfEverySchemaIsAcceptedByTheEncoder() throws {
        for path in ["schemas/reference.avsc", "Tests/Fixtures/ingest/user.avsc", "Tests/Fixtures/ingest/tree.avsc", "Tests/Fixtures/ingest/user-key.avsc"] {
            let schema = try schema(path)
            let example = NaturalJSONExample.make(for: schema)
            let encoder = try AvroCodec(schema: schema).makeEncoder()
            #expect(throws: Never.self, "\(path): \(example.jsonText)") { _ = try encoder.encode(json: example.jsonText) }
        }
    }

    @Test func theJSONSchemaDefinesNamedTypesOnceAndRefersToThem() throws {
        let document = NaturalJSONSchema.make(for: try schema("Tests/Fixtures/ingest/tree.avsc"), allowsUnknownFields: false)
        #expect(document["$ref"] == .string("#/$defs/com.avrogate.ingest.Tree"))
        let tree = document["$defs"]?["com.avrogate.ingest.Tree"]
        #expect(tree?["required"] == .array([.string("label"), .string("children")]))
        #expect(tree?["properties"]?["children"]?["items"]?["$ref"] == .string("#/$defs/com.avrogate.ingest.Tree"))
        #expect(tree?["additionalProperties"] == .bool(false))
        let reference = NaturalJSONSchema.make(for: try schema("schemas/reference.avsc"), allowsUnknownFields: true)
        let order = reference["$defs"]?["com.avrogate.reference.Order"]?["properties"]
        #expect(order?["createdAt"]?["anyOf"]?.arrayValue?.first?["format"] == .string("date-time"))
        #expect(order?["status"]?["$ref"] == .string("#/$defs/com.avrogate.reference.OrderStatus"))
        #expect(reference["$defs"]?["com.avrogate.reference.OrderStatus"]?["enum"]?.arrayValue?.count == 5)
    }
}
