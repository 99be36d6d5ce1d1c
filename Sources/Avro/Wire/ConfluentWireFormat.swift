/// Confluent's wire format for Avro messages: a zero magic byte, the writer schema's registry
/// id as 4 big-endian bytes, then the Avro binary body.
public enum ConfluentWireFormat {
    /// The magic byte every frame starts with.
    public static let magicByte: UInt8 = 0
    /// The bytes before the body.
    public static let headerSize = 5

    /// Appends the frame header for `schemaID` to `out`.
    public static func appendHeader(schemaID: UInt32, to out: inout [UInt8]) {
        out.append(magicByte)
        out.append(UInt8(truncatingIfNeeded: schemaID >> 24))
        out.append(UInt8(truncatingIfNeeded: schemaID >> 16))
        out.append(UInt8(truncatingIfNeeded: schemaID >> 8))
        out.append(UInt8(truncatingIfNeeded: schemaID))
    }

    /// A frame around an encoded body.
    public static func frame(schemaID: UInt32, body: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(headerSize + body.count)
        appendHeader(schemaID: schemaID, to: &out)
        out.append(contentsOf: body)
        return out
    }

    /// The schema id of a frame and where its body starts. The body itself is checked by the
    /// decoder, which reports a truncated body or trailing bytes as its own errors.
    public static func unframe(_ frame: UnsafeRawBufferPointer) throws(WireFormatError) -> (schemaID: UInt32, body: UnsafeRawBufferPointer) {
        guard !frame.isEmpty else { throw .empty }
        guard frame[0] == magicByte else { throw .wrongMagicByte(frame[0]) }
        guard frame.count >= headerSize else { throw .tooShort(length: frame.count) }
        let schemaID = UInt32(frame[1]) << 24 | UInt32(frame[2]) << 16 | UInt32(frame[3]) << 8 | UInt32(frame[4])
        return (schemaID, UnsafeRawBufferPointer(rebasing: frame[headerSize...]))
    }

    /// The schema id of a frame and its body.
    public static func unframe(_ frame: [UInt8]) throws(WireFormatError) -> (schemaID: UInt32, body: ArraySlice<UInt8>) {
        let header = frame.withUnsafeBytes { bytes in
            Result { () throws(WireFormatError) in try unframe(bytes).schemaID }
        }
        return (try header.get(), frame[headerSize...])
    }
}
