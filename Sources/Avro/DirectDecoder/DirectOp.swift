/// One instruction of a ``DirectProgram``: plain data, so the run loop reads it without touching a
/// reference count. Every instruction first writes its prefix, constant text such as `,"fieldName":`
/// (so that a field is one instruction, not two); what the operands mean depends on the code.
struct DirectOp: Sendable {
    enum Code: UInt8, Sendable {
        /// Only the prefix.
        case text
        /// A boolean byte, written `true` or `false`.
        case boolean
        /// An int (`flag` 1: promoted, so read as an int into a long's format), written per `format`:
        /// decimal, date, time-millis.
        case int
        /// A long (or an int when `flag` is 1), written per `format`: decimal, timestamp (`b` units per
        /// second, `c` fraction digits, plus 256 when zoned), time-micros.
        case long
        /// A float, written as a float (`flag` 0) or promoted to a double (`flag` 1).
        case float
        /// A double.
        case double
        /// An int (`flag` 1) or long (`flag` 0) promoted to a float (`format` 0) or a double (`format` 1).
        case promotedToFloating
        /// A string, written as a string, or (string→bytes promotion) as bytes per `format`.
        case string
        /// Bytes, written per `format` (`c`: a decimal's scale).
        case bytes
        /// A fixed of `a` bytes, written per `format` (`c`: a decimal's scale).
        case fixed
        /// An enum index below `b`; the symbol text's span is at `table[a + 2 × index]`.
        case enumeration
        /// A union index below `b`; the branch's code starts at the pc `table[a + 3 × index]`, after the
        /// text at `table[a + 3 × index + 1]` of length `table[a + 3 × index + 2]` (a null branch's `null`).
        case union
        /// Continue at pc `a`.
        case jump
        /// An array: items run the block at pc `a` at depth + `c`; `b` is an item's least encoded size.
        case array
        /// A map: values run the block at pc `a` at depth + `c`; `b` is an entry's least encoded size.
        case map
        /// Run the block at pc `a` at depth + `c` (a recursive type).
        case call
        /// Fail when depth + `c` reaches the depth limit.
        case checkDepth
        /// Fail: nesting too deep (known when compiling).
        case tooDeep
        /// Remember the output's length, to drop what a writer field the reader does not read writes.
        case mark
        /// Drop the output written since the last `mark`.
        case discard
        /// Push the output's length: the start of a writer field of a record whose fields the reader reorders.
        case pushSegment
        /// Rewrite the last `c` segments (the writer fields) as the reader record: `b` reader fields
        /// described at `table[a...]` (see ``DirectProgramCompiler``).
        case reorder
        /// Return from the block.
        case ret
    }

    /// How a bytes-like value or a number is written.
    enum Format: UInt8, Sendable {
        case plain, date, timeMillis, timestamp, timeMicros
        case codePoints, base64, decimal, uuid
        /// Bytes read where the reader has a string (bytes→string promotion).
        case text
        /// A float or double (for ``Code/promotedToFloating``).
        case single, double
    }

    var code: Code
    var format: Format = .plain
    var flag: UInt8 = 0
    var a: Int32 = 0
    var b: Int32 = 0
    var c: Int32 = 0
    /// The prefix: `text[prefix ..< prefix + prefixCount]`.
    var prefix: Int32 = 0
    var prefixCount: Int32 = 0
}
