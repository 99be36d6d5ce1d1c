/// A read-only map from byte strings to small integers (field names, enum symbols, union
/// branch names), looked up by raw UTF-8 bytes so the hot path never builds a `String`.
struct ByteKeyTable: Sendable {
    private var keyBytes: [UInt8] = []
    /// Per key: start offset in `keyBytes`, length, and value.
    private var entries: [(start: Int32, length: Int32, value: Int32)] = []
    /// Open addressing over `entries` indices, -1 for empty; the size is a power of two.
    private var slots: [Int32] = []

    init(_ keys: [(key: String, value: Int)]) {
        var capacity = 4
        while capacity < keys.count * 2 { capacity *= 2 }
        slots = [Int32](repeating: -1, count: capacity)
        for (key, value) in keys {
            let bytes = Array(key.utf8)
            let done = bytes.withUnsafeBytes { lookup($0) != nil }
            if done { continue }
            let entry = Int32(entries.count)
            entries.append((Int32(keyBytes.count), Int32(bytes.count), Int32(value)))
            keyBytes.append(contentsOf: bytes)
            var slot = bytes.withUnsafeBytes { Int(truncatingIfNeeded: Self.hash($0)) } & (capacity - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (capacity - 1) }
            slots[slot] = entry
        }
    }

    /// The value stored for the key with these bytes.
    @inline(__always)
    func lookup(_ key: UnsafeRawBufferPointer) -> Int? {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: Self.hash(key)) & mask
        while true {
            let entry = slots[slot]
            if entry < 0 { return nil }
            let candidate = entries[Int(entry)]
            if Int(candidate.length) == key.count {
                let equal = keyBytes.withUnsafeBytes { stored in
                    key.count == 0 || memcmpEqual(stored.baseAddress! + Int(candidate.start), key.baseAddress!, key.count)
                }
                if equal { return Int(candidate.value) }
            }
            slot = (slot + 1) & mask
        }
    }

    /// FNV-1a.
    @inline(__always)
    private static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return hash ^ (hash >> 29)
    }
}

/// Whether `count` bytes at `a` and `b` are equal. Keys are short (field names, symbols): from
/// four bytes on, the tail is one word that may overlap the words before it, not a byte loop.
@inline(__always)
func memcmpEqual(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ count: Int) -> Bool {
    if count >= 8 {
        var index = 0
        while index + 8 < count {
            if a.loadUnaligned(fromByteOffset: index, as: UInt64.self) != b.loadUnaligned(fromByteOffset: index, as: UInt64.self) { return false }
            index += 8
        }
        return a.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self) == b.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
    }
    if count >= 4 {
        return a.loadUnaligned(as: UInt32.self) == b.loadUnaligned(as: UInt32.self)
            && a.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self) == b.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
    }
    var index = 0
    while index < count {
        if a.load(fromByteOffset: index, as: UInt8.self) != b.load(fromByteOffset: index, as: UInt8.self) { return false }
        index += 1
    }
    return true
}
