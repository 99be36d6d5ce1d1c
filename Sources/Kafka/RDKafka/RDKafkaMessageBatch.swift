import CRdKafka
import Synchronization

/// Owns the `rd_kafka_message_t`s of one consumer poll, so that their keys and values are read in place;
/// destroys them when the last reference goes.
///
/// `@unchecked Sendable`: librdkafka leaves a message handed to the application untouched until it is
/// destroyed, and this class only reads them, except for the lazy parsing of headers, which `headerLock`
/// guards; they are destroyed only in `deinit`, when no other reference can exist.
final class RDKafkaMessageBatch: @unchecked Sendable {
    /// The records (error messages are not kept).
    private let messages: [UnsafeMutablePointer<rd_kafka_message_t>]
    /// For each record, its topic's index in `topics`.
    private let topicIndices: [Int32]
    /// Each topic's name once, however many records come from it.
    private let topics: [String]
    private let headerLock = Mutex(())
    /// Messages hold references into the client, which must not be destroyed before them.
    private let client: RDKafkaClient

    /// Takes the messages of a poll: keeps the records, destroys the others and returns their errors
    /// (partition EOFs dropped) in `errors`.
    init(polled: UnsafeBufferPointer<UnsafeMutablePointer<rd_kafka_message_t>?>, client: RDKafkaClient, errors: inout [KafkaError]) {
        var messages: [UnsafeMutablePointer<rd_kafka_message_t>] = []
        messages.reserveCapacity(polled.count)
        var topicIndices: [Int32] = []
        topicIndices.reserveCapacity(polled.count)
        var topics: [String] = []
        var handles: [OpaquePointer?] = []
        for pointer in polled {
            guard let pointer else { continue }
            let error = pointer.pointee.err
            guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
                if error != RD_KAFKA_RESP_ERR__PARTITION_EOF {
                    let detail = rd_kafka_message_errstr(pointer).map { String(cString: $0) } ?? ""
                    errors.append(KafkaError(rdkafka: error, context: "consumer error (\(detail))", fallback: .consumer))
                }
                rd_kafka_message_destroy(pointer)
                continue
            }
            let handle = pointer.pointee.rkt
            if let last = handles.indices.last, handles[last] == handle {
                topicIndices.append(Int32(last))
            } else if let known = handles.firstIndex(of: handle) {
                topicIndices.append(Int32(known))
            } else {
                topicIndices.append(Int32(handles.count))
                handles.append(handle)
                topics.append(String(cString: rd_kafka_topic_name(handle)))
            }
            messages.append(pointer)
        }
        self.messages = messages
        self.topicIndices = topicIndices
        self.topics = topics
        self.client = client
    }

    deinit {
        for message in messages {
            rd_kafka_message_destroy(message)
        }
    }

    var count: Int { messages.count }

    func topic(at index: Int) -> String { topics[Int(topicIndices[index])] }

    /// Equal for records of the same topic in this batch.
    func topicIndex(at index: Int) -> Int32 { topicIndices[index] }

    func partition(at index: Int) -> Int32 { messages[index].pointee.partition }

    func offset(at index: Int) -> Int64 { messages[index].pointee.offset }

    /// The timestamp in epoch milliseconds, `nil` when the broker sent none.
    func timestamp(at index: Int) -> Int64? {
        var type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let timestamp = rd_kafka_message_timestamp(messages[index], &type)
        return type == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : timestamp
    }

    /// The key in place; `nil` for a null key.
    func key(at index: Int) -> UnsafeRawBufferPointer? {
        let message = messages[index].pointee
        return message.key.map { UnsafeRawBufferPointer(start: $0, count: message.key_len) }
    }

    /// The value in place; `nil` for a tombstone.
    func value(at index: Int) -> UnsafeRawBufferPointer? {
        let message = messages[index].pointee
        return message.payload.map { UnsafeRawBufferPointer(start: $0, count: message.len) }
    }

    /// The headers, copied out (librdkafka parses them on first use).
    func headers(at index: Int) -> [KafkaHeader] {
        let message = messages[index]
        return headerLock.withLock { _ in
            var rdHeaders: OpaquePointer?
            guard rd_kafka_message_headers(message, &rdHeaders) == RD_KAFKA_RESP_ERR_NO_ERROR, let rdHeaders else { return [] }
            var headers: [KafkaHeader] = []
            var index = 0
            var name: UnsafePointer<CChar>?
            var value: UnsafeRawPointer?
            var size = 0
            while rd_kafka_header_get_all(rdHeaders, index, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
                headers.append(KafkaHeader(
                    key: name.map { String(cString: $0) } ?? "",
                    value: value.map { [UInt8](UnsafeRawBufferPointer(start: $0, count: size)) }))
                index += 1
            }
            return headers
        }
    }
}
