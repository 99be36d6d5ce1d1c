import Avro
import Foundation
import Testing

/// The deepest nesting the limits allow fits a thread stack of Linux's default size (8 MiB)
/// even in a debug build, for the encoder's walk and the decoder's recursion.
@Suite struct DepthLimitStackTests {
    private let schema = #"{"type":"record","name":"Node","fields":[{"name":"next","type":["null","Node"]}]}"#

    /// Runs `body` on a thread with an 8 MiB stack and waits for it.
    private func onDefaultStack(_ body: @escaping @Sendable () -> Void) {
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            body()
            done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
        done.wait()
    }

    @Test func theEncoderWalksTheDeepestAllowedEventOnADefaultThreadStack() throws {
        let codec = try CodecFixtures.codec(schema: schema)
        let depth = 256
        let event = String(repeating: #"{"next":"#, count: depth) + "null" + String(repeating: "}", count: depth)
        let result = UnsafeSendableBox<[UInt8]?>()
        onDefaultStack { result.value = try? codec.makeEncoder(options: AvroEncoder.Options(maxDepth: depth)).encode(json: event) }
        #expect(result.value??.count == depth)
    }

    @Test func theDecoderReadsTheDeepestAllowedDatumOnADefaultThreadStack() throws {
        let codec = try CodecFixtures.codec(schema: schema)
        let bytes = [UInt8](repeating: 2, count: 127) + [0]
        let decoder = codec.makeDecoder(options: AvroDecoder.Options(maxDepth: 256))
        let result = UnsafeSendableBox<AvroValue?>()
        onDefaultStack { result.value = try? decoder.decode(bytes) }
        #expect(result.value != nil && result.value! != nil)
    }

    @Test func theDirectDecoderWritesTheDeepestAllowedDatumsOnADefaultThreadStack() throws {
        let arraySchema = #"{"type":"record","name":"Tree","fields":[{"name":"children","type":{"type":"array","items":"Tree"}}]}"#
        // A chain of unions, and a chain of one-item arrays, each as deep as the limit allows.
        let datums = [(schema, [UInt8](repeating: 2, count: 127) + [0]), (arraySchema, [UInt8](repeating: 2, count: 127) + [UInt8](repeating: 0, count: 128))]
        for (schemaText, bytes) in datums {
            let codec = try CodecFixtures.codec(schema: schemaText)
            let direct = try DirectJSONDecoder(writer: codec, decoding: AvroDecoder.Options(maxDepth: 256))
            #expect(direct.isDirect)
            let result = UnsafeSendableBox<[UInt8]?>()
            onDefaultStack {
                var out: [UInt8] = []
                result.value = (try? direct.write(bytes, to: &out)).map { out }
            }
            let tree = try codec.makeDecoder(options: AvroDecoder.Options(maxDepth: 256)).decode(bytes)
            #expect(result.value.flatMap { $0 } == Array(AvroJSONWriter(codec: codec).json(tree).utf8))
        }
    }
}

/// A box handed to one thread and read after it is done (the semaphore orders the accesses).
private final class UnsafeSendableBox<Value>: @unchecked Sendable {
    var value: Value?
}
