extension AvroEncoder {
    /// Encodes one JSON event as a Confluent wire-format frame for `schemaID`.
    public func encodeFramed(json: UnsafeRawBufferPointer, schemaID: UInt32, format: AvroJSONFormat = .natural, appendingTo out: inout [UInt8]) throws(ValidationErrors) {
        let mark = out.count
        ConfluentWireFormat.appendHeader(schemaID: schemaID, to: &out)
        do {
            try encode(json: json, format: format, appendingTo: &out)
        } catch {
            out.removeSubrange(mark...)
            throw error
        }
    }

    /// Encodes one JSON event as a Confluent wire-format frame for `schemaID`.
    public func encodeFramed(json: String, schemaID: UInt32, format: AvroJSONFormat = .natural) throws(ValidationErrors) -> [UInt8] {
        var out: [UInt8] = []
        var text = json
        let result = text.withUTF8 { utf8 in
            Result { () throws(ValidationErrors) in
                try encodeFramed(json: UnsafeRawBufferPointer(utf8), schemaID: schemaID, format: format, appendingTo: &out)
            }
        }
        try result.get()
        return out
    }
}

/// Why a framed message could not be read: the frame or the datum inside it.
public enum FramedDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    case frame(WireFormatError)
    case datum(AvroDecodingError)

    public var description: String {
        switch self {
        case .frame(let error): error.description
        case .datum(let error): error.description
        }
    }
}

extension AvroDecoder {
    /// Decodes the body of a Confluent wire-format frame (the schema id is returned, not
    /// checked: which schema an id names is the registry's business).
    public func decodeFramed(_ frame: UnsafeRawBufferPointer) throws(FramedDecodingError) -> (schemaID: UInt32, value: AvroValue) {
        let unframed: (schemaID: UInt32, body: UnsafeRawBufferPointer)
        do {
            unframed = try ConfluentWireFormat.unframe(frame)
        } catch {
            throw .frame(error)
        }
        do {
            return (unframed.schemaID, try decode(unframed.body))
        } catch {
            throw .datum(error)
        }
    }

    /// Decodes the body of a Confluent wire-format frame.
    public func decodeFramed(_ frame: [UInt8]) throws(FramedDecodingError) -> (schemaID: UInt32, value: AvroValue) {
        let result = frame.withUnsafeBytes { bytes in
            Result { () throws(FramedDecodingError) in try decodeFramed(bytes) }
        }
        return try result.get()
    }
}
