/// A writer schema (and, when there is one, its resolution into a reader schema) compiled for one
/// JSON shape into a flat program that turns a datum's binary encoding straight into JSON text.
///
/// The program is blocks of ``DirectOp``s in one array: the root's block first, then one per array
/// item, map value and recursive record. Records and unions are inline in their block (a union jumps
/// to its branch's code), and every constant piece of output, such as `,"fieldName":` or a reader
/// field's default, is precomputed in `text`.
///
/// The three parts are copied once into memory this object owns, so that a run reads them through
/// plain pointers: no array is retained or bounds-checked per datum.
///
/// `@unchecked Sendable`: the memory is written only in `init` and freed only in `deinit`; in between
/// every thread only reads it.
final class DirectProgram: @unchecked Sendable {
    /// The instructions.
    let ops: UnsafePointer<DirectOp>
    /// Constant JSON text the `text` ops and enum symbols point into.
    let text: UnsafePointer<UInt8>
    /// Operand tables: enum symbol spans, union branch pcs, reordered records' field descriptions.
    let table: UnsafePointer<Int32>

    init(ops: [DirectOp], text: [UInt8], table: [Int32]) {
        self.ops = UnsafePointer(Self.copy(ops))
        self.text = UnsafePointer(Self.copy(text))
        self.table = UnsafePointer(Self.copy(table))
    }

    deinit {
        UnsafeMutablePointer(mutating: ops).deallocate()
        UnsafeMutablePointer(mutating: text).deallocate()
        UnsafeMutablePointer(mutating: table).deallocate()
    }

    /// The pointers a ``DirectRun`` reads, valid while the program lives.
    typealias Pointers = (ops: UnsafePointer<DirectOp>, text: UnsafePointer<UInt8>, table: UnsafePointer<Int32>)

    /// The pointers a ``DirectRun`` reads.
    var pointers: Pointers { (ops, text, table) }

    /// A copy of `elements` (at least one element's room, so that an empty part still has an address).
    private static func copy<Element>(_ elements: [Element]) -> UnsafeMutablePointer<Element> {
        let storage = UnsafeMutablePointer<Element>.allocate(capacity: max(elements.count, 1))
        elements.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { storage.initialize(from: base, count: source.count) }
        }
        return storage
    }
}
