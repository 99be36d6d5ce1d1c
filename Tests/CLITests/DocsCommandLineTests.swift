import Foundation
import Testing
import TestSupport

/// The documentation's command lines are real: every `avrogate …` (and `avrogate-bench …`) command and
/// option in README.md, compose/README.md and docs/*.md is one the built binary's `--help` lists,
/// docs/cli.md is what scripts/cli_reference.py generates from that help, and relative links lead somewhere.
@Suite(.timeLimit(.minutes(2)))
struct DocsCommandLineTests {
    /// Options of other tools the docs use (curl, jq, docker, swift, kafka-consumer-groups.sh), which no `--help` of ours lists.
    static let otherToolsOptions: Set<String> = [
        "--data", "--data-binary", "--rawfile", "--build", "--rm", "--describe", "--build-tests", "--skip-build", "--filter", "--show-bin-path", "--product",
    ]

    /// The avrogate and avrogate-bench invocations in a command line: the words after the binary's name,
    /// with `docker compose run --rm cli …` standing for `avrogate …`.
    static func invocations(_ line: String) -> [(index: HelpIndex, words: [String])] {
        var found: [(HelpIndex, [String])] = []
        for segment in line.split(whereSeparator: { $0 == "|" || $0 == ";" }).flatMap({ $0.components(separatedBy: "&&") }) {
            let words = shellWords(segment)
            if let at = words.firstIndex(where: { $0 == "avrogate" || $0.hasSuffix("/avrogate") || $0 == "\"$bin\"" }), let index = HelpIndex.avrogate {
                found.append((index, Array(words[(at + 1)...])))
            } else if let at = words.firstIndex(of: "avrogate-bench"), let index = HelpIndex.bench {
                found.append((index, Array(words[(at + 1)...])))
            } else if let run = words.firstIndex(of: "run"), run >= 2, words[run - 2] == "docker", words[run - 1] == "compose",
                      let cli = words[run...].firstIndex(of: "cli"), let index = HelpIndex.avrogate {
                found.append((index, Array(words[(cli + 1)...])))
            }
        }
        return found
    }

    @Test func everyCommandLineInTheDocsNamesRealCommandsAndOptions() throws {
        #expect(HelpIndex.avrogate != nil && HelpIndex.bench != nil, "the avrogate and avrogate-bench binaries must be built")
        var problems: [String] = []
        var checked = 0
        for file in try Docs.markdownFiles() {
            let markdown = try String(contentsOf: file, encoding: .utf8)
            let lines = Docs.shellCommands(markdown)
                + Docs.inlineCode(markdown).filter { $0.hasPrefix("avrogate ") || $0.hasPrefix("avrogate-bench ") || $0.hasPrefix("docker compose run") }
            for line in lines {
                for (index, words) in Self.invocations(line) {
                    checked += 1
                    problems += try index.problems(of: words).map { "\(Docs.relativePath(file)): \($0)" }
                }
            }
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        #expect(checked >= 40, "only \(checked) command lines found: is the parser still reading the docs?")
    }

    @Test func everyOptionNamedInTheDocsIsAnOptionOfOurCommandsOrOfAToolTheyUse() throws {
        let known = try HelpIndex.avrogate!.allOptions().union(HelpIndex.bench!.allOptions()).union(Self.otherToolsOptions)
        var unknown: [String] = []
        for file in try Docs.markdownFiles() {
            let markdown = try String(contentsOf: file, encoding: .utf8)
            // HTTP examples hold JSON and paths, not command lines.
            let prose = Docs.codeBlocks(markdown).filter { $0.language == "http" }
                .reduce(markdown) { text, block in text.replacingOccurrences(of: block.lines.joined(separator: "\n"), with: "") }
            for match in prose.matches(of: /(?:^|[^A-Za-z0-9-])(--[a-z0-9][a-z0-9-]*)/.anchorsMatchLineEndings()) where !known.contains(String(match.output.1)) {
                unknown.append("\(Docs.relativePath(file)): \(match.output.1)")
            }
        }
        #expect(unknown.isEmpty, "options no command has: \(Set(unknown).sorted().joined(separator: ", "))")
    }

    /// GitHub's anchor for a heading: lowercase, punctuation dropped, spaces as hyphens.
    static func anchor(_ heading: String) -> String {
        String(heading.lowercased().unicodeScalars.filter { $0.properties.isAlphabetic || ("0" ... "9").contains($0) || $0 == " " || $0 == "-" || $0 == "_" })
            .replacingOccurrences(of: " ", with: "-")
    }

    @Test func everyRelativeLinkOfTheDocsLeadsToAFileAndHeadingThatExist() throws {
        var broken: [String] = []
        for file in try Docs.markdownFiles() {
            let markdown = try String(contentsOf: file, encoding: .utf8)
            for match in markdown.matches(of: /\]\(([^)\s]+)\)/) {
                let link = String(match.output.1)
                guard !link.contains("://") else { continue }
                let parts = link.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                let target = parts[0].isEmpty ? file : file.deletingLastPathComponent().appendingPathComponent(parts[0]).standardizedFileURL
                guard FileManager.default.fileExists(atPath: target.path) else {
                    broken.append("\(Docs.relativePath(file)): \(link) (no such file)")
                    continue
                }
                guard parts.count == 2, target.pathExtension == "md" else { continue }
                let headings = try String(contentsOf: target, encoding: .utf8).split(separator: "\n")
                    .filter { $0.hasPrefix("#") }.map { Self.anchor($0.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)) }
                if !headings.contains(parts[1]) { broken.append("\(Docs.relativePath(file)): \(link) (no such heading)") }
            }
        }
        #expect(broken.isEmpty, "\(broken.joined(separator: "\n"))")
    }

    @Test func theCommandReferenceIsGeneratedFromTheCurrentHelp() throws {
        let run = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), [
            "python3", TestEnvironment.packageRoot.appendingPathComponent("scripts/cli_reference.py").path, try TestEnvironment.binary().path,
        ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == (try Docs.text("docs/cli.md")), "docs/cli.md is stale: run `python3 scripts/cli_reference.py > docs/cli.md`")
    }
}
