import Testing
import TestSupport

/// `avrogate consume` refuses unusable arguments before it connects to anything.
@Suite struct ConsumeCommandArgumentTests {
    @Test func aConsumeWithoutTopicIsAUsageError() throws {
        let run = try avrogate(["consume", "--group", "g"])
        #expect(run.status == 64)
        #expect(run.stderr.contains("--topic"))
    }

    @Test func aReaderSchemaFileAndAReaderSubjectTogetherAreAUsageError() throws {
        let run = try avrogate(["consume", "--group", "g", "--topic", "t", "--reader-schema", "a.avsc", "--reader-subject", "s"])
        #expect(run.status == 64)
        #expect(run.stderr.contains("either --reader-schema or --reader-subject"))
    }

    @Test func aReaderVersionWithoutAReaderSubjectIsAUsageError() throws {
        let run = try avrogate(["consume", "--group", "g", "--topic", "t", "--reader-version", "2"])
        #expect(run.status == 64)
    }

    @Test func anUnknownErrorPolicyIsAUsageError() throws {
        let run = try avrogate(["consume", "--group", "g", "--topic", "t", "--on-error", "explode"])
        #expect(run.status == 64)
        #expect(run.stderr.contains("dlq"))
    }

    @Test func noBrokersExitsTwoSayingWhereToSetThem() throws {
        let run = try avrogate(["consume", "--group", "g", "--topic", "t", "--registry", "http://127.0.0.1:1"], environment: ["AVROGATE_BROKERS": ""])
        #expect(run.status == 2)
        #expect(run.stderr.contains("AVROGATE_BROKERS"))
    }

    @Test func anUnreadableReaderSchemaExitsTwo() throws {
        let run = try avrogate(["consume", "--group", "g", "--topic", "t", "--brokers", "127.0.0.1:1", "--registry", "http://127.0.0.1:1",
                                "--reader-schema", "/nonexistent/reader.avsc"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("/nonexistent/reader.avsc"))
    }

    @Test func anInvalidReaderSchemaExitsTwoWithTheSchemaError() throws {
        let run = try avrogate(["consume", "--group", "g", "--topic", "t", "--brokers", "127.0.0.1:1", "--registry", "http://127.0.0.1:1",
                                "--reader-schema", TestEnvironment.fixture("compat/invalid-record-without-fields.avsc").path])
        #expect(run.status == 2)
    }
}
