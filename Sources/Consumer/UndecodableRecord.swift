/// Why a record cannot be turned into output: the record's own fault, never the registry's or the broker's.
/// These records go to the dead-letter topic (or are skipped, or stop the consumer; see ``ErrorPolicy``).
public struct UndecodableRecord: Error, Sendable, Hashable, CustomStringConvertible {
    /// The class of the failure, as the `avrogate.error.class` header and the metrics name it.
    public enum Reason: String, Sendable, Hashable, CaseIterable {
        /// The value does not start with the wire format's magic byte 0.
        case wrongMagicByte = "wrong-magic-byte"
        /// The value ends before its frame header or its datum does.
        case truncated
        /// Bytes remain after the datum the writer schema describes.
        case trailingBytes = "trailing-bytes"
        /// The registry does not know the schema id in the frame (40403).
        case unknownSchemaID = "unknown-schema-id"
        /// The reader schema cannot read data written with the record's writer schema.
        case incompatibleWriter = "incompatible-writer"
        /// The writer schema is not an Avro schema this package can use.
        case unsupportedSchema = "unsupported-schema"
        /// The bytes are not a datum of the writer schema (bad varint, union index, UTF-8…).
        case invalidDatum = "invalid-datum"
    }

    public var reason: Reason
    /// What exactly went wrong, for people.
    public var message: String
    /// The writer schema id the frame names, when the frame got that far.
    public var schemaID: Int?

    /// A failure of class `reason`, explained by `message`, for a frame naming `schemaID`.
    public init(reason: Reason, message: String, schemaID: Int? = nil) {
        self.reason = reason
        self.message = message
        self.schemaID = schemaID
    }

    public var description: String { "\(reason.rawValue): \(message)" }
}
