import Avro
import Hummingbird

/// `GET /topics/{topic}/schema`: the schema a produce request would use (same query parameters),
/// with an example event and a JSON Schema of the natural JSON accepted, and the key format.
struct TopicSchemaRoute {
    let pipeline: IngestPipeline
    let allowsUnknownFields: Bool

    func add(to topics: RouterGroup<IngestRequestContext>) {
        topics.get(":topic/schema") { request, context in
            let topic = try context.parameters.require("topic")
            let query = try ProduceQuery(request)
            let schema = try await pipeline.schema(topic: topic, query.selection)
            let keyFormat = try await pipeline.keyFormat(topic: topic)
            var object = JSONObject([("topic", .string(topic))])
            object["subject"] = schema.subject.map(JSONValue.string) ?? .null
            object["schema_id"] = .integer(Int64(schema.id))
            object["version"] = schema.version.map { .integer(Int64($0)) } ?? .null
            object["schema"] = (try? JSONValue.parse(schema.text)) ?? .string(schema.text)
            object["example"] = NaturalJSONExample.make(for: schema.schema)
            object["json_schema"] = NaturalJSONSchema.make(for: schema.schema, allowsUnknownFields: allowsUnknownFields)
            var key = JSONObject()
            switch keyFormat {
            case .string:
                key["format"] = .string("string")
            case .avro(let keySchema):
                key["format"] = .string("avro")
                key["subject"] = keySchema.subject.map(JSONValue.string) ?? .null
                key["schema_id"] = .integer(Int64(keySchema.id))
            }
            key["field"] = pipeline.keyField(topic: topic).map(JSONValue.string) ?? .null
            object["key"] = .object(key)
            return ProduceRoutes.json(.object(object))
        }
    }
}
