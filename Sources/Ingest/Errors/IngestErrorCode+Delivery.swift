import Kafka

extension IngestErrorCode {
    /// The code for a record the producer refused or the broker did not acknowledge.
    public init(delivery error: KafkaError) {
        switch error.librdkafkaName {
        case "_MSG_TIMED_OUT", "_TIMED_OUT", "REQUEST_TIMED_OUT", "_TIMED_OUT_QUEUE":
            self = .deliveryTimeout
            return
        case "_UNKNOWN_PARTITION":
            self = .partitionNotFound
            return
        case "_UNKNOWN_TOPIC", "UNKNOWN_TOPIC_OR_PART":
            self = .topicNotFound
            return
        case "MSG_SIZE_TOO_LARGE", "_MSG_SIZE_TOO_LARGE", "RECORD_LIST_TOO_LARGE":
            self = .bodyTooLarge
            return
        case "_PURGE_QUEUE", "_PURGE_INFLIGHT", "_DESTROY", "_TRANSPORT", "_ALL_BROKERS_DOWN":
            self = .brokerUnavailable
            return
        case "INVALID_PRODUCER_EPOCH", "PRODUCER_FENCED", "UNKNOWN_PRODUCER_ID", "OUT_OF_ORDER_SEQUENCE_NUMBER",
             "NOT_LEADER_OR_FOLLOWER", "NOT_LEADER_FOR_PARTITION", "LEADER_NOT_AVAILABLE", "NOT_ENOUGH_REPLICAS",
             "NOT_ENOUGH_REPLICAS_AFTER_APPEND", "NETWORK_EXCEPTION", "KAFKA_STORAGE_ERROR", "NOT_CONTROLLER",
             "COORDINATOR_LOAD_IN_PROGRESS", "CONCURRENT_TRANSACTIONS", "THROTTLING_QUOTA_EXCEEDED", "_RETRY":
            self = .kafkaRetriable
            return
        default:
            break
        }
        switch error.code {
        case .queueFull: self = .producerQueueFull
        case .timeout: self = .deliveryTimeout
        case .unknownTopic: self = .topicNotFound
        case .messageTooLarge: self = .bodyTooLarge
        case .brokerUnavailable, .closed: self = .brokerUnavailable
        default: self = .kafkaError
        }
    }

    /// A short label for metrics (`records_rejected_total{reason=…}`).
    public var reason: String {
        switch self {
        case .malformedJSON: "malformed_json"
        case .nestingTooDeep: "too_deep"
        case .invalidParameter: "invalid_parameter"
        case .unauthenticated: "unauthenticated"
        case .topicNotAllowed: "forbidden"
        case .topicNotFound: "unknown_topic"
        case .partitionNotFound: "unknown_partition"
        case .schemaNotFound, .subjectNotFound, .versionNotFound, .schemaNotRegistered, .schemaNotAvro, .invalidSchema: "schema"
        case .bodyTooLarge, .tooManyRecords: "too_large"
        case .unsupportedContentType: "content_type"
        case .keySchemaMissing, .invalidRecord: "invalid"
        case .producerQueueFull: "queue_full"
        case .internalError: "internal"
        case .kafkaError: "kafka_error"
        case .registryUnavailable: "registry_unavailable"
        case .deliveryTimeout: "delivery_timeout"
        case .brokerUnavailable: "broker_unavailable"
        case .kafkaRetriable: "kafka_retriable"
        }
    }

    /// Which code to answer a request with when its records failed in different ways: the one a
    /// client should act on first (server-side trouble before its own mistakes).
    var precedence: Int {
        switch self {
        case .deliveryTimeout, .brokerUnavailable, .kafkaRetriable: 9
        case .kafkaError, .internalError: 8
        case .registryUnavailable: 7
        case .producerQueueFull: 6
        case .topicNotFound, .partitionNotFound: 5
        case .bodyTooLarge, .tooManyRecords: 4
        case .malformedJSON, .nestingTooDeep: 3
        default: 1
        }
    }
}
