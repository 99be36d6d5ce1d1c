@testable import Avro
import Testing

/// The hand-written text conversions behind the logical types.
@Suite struct LogicalTextTests {
    private func withBytes<R>(_ text: String, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        Array(text.utf8).withUnsafeBytes(body)
    }

    @Test func civilDaysMatchKnownDates() {
        #expect(CivilTime.days(year: 1970, month: 1, day: 1) == 0)
        #expect(CivilTime.days(year: 2000, month: 3, day: 1) == 11017)
        #expect(CivilTime.days(year: 0, month: 1, day: 1) == CivilTime.minimumDay)
        #expect(CivilTime.days(year: 9999, month: 12, day: 31) == CivilTime.maximumDay)
        for day in stride(from: CivilTime.minimumDay, through: CivilTime.maximumDay, by: 997) {
            let date = CivilTime.civil(days: day)
            #expect(CivilTime.days(year: date.year, month: date.month, day: date.day) == day)
        }
    }

    @Test func leapYearsFollowTheGregorianRules() {
        #expect(withBytes("2000-02-29") { CivilTime.parseDate($0) } != nil)
        #expect(withBytes("1900-02-29") { CivilTime.parseDate($0) } == nil)
        #expect(withBytes("2024-02-29") { CivilTime.parseDate($0) } != nil)
        #expect(withBytes("2023-02-29") { CivilTime.parseDate($0) } == nil)
    }

    @Test func malformedDateTimesAreRejected() {
        for text in ["2024-1-01", "2024-01-01T", "2024-01-01T10:00", "2024-01-01T10:00:00.", "2024-01-01T10:00:00.1234567890Z",
                     "2024-01-01T25:00:00Z", "2024-01-01T10:60:00Z", "2024-01-01T10:00:60Z", "2024-01-01T10:00:00+2400",
                     "2024-01-01T10:00:00+01:60", "2024-01-01T10:00:00Zjunk", "+2024-01-01T10:00:00Z", "2024-13-01T00:00:00Z"] {
            #expect(withBytes(text) { CivilTime.parseDateTime($0, zoned: true) } == nil, "\(text)")
        }
    }

    @Test func zoneOffsetsComeInThreeForms() {
        for text in ["1970-01-01T01:00:00+01:00", "1970-01-01T01:00:00+0100", "1970-01-01T01:00:00+01"] {
            #expect(withBytes(text) { CivilTime.parseDateTime($0, zoned: true)?.seconds } == 0, "\(text)")
        }
        #expect(withBytes("1969-12-31T23:00:00-01:00") { CivilTime.parseDateTime($0, zoned: true)?.seconds } == 0)
    }

    @Test func decimalTextParsesSignsFractionsAndExponents() throws {
        func unscaled(_ text: String, precision: Int = 10, scale: Int = 2) throws -> String {
            var digits: [UInt8] = []
            let negative = try withBytes(text) { bytes in
                Result { () throws(DecimalText.Problem) in try DecimalText.unscaledDigits(bytes, precision: precision, scale: scale, into: &digits) }
            }.get()
            return (negative ? "-" : "") + digits.map(String.init).joined()
        }
        #expect(try unscaled("1.5") == "150")
        #expect(try unscaled("-0.01") == "-1")
        #expect(try unscaled("+7") == "700")
        #expect(try unscaled(".5") == "50")
        #expect(try unscaled("5.") == "500")
        #expect(try unscaled("1.5E-1") == "15")
        #expect(try unscaled("0.00") == "")
        #expect(try unscaled("-0") == "")
        #expect(try unscaled("00012.300") == "1230")
        #expect(throws: DecimalText.Problem.tooManyFractionDigits) { try unscaled("1.005") }
        #expect(throws: DecimalText.Problem.tooManyDigits) { try unscaled("123456789") }
        #expect(throws: DecimalText.Problem.notANumber) { try unscaled("1e") }
        #expect(throws: DecimalText.Problem.notANumber) { try unscaled("-") }
        #expect(throws: DecimalText.Problem.notANumber) { try unscaled("1,5") }
    }

    @Test func decimalBytesRoundTripThroughText() throws {
        for text in ["0.00", "0.01", "-0.01", "1.27", "1.28", "-1.28", "-1.29", "327.67", "-327.68", "92233720368547758.07", "-92233720368547758.08",
                     "1234567890123456789012345678.90", "-1234567890123456789012345678.90"] {
            var digits: [UInt8] = []
            var bytes: [UInt8] = []
            try withBytes(text) { input in
                Result { () throws(DecimalText.Problem) in
                    try DecimalText.encode(input, precision: 30, scale: 2, size: nil, into: &bytes, digits: &digits)
                }
            }.get()
            var out: [UInt8] = []
            bytes.withUnsafeBytes { DecimalText.format($0, scale: 2, to: &out) }
            #expect(String(decoding: out, as: UTF8.self) == text)
        }
    }

    @Test func uuidTextParsesAndFormats() {
        let parsed = withBytes("00112233-4455-6677-8899-AABBCCDDEEFF") { UUIDText.parse($0) }
        #expect(parsed == [0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF])
        var out: [UInt8] = []
        parsed!.withUnsafeBytes { UUIDText.format($0, to: &out) }
        #expect(String(decoding: out, as: UTF8.self) == "00112233-4455-6677-8899-aabbccddeeff")
        #expect(withBytes("00112233-4455-6677-8899_AABBCCDDEEFF") { UUIDText.parse($0) } == nil)
    }

    @Test func base64RoundTripsEveryLength() {
        for length in 0 ..< 20 {
            let bytes = (0 ..< length).map { UInt8(truncatingIfNeeded: $0 * 37 + 11) }
            var text: [UInt8] = []
            bytes.withUnsafeBytes { Base64.encode($0, to: &text) }
            var decoded: [UInt8] = []
            #expect(text.withUnsafeBytes { Base64.decode($0, into: &decoded) })
            #expect(decoded == bytes)
        }
    }

    @Test func base64RejectsBadPaddingAndLeftoverBits() {
        for text in ["A", "AB=", "AB===", "AB=C", "AB", "AQ=="] {
            var decoded: [UInt8] = []
            let accepted = withBytes(text) { Base64.decode($0, into: &decoded) }
            #expect(accepted == (text == "AQ=="), "\(text)")
        }
    }

    @Test func utf8ValidationFollowsRFC3629() {
        func valid(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBufferPointer { UTF8Validator.isValid($0) } }
        #expect(valid(Array("héllo 😀 日本 plain ascii text".utf8)))
        #expect(!valid([0xC0, 0x80]))
        #expect(!valid([0xE0, 0x80, 0x80]))
        #expect(!valid([0xED, 0xA0, 0x80]))
        #expect(!valid([0xF4, 0x90, 0x80, 0x80]))
        #expect(!valid([0xF8, 0x80, 0x80, 0x80, 0x80]))
        #expect(!valid(Array("abcdefgh".utf8) + [0x80]))
    }
}
