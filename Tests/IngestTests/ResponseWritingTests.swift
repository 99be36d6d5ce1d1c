import Hummingbird
@testable import Ingest
import Testing

/// The answer of an acknowledged request is written straight into its buffer (no broker needed).
@Suite struct ResponseWritingTests {
    @Test func decimalsAreWrittenAsStringDescribesThem() {
        for value: Int64 in [0, 7, 10, 99, 100, -1, -10, 1_234_567_890, .max, .min] {
            var buffer = ByteBuffer()
            let written = buffer.writeDecimal(value)
            #expect(String(buffer: buffer) == String(value))
            #expect(written == String(value).utf8.count)
        }
    }
}
