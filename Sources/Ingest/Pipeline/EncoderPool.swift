import Avro
import Foundation

/// Encoders for one schema, kept for reuse: an ``AvroEncoder`` owns an avro-c value and buffers,
/// so making one per request would allocate for every request.
///
/// `@unchecked Sendable`: the array is only touched with `lock` held, and an encoder taken out is
/// used by one task until it is given back.
final class EncoderPool: @unchecked Sendable {
    private let codec: AvroCodec
    private let options: AvroEncoder.Options
    private let lock = NSLock()
    private var idle: [AvroEncoder] = []
    private let maxIdle = 32

    init(codec: AvroCodec, options: AvroEncoder.Options) {
        self.codec = codec
        self.options = options
    }

    /// An idle encoder, or a new one.
    func take() throws(AvroCodecError) -> AvroEncoder {
        if let encoder = lock.withLock({ idle.popLast() }) {
            return encoder
        }
        return try codec.makeEncoder(options: options)
    }

    /// Gives an encoder back for the next request.
    func give(_ encoder: AvroEncoder) {
        lock.withLock {
            if idle.count < maxIdle { idle.append(encoder) }
        }
    }
}
