import Synchronization

/// Slices of earlier batches, kept for the next ones: a batch's output reuses the memory of the one before
/// instead of allocating fresh pages, which the kernel would fault in again every batch.
///
/// A slice taken out is referenced by its taker alone, so emptying and refilling it does not copy its buffers.
final class DecodedSlicePool: Sendable {
    private let spares = Mutex<[DecodedSlice]>([])

    /// An emptied slice, reused when one is spare.
    func take() -> DecodedSlice {
        var slice = spares.withLock { $0.popLast() } ?? DecodedSlice()
        slice.reset()
        return slice
    }

    /// Keeps `slices` for later batches, once their lines were written.
    func giveBack(_ slices: [DecodedSlice]) {
        spares.withLock { $0.append(contentsOf: slices) }
    }
}
