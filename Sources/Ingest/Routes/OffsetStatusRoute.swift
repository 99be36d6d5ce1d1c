import Avro
import Hummingbird
import Kafka

/// `GET /topics/{topic}/partitions/{p}/offsets/{o}?group=G`: whether the event at that offset is
/// in the log (its offset is below the high watermark) and whether group `G` consumed past it
/// (its committed offset is above it). A broker's watermark can lag its acknowledgements, so an
/// offset at or past it is "pending", not "missing".
struct OffsetStatusRoute {
    let admin: KafkaAdmin

    func add(to topics: RouterGroup<IngestRequestContext>) {
        topics.get(":topic/partitions/:partition/offsets/:offset") { request, context in
            let topic = try context.parameters.require("topic")
            guard let partition = context.parameters.get("partition", as: Int32.self), partition >= 0 else {
                throw IngestError(.invalidParameter, "the partition must be a partition number (0 or more)")
            }
            guard let offset = context.parameters.get("offset", as: Int64.self), offset >= 0 else {
                throw IngestError(.invalidParameter, "the offset must be an offset (0 or more)")
            }
            let group = request.uri.queryParameters["group"].map(String.init)
            return try await status(topic: topic, partition: partition, offset: offset, group: group)
        }
    }

    private func status(topic: String, partition: Int32, offset: Int64, group: String?) async throws -> Response {
        let watermarks: [Int32: Int64]
        do {
            watermarks = try await admin.highWatermarks(topic: topic, timeout: .seconds(5))
        } catch where error.code == .unknownTopic {
            throw IngestError(.topicNotFound, "topic \(topic) does not exist")
        } catch {
            throw IngestError(.brokerUnavailable, "cannot read the watermarks of \(topic): \(error.message)", retryAfter: 1)
        }
        guard let highWatermark = watermarks[partition] else {
            throw IngestError(.partitionNotFound, "topic \(topic) has no partition \(partition) (it has \(watermarks.count))")
        }
        let acknowledged = offset < highWatermark
        var object = JSONObject([
            ("topic", .string(topic)), ("partition", .integer(Int64(partition))), ("offset", .integer(offset)),
            ("status", .string(acknowledged ? "acknowledged" : "pending")),
            ("high_watermark", .integer(highWatermark)),
        ])
        if !acknowledged {
            object["message"] = .string("offset \(offset) is not below the high watermark \(highWatermark): not written yet, or the broker's watermark lags; ask again")
        }
        if let group {
            let committed: [Int32: Int64]
            do {
                committed = try await admin.committedOffsets(group: group, topic: topic, timeout: .seconds(5))
            } catch {
                throw IngestError(.brokerUnavailable, "cannot read the committed offsets of group \(group): \(error.message)", retryAfter: 1)
            }
            let groupOffset = committed[partition]
            object["group"] = .object(JSONObject([
                ("id", .string(group)),
                ("committed_offset", groupOffset.map(JSONValue.integer) ?? .null),
                ("consumed", .bool(groupOffset.map { $0 > offset } ?? false)),
            ]))
        }
        return ProduceRoutes.json(.object(object))
    }
}
