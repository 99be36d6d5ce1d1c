import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport

/// Every HTTP example of docs/http-api.md, run in order against a fresh `avrogate registry serve` and
/// `avrogate serve` on the test broker: the documented status, headers and body are what the servers answer.
@Suite(.timeLimit(.minutes(3)))
struct HTTPAPIExampleTests {
    /// One documented exchange: a request block and the response block after it.
    struct Example {
        var method: String
        var target: String
        var headers: [(String, String)]
        var body: String
        var status: Int
        var responseHeaders: [(String, String)]
        var responseBody: String
        /// The request's first line, to name the example in failures.
        var title: String { "\(method) \(target)" }
    }

    /// Members whose documented value is not compared: Kafka may report the high watermark late.
    static let volatileMembers: Set<String> = ["high_watermark"]

    static func examples(_ markdown: String) throws -> [Example] {
        let blocks = Docs.codeBlocks(markdown).filter { $0.language == "http" }
        var examples: [Example] = []
        var index = 0
        while index < blocks.count {
            let request = blocks[index].lines
            guard index + 1 < blocks.count, let first = request.first, !first.hasPrefix("HTTP/"),
                  let response = blocks[index + 1].lines.first, response.hasPrefix("HTTP/1.1 ") else {
                throw DocsFailure("an http request block must be followed by its response block: \(blocks[index].lines.first ?? "")")
            }
            let requestLine = first.split(separator: " ")
            let (headers, body) = split(Array(request.dropFirst()))
            let (responseHeaders, responseBody) = split(Array(blocks[index + 1].lines.dropFirst()))
            examples.append(Example(
                method: String(requestLine[0]), target: String(requestLine[1]), headers: headers, body: body,
                status: Int(response.split(separator: " ")[1])!, responseHeaders: responseHeaders, responseBody: responseBody))
            index += 2
        }
        return examples
    }

    /// Header lines up to the first empty line, then the body.
    private static func split(_ lines: [String]) -> ([(String, String)], String) {
        let end = lines.firstIndex(of: "") ?? lines.count
        let headers = lines[..<end].map { line -> (String, String) in
            let parts = line.split(separator: ":", maxSplits: 1)
            return (String(parts[0]), parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : "")
        }
        let body = end < lines.count ? lines[(end + 1)...].joined(separator: "\n") : ""
        return (headers, body)
    }

    /// Where `documented` differs from `actual`: every member documented must be there with the same
    /// value, arrays have the same length, a documented string ending in `…` matches any text it begins.
    static func differences(documented: JSONTree, actual: JSONTree, path: String = "$") -> [String] {
        switch (documented, actual) {
        case (.object(let expected), .object(let got)):
            return expected.sorted { $0.key < $1.key }.flatMap { key, value -> [String] in
                guard !volatileMembers.contains(key) else { return got[key] == nil ? ["\(path).\(key) is missing"] : [] }
                guard let other = got[key] else { return ["\(path).\(key) is missing"] }
                return differences(documented: value, actual: other, path: "\(path).\(key)")
            }
        case (.array(let expected), .array(let got)):
            guard expected.count == got.count else { return ["\(path) has \(got.count) elements, documented \(expected.count)"] }
            return zip(expected, got).enumerated().flatMap { differences(documented: $1.0, actual: $1.1, path: "\(path)[\($0)]") }
        case (.string(let expected), .string(let got)) where expected.hasSuffix("…"):
            return got.hasPrefix(expected.dropLast()) ? [] : ["\(path) is \(actual), documented \(documented)"]
        default:
            return documented == actual ? [] : ["\(path) is \(actual), documented \(documented)"]
        }
    }

    @Test func everyExampleOfTheHTTPAPIPageIsWhatTheServersAnswer() async throws {
        let examples = try Self.examples(try Docs.text("docs/http-api.md"))
        #expect(examples.count >= 40, "only \(examples.count) examples found")

        let brokers = try TestEnvironment.brokers()
        let registryPort = try freePort()
        let registryURL = "http://127.0.0.1:\(registryPort)"
        let registry = try await ServedCommand(
            ["registry", "serve", "--listen", "127.0.0.1:\(registryPort)", "--brokers", brokers, "--topic", TestEnvironment.uniqueName("docs-schemas")],
            environment: [:]) { await ServedCommand.answers(registryURL + "/subjects") }
        let ingestPort = try freePort()
        let ingestURL = "http://127.0.0.1:\(ingestPort)"
        let ingest = try await ServedCommand(
            ["serve", "--listen", "127.0.0.1:\(ingestPort)", "--brokers", brokers, "--registry", registryURL],
            environment: [:]) { await ServedCommand.answers(ingestURL + "/health/live") }
        // The page's `signups` topic stands for a fresh one with one partition.
        let topic = try await KafkaTestCluster.createTopic("signups", partitions: 1)
        func localize(_ text: String) -> String { text.replacingOccurrences(of: "signups", with: topic) }

        for example in examples {
            let host = example.headers.first { $0.0.lowercased() == "host" }?.1 ?? ""
            let base = host.hasSuffix(":8081") ? registryURL : host.hasSuffix(":8080") ? ingestURL : nil
            guard let base else {
                Issue.record("\(example.title): the Host must be 127.0.0.1:8080 (ingest) or 127.0.0.1:8081 (registry), got \(host)")
                continue
            }
            var request = URLRequest(url: URL(string: base + localize(example.target))!, timeoutInterval: 60)
            request.httpMethod = example.method
            for (name, value) in example.headers where name.lowercased() != "host" {
                request.setValue(value, forHTTPHeaderField: name)
            }
            if !example.body.isEmpty { request.httpBody = Data(localize(example.body).utf8) }
            let (data, response) = try await URLSession.shared.data(for: request)
            let http = response as! HTTPURLResponse
            let body = String(decoding: data, as: UTF8.self)
            #expect(http.statusCode == example.status, "\(example.title): status \(http.statusCode), documented \(example.status); body \(body)")
            for (name, value) in example.responseHeaders {
                #expect(http.value(forHTTPHeaderField: name) == value, "\(example.title): header \(name) is \(http.value(forHTTPHeaderField: name) ?? "missing"), documented \(value)")
            }
            let documented = localize(example.responseBody)
            if let expected = JSONTree.parse(documented) {
                guard let actual = JSONTree.parse(body) else {
                    Issue.record("\(example.title): the answer is not JSON: \(body)")
                    continue
                }
                let differences = Self.differences(documented: expected, actual: actual)
                #expect(differences.isEmpty, "\(example.title): \(differences.joined(separator: "; "))\nanswer: \(body)")
            } else {
                // Text (the Prometheus exposition): every documented line is a line of the answer; `…` stands for others.
                let lines = Set(body.split(separator: "\n").map(String.init))
                for line in documented.split(separator: "\n").map(String.init) where line != "…" {
                    #expect(lines.contains(line), "\(example.title): the answer has no line \(line)\nanswer: \(body)")
                }
            }
        }
        withExtendedLifetime((registry, ingest)) {}
    }

    @Test func theComparisonAcceptsOnlyWhatIsDocumented() throws {
        let documented = JSONTree.parse(#"{"a": 1, "m": "starts…", "l": [1, 2], "high_watermark": 3}"#)!
        #expect(Self.differences(documented: documented, actual: JSONTree.parse(#"{"a": 1, "m": "starts here", "l": [1, 2], "high_watermark": 9, "extra": 0}"#)!).isEmpty)
        #expect(Self.differences(documented: documented, actual: JSONTree.parse(#"{"a": 2, "m": "starts here", "l": [1, 2], "high_watermark": 9}"#)!) == ["$.a is 2, documented 1"])
        #expect(Self.differences(documented: documented, actual: JSONTree.parse(#"{"a": 1, "m": "other", "l": [1], "high_watermark": 9}"#)!).count == 2)
        #expect(Self.differences(documented: documented, actual: JSONTree.parse(#"{"a": 1, "m": "starts", "l": [1, 2]}"#)!) == ["$.high_watermark is missing"])
    }
}
