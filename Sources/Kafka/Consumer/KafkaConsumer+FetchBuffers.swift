import CRdKafka

extension KafkaConsumer {
    /// The largest allocation glibc serves from its heaps once ``keepFetchBuffersMapped()`` ran (glibc's upper bound).
    public static let heapAllocationLimit = 32 << 20
    /// How much free memory at a heap's top glibc keeps once ``keepFetchBuffersMapped()`` ran.
    public static let heapTrimThreshold = 64 << 20

    /// Keeps librdkafka's fetch buffers in memory that is already mapped: a process-wide allocator setting
    /// (glibc only; elsewhere it does nothing) for a process that mostly consumes, to call before its
    /// consumers start.
    ///
    /// librdkafka reads each fetch response (up to `max.partition.fetch.bytes`, 1 MB by default) into one
    /// buffer that lives until the last of its records is destroyed. glibc maps every allocation over 128 KB
    /// afresh and unmaps it when freed, so each fetch costs the kernel a page fault per 4 KB. Served from the
    /// heap and kept there, the buffers reuse pages. `avrogate consume` of the reference records spent about
    /// 5 % less CPU per record with it, and its rate rose by about 8 %. The cost: up to
    /// ``heapTrimThreshold`` of freed memory stays with the process.
    public static func keepFetchBuffersMapped() {
        avrogate_keep_large_allocations_in_heap(Int32(heapAllocationLimit), Int32(heapTrimThreshold))
    }
}
