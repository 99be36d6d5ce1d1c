extension Array where Element == CChar {
    /// The NUL-terminated text librdkafka wrote into this buffer (its `errstr` arguments).
    var nulTerminatedString: String {
        String(decoding: prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
