/// A schema avro-c cannot work with, or an avro-c failure that is not the input's fault.
public struct AvroCodecError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(message: String) {
        self.message = message
    }

    public var description: String { message }
}
