/// A message that is not a Confluent wire-format frame.
public enum WireFormatError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No bytes at all (e.g. a tombstone value).
    case empty
    /// The first byte is not the magic byte 0.
    case wrongMagicByte(UInt8)
    /// Fewer than the 5 header bytes.
    case tooShort(length: Int)

    public var description: String {
        switch self {
        case .empty: "empty message: not a Confluent wire-format frame"
        case .wrongMagicByte(let byte): "magic byte is \(byte), not 0: not a Confluent wire-format frame"
        case .tooShort(let length): "frame of \(length) bytes is shorter than the 5-byte header"
        }
    }
}
