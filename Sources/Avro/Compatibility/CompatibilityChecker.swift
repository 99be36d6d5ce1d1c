/// Schema compatibility: whether a reader schema can read a writer schema's data, and whether a new
/// schema may follow existing ones under a ``CompatibilityLevel``, with Confluent's semantics.
public enum CompatibilityChecker {
    /// Every reason `reader` cannot read data written with `writer`; empty when it can.
    /// Follows the Avro specification's resolution rules as Avro's Java `SchemaCompatibility` applies
    /// them (which Confluent's registry uses); like Java, logical types are ignored.
    public static func canRead(reader: AvroSchema, writer: AvroSchema) -> [Incompatibility] {
        var check = ReadabilityCheck(reader: reader, writer: writer)
        return check.check(reader: reader.root, writer: writer.root, path: "").map(\.withRootSlash)
    }

    /// Every reason `new` may not follow `existing` (oldest first) under `level`; empty when it may.
    ///
    /// Backward levels check that `new` reads an existing schema, forward levels that an existing
    /// schema reads `new`, full levels both (forward reasons first, as Confluent lists them).
    /// Non-transitive levels check the latest existing schema only; transitive ones check them all,
    /// newest first, and stop at the first that fails, as Confluent does. Each reason's
    /// ``Incompatibility/direction`` says which existing schema it concerns and which way it read.
    public static func check(new: AvroSchema, existing: [AvroSchema], level: CompatibilityLevel) -> [Incompatibility] {
        guard level != .none, let latest = existing.indices.last else { return [] }
        let indices = level.isTransitive ? Array(existing.indices.reversed()) : [latest]
        for index in indices {
            var found: [Incompatibility] = []
            if level.checksForward {
                found += canRead(reader: existing[index], writer: new).map { incompatibility in
                    var incompatibility = incompatibility
                    incompatibility.direction = .existingReadsNew(index)
                    return incompatibility
                }
            }
            if level.checksBackward {
                found += canRead(reader: new, writer: existing[index]).map { incompatibility in
                    var incompatibility = incompatibility
                    incompatibility.direction = .newReadsExisting(index)
                    return incompatibility
                }
            }
            if !found.isEmpty { return found }
        }
        return []
    }

    /// The messages Confluent's registry returns for a failed check (`verbose=true`): each reason's
    /// ``Incompatibility/confluentMessage``, then `{oldSchemaVersion: N}` and `{oldSchema: '...'}` for the
    /// existing schema concerned (omitted after the forward half of a full level, as Confluent does),
    /// then `{compatibility: 'LEVEL'}`.
    ///
    /// - Parameters:
    ///   - incompatibilities: the result of ``check(new:existing:level:)``.
    ///   - version: the registry version of the existing schema at an index, if it has one.
    ///   - schemaText: the text of the existing schema at an index, as the registry shows it.
    public static func confluentMessages(
        for incompatibilities: [Incompatibility], level: CompatibilityLevel,
        version: (Int) -> Int?, schemaText: (Int) -> String
    ) -> [String] {
        guard !incompatibilities.isEmpty else { return [] }
        var messages: [String] = []
        var index = incompatibilities.startIndex
        while index < incompatibilities.endIndex {
            let direction = incompatibilities[index].direction
            while index < incompatibilities.endIndex, incompatibilities[index].direction == direction {
                messages.append(incompatibilities[index].confluentMessage)
                index += 1
            }
            let isForwardHalfOfFull = if case .existingReadsNew = direction { level.checksBackward } else { false }
            if let existingIndex = direction?.existingIndex, !isForwardHalfOfFull {
                if let number = version(existingIndex) {
                    messages.append(Incompatibility.confluentOldSchemaVersionMessage(number))
                }
                messages.append(Incompatibility.confluentOldSchemaMessage(schemaText(existingIndex)))
            }
        }
        messages.append(level.confluentMessage)
        return messages
    }
}
