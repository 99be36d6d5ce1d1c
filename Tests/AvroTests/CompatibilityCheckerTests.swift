import Avro
import Testing

/// A change from `payment-v1` and whether it keeps each direction readable.
struct PaymentEvolution: CustomTestStringConvertible, Sendable {
    let newSchema: String
    /// The new schema reads data written with v1.
    let backward: Bool
    /// v1 reads data written with the new schema.
    let forward: Bool
    var testDescription: String { newSchema }
}

@Suite("Compatibility checker: reader/writer rules")
struct CompatibilityCheckerTests {
    static let paymentEvolutions: [PaymentEvolution] = [
        .init(newSchema: "payment-v2-currency-with-default", backward: true, forward: true),
        .init(newSchema: "payment-v2-currency-required", backward: false, forward: true),
        .init(newSchema: "payment-v2-amount-removed", backward: true, forward: false),
        .init(newSchema: "payment-v2-amount-long", backward: true, forward: false),
        .init(newSchema: "payment-v2-amount-double", backward: true, forward: false),
        .init(newSchema: "payment-v2-amount-string", backward: false, forward: false),
        .init(newSchema: "payment-v2-status-refunded", backward: true, forward: false),
        .init(newSchema: "payment-v2-status-refunded-default", backward: true, forward: false),
        .init(newSchema: "payment-v2-status-without-paid", backward: false, forward: true),
        .init(newSchema: "payment-v2-status-without-paid-default", backward: true, forward: false),
        .init(newSchema: "payment-v2-note-widened", backward: true, forward: false),
        .init(newSchema: "payment-v2-note-narrowed", backward: false, forward: true),
        .init(newSchema: "payment-v2-renamed-with-alias", backward: true, forward: false),
        .init(newSchema: "payment-v2-renamed-without-alias", backward: false, forward: false),
        .init(newSchema: "payment-v2-amount-renamed-total", backward: true, forward: false),
    ]

    @Test("Each payment evolution is accepted or rejected per level as Avro resolution says", arguments: paymentEvolutions)
    func paymentEvolutionVerdictsPerLevel(_ evolution: PaymentEvolution) throws {
        let old = try compatSchema("payment-v1")
        let new = try compatSchema(evolution.newSchema)
        #expect(CompatibilityChecker.check(new: new, existing: [old], level: .backward).isEmpty == evolution.backward)
        #expect(CompatibilityChecker.check(new: new, existing: [old], level: .forward).isEmpty == evolution.forward)
        #expect(CompatibilityChecker.check(new: new, existing: [old], level: .full).isEmpty == (evolution.backward && evolution.forward))
        #expect(CompatibilityChecker.check(new: new, existing: [old], level: .none).isEmpty)
    }

    @Test func addingAFieldWithoutDefaultIsReportedAtTheReaderField() throws {
        let found = CompatibilityChecker.canRead(reader: try compatSchema("payment-v2-currency-required"), writer: try compatSchema("payment-v1"))
        #expect(found == [Incompatibility(
            kind: .readerFieldMissingDefault, location: "/fields/4",
            message: "reader field `currency` has no default and is missing from the writer", additionalInfo: "currency")])
    }

    @Test func removingAFieldWithoutDefaultBreaksOldReaders() throws {
        let found = CompatibilityChecker.canRead(reader: try compatSchema("payment-v1"), writer: try compatSchema("payment-v2-amount-removed"))
        #expect(found.map(\.kind) == [.readerFieldMissingDefault])
        #expect(found.map(\.location) == ["/fields/1"])
    }

    @Test func narrowingAPromotedTypeIsATypeMismatch() throws {
        let found = CompatibilityChecker.canRead(reader: try compatSchema("payment-v1"), writer: try compatSchema("payment-v2-amount-long"))
        #expect(found == [Incompatibility(
            kind: .typeMismatch, location: "/fields/1/type",
            message: "in field `amount`, the reader's `int` cannot read the writer's `long`",
            additionalInfo: "reader type: INT not compatible with writer type: LONG")])
    }

    @Test func anEnumSymbolTheReaderLacksNeedsAReaderDefault() throws {
        let found = CompatibilityChecker.canRead(reader: try compatSchema("payment-v2-status-without-paid"), writer: try compatSchema("payment-v1"))
        #expect(found == [Incompatibility(
            kind: .missingEnumSymbols, location: "/fields/2/type/symbols",
            message: "writer's enum symbol `PAID` is not in the reader's enum `com.example.payments.Status` and it has no default",
            additionalInfo: "[PAID]")])
        #expect(CompatibilityChecker.canRead(reader: try compatSchema("payment-v2-status-without-paid-default"), writer: try compatSchema("payment-v1")).isEmpty)
    }

    @Test func aWriterUnionBranchTheReaderUnionLacksIsAMissingBranch() throws {
        let found = CompatibilityChecker.canRead(reader: try compatSchema("payment-v1"), writer: try compatSchema("payment-v2-note-widened"))
        #expect(found == [Incompatibility(
            kind: .missingUnionBranch, location: "/fields/3/type/2",
            message: "in field `note`, no branch of the reader's union (`null`, `string`) can read the writer's `int`",
            additionalInfo: "reader union lacking writer type: INT")])
    }

    @Test func aReaderThatIsNotAUnionMustReadEveryWriterBranch() throws {
        let found = CompatibilityChecker.canRead(reader: try compatSchema("payment-v2-note-narrowed"), writer: try compatSchema("payment-v1"))
        #expect(found.map(\.kind) == [.typeMismatch])
        #expect(found.map(\.location) == ["/fields/3/type/0"])
    }

    @Test func aRenamedRecordReadsTheOldNameThroughItsAlias() throws {
        let renamed = try compatSchema("payment-v2-renamed-with-alias")
        let old = try compatSchema("payment-v1")
        #expect(CompatibilityChecker.canRead(reader: renamed, writer: old).isEmpty)
        #expect(CompatibilityChecker.canRead(reader: old, writer: renamed) == [Incompatibility(
            kind: .nameMismatch, location: "/name",
            message: "the reader's record `com.example.payments.Payment` does not match the writer's `com.example.payments.Transfer` by name and has no alias for it",
            additionalInfo: "expected: com.example.payments.Transfer")])
    }

    @Test func aRenamedFieldReadsTheOldFieldThroughItsAlias() throws {
        #expect(CompatibilityChecker.canRead(reader: try compatSchema("payment-v2-amount-renamed-total"), writer: try compatSchema("payment-v1")).isEmpty)
    }

    @Test func recordsInDifferentNamespacesMatchByUnqualifiedNameAsJavaDoes() throws {
        let reader = try inlineSchema(#"{"type":"record","name":"a.Point","fields":[{"name":"x","type":"int"}]}"#)
        let writer = try inlineSchema(#"{"type":"record","name":"b.Point","fields":[{"name":"x","type":"int"}]}"#)
        #expect(CompatibilityChecker.canRead(reader: reader, writer: writer).isEmpty)
    }

    @Test func aFixedSizeChangeIsRejectedBothWays() throws {
        let small = try compatSchema("blob-digest-16")
        let large = try compatSchema("blob-digest-32")
        #expect(CompatibilityChecker.canRead(reader: large, writer: small) == [Incompatibility(
            kind: .fixedSizeMismatch, location: "/fields/0/type/size",
            message: "the reader's fixed `Digest` has 32 bytes but the writer's has 16",
            additionalInfo: "expected: 16, found: 32")])
        #expect(CompatibilityChecker.canRead(reader: small, writer: large).map(\.kind) == [.fixedSizeMismatch])
    }

    @Test func aChangeDeepInsideAnArrayOfRecordsIsLocatedThere() throws {
        let found = CompatibilityChecker.canRead(reader: try compatSchema("order-v2-line-discount-required"), writer: try compatSchema("order-v1"))
        #expect(found.map(\.location) == ["/fields/1/type/items/fields/2"])
        #expect(found.map(\.kind) == [.readerFieldMissingDefault])
    }

    @Test func aChangeDeepInsideAMapOfRecordsIsLocatedThere() throws {
        let found = CompatibilityChecker.canRead(reader: try compatSchema("order-v2-attribute-source-required"), writer: try compatSchema("order-v1"))
        #expect(found.map(\.location) == ["/fields/2/type/values/fields/1"])
    }

    @Test func aNestedFieldAddedWithDefaultKeepsFullCompatibility() throws {
        let new = try compatSchema("order-v2-line-discount-default")
        #expect(CompatibilityChecker.check(new: new, existing: [try compatSchema("order-v1")], level: .fullTransitive).isEmpty)
    }

    @Test func aRecursiveSchemaIsCheckedAndTheCheckTerminates() throws {
        let list = try compatSchema("list-v1")
        #expect(CompatibilityChecker.check(new: try compatSchema("list-v2-label-default"), existing: [list], level: .full).isEmpty)
        let required = CompatibilityChecker.canRead(reader: try compatSchema("list-v2-label-required"), writer: list)
        #expect(required.map(\.location) == ["/fields/2"])
        let narrowed = CompatibilityChecker.canRead(reader: list, writer: try compatSchema("list-v2-value-long"))
        #expect(narrowed.map(\.location) == ["/fields/0/type"])
    }

    @Test func aMismatchAtTheRootIsLocatedAtSlash() throws {
        let found = CompatibilityChecker.canRead(reader: try inlineSchema(#""int""#), writer: try inlineSchema(#""string""#))
        #expect(found.map(\.location) == ["/"])
        #expect(found.map(\.message) == ["the reader's `int` cannot read the writer's `string`"])
    }

    static let primitives = ["null", "boolean", "int", "long", "float", "double", "bytes", "string"]
    static let promotions: Set<[String]> = [
        ["long", "int"], ["float", "int"], ["double", "int"], ["float", "long"], ["double", "long"],
        ["double", "float"], ["bytes", "string"], ["string", "bytes"],
    ]

    @Test("A primitive reads itself and the specification's promotions only", arguments: primitives, primitives)
    func primitivePromotions(reader: String, writer: String) throws {
        let readable = reader == writer || Self.promotions.contains([reader, writer])
        let found = CompatibilityChecker.canRead(reader: try inlineSchema("\"\(reader)\""), writer: try inlineSchema("\"\(writer)\""))
        #expect(found.isEmpty == readable)
    }

    @Test func aReaderUnionReadsAWriterTypeOneOfItsBranchesReadsByPromotion() throws {
        #expect(CompatibilityChecker.canRead(reader: try inlineSchema(#"["null","double"]"#), writer: try inlineSchema(#""int""#)).isEmpty)
        #expect(CompatibilityChecker.canRead(reader: try inlineSchema(#"["null","int"]"#), writer: try inlineSchema(#""long""#)).map(\.kind) == [.missingUnionBranch])
    }

    @Test func aWriterUnionIsReadableByANonUnionReaderWhenEveryBranchIs() throws {
        #expect(CompatibilityChecker.canRead(reader: try inlineSchema(#""double""#), writer: try inlineSchema(#"["int","long","float"]"#)).isEmpty)
        let found = CompatibilityChecker.canRead(reader: try inlineSchema(#""long""#), writer: try inlineSchema(#"["int","string"]"#))
        #expect(found.map(\.location) == ["/1"])
    }

    @Test func logicalTypesAreIgnoredAsJavaIgnoresThemEvenDecimalPrecision() throws {
        let narrow = try compatSchema("price-decimal-4-2")
        let wide = try compatSchema("price-decimal-9-3")
        #expect(CompatibilityChecker.check(new: wide, existing: [narrow], level: .full).isEmpty)
        let date = try inlineSchema(#"{"type":"int","logicalType":"date"}"#)
        #expect(CompatibilityChecker.canRead(reader: date, writer: try inlineSchema(#""int""#)).isEmpty)
    }
}
