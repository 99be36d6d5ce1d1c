import Foundation
import Testing
import TestSupport

/// `avrogate schema …` end to end: the built binary against `avrogate registry serve`.
@Suite("avrogate schema")
struct SchemaCommandTests {
    private func fixture(_ name: String) -> String {
        TestEnvironment.fixture("schema-command/\(name).avsc").path
    }

    private func subject() -> String { TestEnvironment.uniqueName("payments") + "-value" }

    @Test func registerPrintsIDAndVersionAndGetListAndVersionsShowIt() async throws {
        let registry = try await ServedRegistry()
        let subject = subject()
        let registered = try avrogate(["schema", "register", "--registry", registry.url, "--subject", subject, "--file", fixture("payment-v1")])
        #expect(registered.status == 0, "\(registered.stderr)")
        let words = try #require(registered.lines.first?.split(separator: " ").map(String.init))
        #expect(Array(words.prefix(4)) == ["registered", subject, "version", "1"])
        let id = try #require(words.last)

        let again = try avrogate(["schema", "register", "--registry", registry.url, "--subject", subject, "--file", fixture("payment-v1"), "--json"])
        let json = try #require(try again.json() as? [String: Any])
        #expect(json["id"] as? Int == Int(id))
        #expect(json["version"] as? Int == 1)

        let byID = try avrogate(["schema", "get", "--registry", registry.url, "--id", id])
        #expect(byID.status == 0)
        #expect(byID.lines.first == "id \(id) (AVRO), registered as \(subject) v1")
        #expect(byID.stdout.contains("com.example.payments"))
        let latest = try avrogate(["schema", "get", "--registry", registry.url, "--subject", subject, "--json"])
        let latestJSON = try #require(try latest.json() as? [String: Any])
        #expect(latestJSON["version"] as? Int == 1)
        #expect(latestJSON["schemaType"] as? String == "AVRO")

        #expect(try avrogate(["schema", "list", "--registry", registry.url]).lines.contains(subject))
        #expect(try avrogate(["schema", "versions", "--registry", registry.url, "--subject", subject]).lines == ["1"])
        let environment = try avrogate(["schema", "versions", "--subject", subject, "--json"], environment: ["AVROGATE_REGISTRY_URL": registry.url])
        #expect(environment.stdout == "[1]\n")
    }

    @Test func checkExitsZeroWhenCompatibleAndOneWithEveryReason() async throws {
        let registry = try await ServedRegistry()
        let subject = subject()
        #expect(try avrogate(["schema", "register", "--registry", registry.url, "--subject", subject, "--file", fixture("payment-v1")]).status == 0)

        let compatible = try avrogate(["schema", "check", "--registry", registry.url, "--subject", subject, "--file", fixture("payment-v2")])
        #expect(compatible.status == 0)
        #expect(compatible.lines == ["compatible with \(subject) (BACKWARD)"])

        let incompatible = try avrogate(["schema", "check", "--registry", registry.url, "--subject", subject, "--file", fixture("payment-v2-currency-required")])
        #expect(incompatible.status == 1)
        #expect(incompatible.lines.first == "incompatible with \(subject) (BACKWARD):")
        #expect(incompatible.lines.dropFirst().contains { $0.hasPrefix("  - ") && $0.contains("currency") })

        let json = try avrogate(["schema", "check", "--registry", registry.url, "--subject", subject, "--version", "1",
                                 "--file", fixture("payment-v2-currency-required"), "--json"])
        #expect(json.status == 1)
        let report = try #require(try json.json() as? [String: Any])
        #expect(report["compatible"] as? Bool == false)
        #expect((report["messages"] as? [String])?.isEmpty == false)
    }

    @Test func evolveShowsChangesFieldByFieldAndRegistersUnlessDryRun() async throws {
        let registry = try await ServedRegistry()
        let subject = subject()
        #expect(try avrogate(["schema", "register", "--registry", registry.url, "--subject", subject, "--file", fixture("payment-v1")]).status == 0)

        let dryRun = try avrogate(["schema", "evolve", "--registry", registry.url, "--subject", subject, "--file", fixture("payment-v2"), "--dry-run"])
        #expect(dryRun.status == 0, "\(dryRun.stderr)")
        let path = "com.example.payments.Payment"
        #expect(dryRun.lines == [
            "compatible with \(subject) (BACKWARD)",
            "changes from version 1:",
            "  \(path).amount: type changed from int to long",
            "  \(path).status: enum symbols added: REFUNDED",
            "  \(path).currency: field added (string), default \"EUR\"",
            "  \(path).note: field removed (was [null, string])",
            "dry run: not registered",
        ])
        #expect(try avrogate(["schema", "versions", "--registry", registry.url, "--subject", subject]).lines == ["1"])

        let evolved = try avrogate(["schema", "evolve", "--registry", registry.url, "--subject", subject, "--file", fixture("payment-v2"), "--json"])
        #expect(evolved.status == 0)
        let output = try #require(try evolved.json() as? [String: Any])
        #expect((output["registered"] as? [String: Any])?["version"] as? Int == 2)
        #expect((output["changes"] as? [[String: Any]])?.map { $0["kind"] as? String } == ["typeChanged", "symbolsAdded", "fieldAdded", "fieldRemoved"])

        let refused = try avrogate(["schema", "evolve", "--registry", registry.url, "--subject", subject, "--file", fixture("payment-v2-currency-required")])
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("incompatible"))
        #expect(try avrogate(["schema", "versions", "--registry", registry.url, "--subject", subject]).lines == ["1", "2"])
    }

    @Test func configAndModeAreReadAndSetGloballyAndPerSubject() async throws {
        let registry = try await ServedRegistry()
        let subject = subject()
        #expect(try avrogate(["schema", "config", "--registry", registry.url]).lines == ["global compatibility BACKWARD"])
        #expect(try avrogate(["schema", "config", "--registry", registry.url, "--subject", subject, "--level", "full_transitive"]).lines
            == ["set \(subject) compatibility FULL_TRANSITIVE"])
        let json = try avrogate(["schema", "config", "--registry", registry.url, "--subject", subject, "--json"])
        #expect((try json.json() as? [String: Any])?["compatibilityLevel"] as? String == "FULL_TRANSITIVE")
        let badLevel = try avrogate(["schema", "config", "--registry", registry.url, "--level", "SIDEWAYS"])
        #expect(badLevel.status == 2)

        #expect(try avrogate(["schema", "mode", "--registry", registry.url]).lines == ["global mode READWRITE"])
        #expect(try avrogate(["schema", "mode", "--registry", registry.url, "--subject", subject, "--mode", "READONLY"]).lines == ["set \(subject) mode READONLY"])
        let refused = try avrogate(["schema", "register", "--registry", registry.url, "--subject", subject, "--file", fixture("payment-v1")])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("42205"))
    }

    @Test func deleteSoftDeletesAndPermanentDeletesForGood() async throws {
        let registry = try await ServedRegistry()
        let subject = subject()
        for file in ["payment-v1", "payment-v2"] {
            #expect(try avrogate(["schema", "register", "--registry", registry.url, "--subject", subject, "--file", fixture(file)]).status == 0)
        }
        #expect(try avrogate(["schema", "delete", "--registry", registry.url, "--subject", subject, "--version", "2"]).lines == ["deleted \(subject) version 2"])
        #expect(try avrogate(["schema", "versions", "--registry", registry.url, "--subject", subject]).lines == ["1"])
        #expect(try avrogate(["schema", "delete", "--registry", registry.url, "--subject", subject]).lines == ["deleted \(subject) version 1"])
        #expect(try avrogate(["schema", "list", "--registry", registry.url, "--deleted"]).lines.contains(subject))
        // A permanent delete removes every soft-deleted version, the one deleted alone too.
        #expect(try avrogate(["schema", "delete", "--registry", registry.url, "--subject", subject, "--permanent"]).lines
            == ["deleted \(subject) versions 1, 2 permanently"])
        #expect(try !avrogate(["schema", "list", "--registry", registry.url, "--deleted"]).lines.contains(subject))
    }

    @Test func referencesNameTypesRegisteredUnderOtherSubjects() async throws {
        let registry = try await ServedRegistry()
        let money = TestEnvironment.uniqueName("money")
        #expect(try avrogate(["schema", "register", "--registry", registry.url, "--subject", money, "--file", fixture("money")]).status == 0)
        let order = TestEnvironment.uniqueName("order")
        let withoutReference = try avrogate(["schema", "register", "--registry", registry.url, "--subject", order, "--file", fixture("order-with-money")])
        #expect(withoutReference.status == 2)
        let registered = try avrogate(["schema", "register", "--registry", registry.url, "--subject", order, "--file", fixture("order-with-money"),
                                       "--reference", "com.example.shop.Money=\(money):1"])
        #expect(registered.status == 0, "\(registered.stderr)")
        let fetched = try avrogate(["schema", "get", "--registry", registry.url, "--subject", order])
        #expect(fetched.lines.contains("reference com.example.shop.Money = \(money) version 1"))
    }

    @Test func registryErrorsPrintTheRegistrysCodeAndMessageAndExitOne() async throws {
        let registry = try await ServedRegistry()
        let run = try avrogate(["schema", "get", "--registry", registry.url, "--subject", "nobody-value"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("40401"))
    }

    @Test func anUnreachableRegistryExitsThree() throws {
        let run = try avrogate(["schema", "list", "--registry", "http://127.0.0.1:\(try freePort())"])
        #expect(run.status == 3)
        #expect(run.stderr.contains("registry unavailable"))
    }

    @Test func invalidSchemaFilesAndMissingRegistriesExitTwo() throws {
        let invalid = try avrogate(["schema", "register", "--registry", "http://127.0.0.1:1", "--subject", "s", "--file", fixture("not-a-schema")])
        #expect(invalid.status == 2)
        #expect(invalid.stderr.contains("no.such.Type"))
        let noRegistry = try avrogate(["schema", "list"], environment: ["AVROGATE_REGISTRY_URL": ""])
        #expect(noRegistry.status == 2)
        let both = try avrogate(["schema", "get", "--registry", "http://127.0.0.1:1", "--id", "1", "--subject", "s"])
        #expect(both.status == 2)
    }
}
