import Avro
import Testing

@Suite("Resolution: projecting writer values into the reader's shape")
struct ResolutionPlanTests {
    private func project(_ value: AvroValue, from writer: String, to reader: String) throws -> AvroValue {
        let plan = try ResolutionPlan(writer: try compatSchema(writer), reader: try compatSchema(reader))
        let projected = try plan.project(value)
        #expect(projected.conforms(to: plan.reader))
        return projected
    }

    @Test func fieldsAreReorderedDroppedAndMissingOnesFilledFromReaderDefaultsIncludingNestedRecordDefaults() throws {
        let written = AvroValue.record([.long(7), .string("legacy-9"), .string("Ada")])
        let projected = try project(written, from: "customer-writer", to: "customer-reader")
        #expect(projected == .record([
            .string("Ada"),
            .record([.string("Main Street"), .string("Berlin")]),
            .long(7),
            .array([.string("new")]),
            .union(0, .null),
        ]))
    }

    @Test func enumSymbolsAreMappedByNameNotPosition() throws {
        // Writer symbols: RED GREEN BLUE PURPLE; reader symbols: GREEN BLUE RED UNKNOWN (default UNKNOWN).
        let green = try project(.record([.enumeration(1)]), from: "paint-writer", to: "paint-reader")
        #expect(green == .record([.enumeration(0)]))
        let red = try project(.record([.enumeration(0)]), from: "paint-writer", to: "paint-reader")
        #expect(red == .record([.enumeration(2)]))
    }

    @Test func anEnumSymbolUnknownToTheReaderBecomesTheReaderDefault() throws {
        let purple = try project(.record([.enumeration(3)]), from: "paint-writer", to: "paint-reader")
        #expect(purple == .record([.enumeration(3)]))
    }

    @Test func promotionsConvertIntLongFloatAndStringBytes() throws {
        let written = AvroValue.record([
            .int(1), .int(2), .int(3), .long(4), .long(5), .float(6.5), .string("é"), .bytes([0x68, 0x69]),
        ])
        let projected = try project(written, from: "numbers-writer", to: "numbers-reader")
        #expect(projected == .record([
            .long(1), .float(2), .double(3), .float(4), .double(5), .double(6.5), .bytes([0xC3, 0xA9]), .string("hi"),
        ]))
    }

    @Test func writerUnionBranchesAreRemappedToTheMatchingReaderBranch() throws {
        // value: ["null","string","int"] -> ["int","null","string"]; count: int -> ["null","long"];
        // size: ["int","long"] -> double; exact: int -> ["long","int"] (the exact branch wins over the promotion).
        let projected = try project(.record([.union(2, .int(5)), .int(3), .union(1, .long(9)), .int(4)]), from: "shape-writer", to: "shape-reader")
        #expect(projected == .record([.union(0, .int(5)), .union(1, .long(3)), .double(9), .union(1, .int(4))]))
        let others = try project(.record([.union(0, .null), .int(0), .union(0, .int(2)), .int(0)]), from: "shape-writer", to: "shape-reader")
        #expect(others == .record([.union(1, .null), .union(1, .long(0)), .double(2), .union(1, .int(0))]))
        let string = try project(.record([.union(1, .string("s")), .int(0), .union(0, .int(0)), .int(0)]), from: "shape-writer", to: "shape-reader")
        #expect(string == .record([.union(2, .string("s")), .union(1, .long(0)), .double(0), .union(1, .int(0))]))
    }

    @Test func aRenamedRecordAndARenamedFieldAreResolvedThroughAliases() throws {
        let written = AvroValue.record([.string("p-1"), .int(250), .enumeration(1), .union(0, .null)])
        #expect(try project(written, from: "payment-v1", to: "payment-v2-renamed-with-alias") == written)
        #expect(try project(written, from: "payment-v1", to: "payment-v2-amount-renamed-total") == written)
    }

    @Test func aRemovedEnumSymbolFallsBackToTheReaderDefault() throws {
        // Writer Status: PENDING PAID; reader Status: PENDING UNKNOWN (default UNKNOWN).
        let paid = AvroValue.record([.string("p-1"), .int(1), .enumeration(1), .union(1, .string("n"))])
        let projected = try project(paid, from: "payment-v1", to: "payment-v2-status-without-paid-default")
        #expect(projected == .record([.string("p-1"), .int(1), .enumeration(1), .union(1, .string("n"))]))
    }

    @Test func nestedRecordsInArraysAndMapsGetTheirNewFieldsDefaults() throws {
        let written = AvroValue.record([
            .string("o-1"),
            .array([.record([.string("sku-1"), .int(2)]), .record([.string("sku-2"), .int(1)])]),
            .map([AvroValue.MapEntry(key: "gift", value: .record([.string("yes")]))]),
        ])
        let projected = try project(written, from: "order-v1", to: "order-v2-line-discount-default")
        #expect(projected == .record([
            .string("o-1"),
            .array([.record([.string("sku-1"), .int(2), .int(0)]), .record([.string("sku-2"), .int(1), .int(0)])]),
            .map([AvroValue.MapEntry(key: "gift", value: .record([.string("yes")]))]),
        ]))
    }

    @Test func aRecursiveRecordIsProjectedAtEveryDepth() throws {
        let list = AvroValue.record([.int(1), .union(1, .record([.int(2), .union(1, .record([.int(3), .union(0, .null)]))]))])
        let labelled = try project(list, from: "list-v1", to: "list-v2-label-default")
        #expect(labelled == .record([.int(1), .union(1, .record([.int(2), .union(1, .record([.int(3), .union(0, .null), .string("none")])), .string("none")])), .string("none")]))
        let widened = try project(list, from: "list-v1", to: "list-v2-value-long")
        #expect(widened == .record([.long(1), .union(1, .record([.long(2), .union(1, .record([.long(3), .union(0, .null)]))]))]))
    }

    @Test func aPlanForAnIncompatiblePairIsRefusedWithTheCheckersReasons() throws {
        let reader = try compatSchema("payment-v2-currency-required")
        let writer = try compatSchema("payment-v1")
        let error = #expect(throws: ResolutionError.self) { try ResolutionPlan(writer: writer, reader: reader) }
        #expect(error?.code == .incompatibleSchemas)
        #expect(error?.incompatibilities == CompatibilityChecker.canRead(reader: reader, writer: writer))
    }

    @Test func aPlanBetweenEqualSchemasLeavesValuesUnchanged() throws {
        let schema = try compatSchema("payment-v1")
        let value = AvroValue.record([.string("p"), .int(1), .enumeration(0), .union(0, .null)])
        #expect(try ResolutionPlan(writer: schema, reader: schema).project(value) == value)
    }

    @Test func aValueNotShapedByTheWriterIsAnErrorNotACrash() throws {
        let plan = try ResolutionPlan(writer: try compatSchema("shape-writer"), reader: try compatSchema("shape-reader"))
        let badValues: [AvroValue] = [
            .null,
            .record([.int(1)]),
            .record([.union(7, .int(5)), .int(3), .union(1, .long(9)), .int(4)]),
            .record([.union(2, .int(5)), .string("x"), .union(1, .long(9)), .int(4)]),
        ]
        for value in badValues {
            let error = #expect(throws: ResolutionError.self) { try plan.project(value) }
            #expect(error?.code == .valueDoesNotMatchWriter)
        }
        let paint = try ResolutionPlan(writer: try compatSchema("paint-writer"), reader: try compatSchema("paint-reader"))
        #expect(throws: ResolutionError.self) { try paint.project(.record([.enumeration(4)])) }
    }
}
