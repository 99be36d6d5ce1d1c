/// A writer schema (and, when there is one, its resolution into a reader schema) compiled for one
/// JSON shape into a flat program that turns a datum's binary encoding straight into JSON text.
///
/// The program is blocks of ``DirectOp``s in one array: the root's block first, then one per array
/// item, map value and recursive record. Records and unions are inline in their block (a union jumps
/// to its branch's code), and every constant piece of output, such as `,"fieldName":` or a reader
/// field's default, is precomputed in `text`.
struct DirectProgram: Sendable {
    var ops: [DirectOp]
    /// Constant JSON text the `text` ops and enum symbols point into.
    var text: [UInt8]
    /// Operand tables: enum symbol spans, union branch pcs, reordered records' field descriptions.
    var table: [Int32]
}
