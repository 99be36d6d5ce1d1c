import Avro
import Foundation
import Kafka

/// Writes the `--envelope` wrapper of a record: everything but the value, which follows last so that it
/// can be written straight after.
///
/// `{"topic":…,"partition":…,"offset":…,"timestamp":…,"key":…,"headers":[{"key":…,"value":…}],"schemaId":…,"value":`
/// — the timestamp in epoch milliseconds; the key and header values as text when they are UTF-8, otherwise
/// as base64 under `keyBase64` / `valueBase64`; `schemaId` is `null` for tombstones.
enum EnvelopeWriter {
    static func writePrefix(of record: some ConsumedRecord, schemaID: Int?, to out: inout [UInt8]) {
        out.append(contentsOf: #"{"topic":"#.utf8)
        writeString(record.topic, to: &out)
        out.append(contentsOf: #","partition":"#.utf8)
        out.append(contentsOf: String(record.partition).utf8)
        out.append(contentsOf: #","offset":"#.utf8)
        out.append(contentsOf: String(record.offset).utf8)
        out.append(contentsOf: #","timestamp":"#.utf8)
        if let timestamp = record.timestampMilliseconds {
            out.append(contentsOf: String(timestamp).utf8)
        } else {
            out.append(contentsOf: "null".utf8)
        }
        out.append(UInt8(ascii: ","))
        record.withKey { writeBytes($0, name: "key", to: &out) }
        out.append(contentsOf: #","headers":["#.utf8)
        for (index, header) in record.headers.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"key":"#.utf8)
            writeString(header.key, to: &out)
            out.append(UInt8(ascii: ","))
            if let value = header.value {
                value.withUnsafeBytes { writeBytes($0, name: "value", to: &out) }
            } else {
                writeBytes(nil, name: "value", to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: #"],"schemaId":"#.utf8)
        out.append(contentsOf: (schemaID.map(String.init) ?? "null").utf8)
        out.append(contentsOf: #","value":"#.utf8)
    }

    /// `"name":"text"` for UTF-8 bytes, `"nameBase64":"…"` for others, `"name":null` for none.
    private static func writeBytes(_ bytes: UnsafeRawBufferPointer?, name: String, to out: inout [UInt8]) {
        guard let bytes else {
            out.append(contentsOf: "\"\(name)\":null".utf8)
            return
        }
        if let text = String(validating: bytes, as: UTF8.self) {
            out.append(contentsOf: "\"\(name)\":".utf8)
            writeString(text, to: &out)
        } else {
            out.append(contentsOf: "\"\(name)Base64\":".utf8)
            writeString(Data(bytes).base64EncodedString(), to: &out)
        }
    }

    private static func writeString(_ value: String, to out: inout [UInt8]) {
        var text = ""
        JSONValue.writeString(value, to: &text)
        out.append(contentsOf: text.utf8)
    }
}
