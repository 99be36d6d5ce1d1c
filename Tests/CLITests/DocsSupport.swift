import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization
import TestSupport

/// The documentation files the docs tests read, relative to the package root.
enum Docs {
    /// README.md, compose/README.md and every docs/*.md.
    static func markdownFiles() throws -> [URL] {
        let root = TestEnvironment.packageRoot
        let docs = root.appendingPathComponent("docs")
        let pages = try FileManager.default.contentsOfDirectory(atPath: docs.path)
            .filter { $0.hasSuffix(".md") }.sorted().map { docs.appendingPathComponent($0) }
        return [root.appendingPathComponent("README.md"), root.appendingPathComponent("compose/README.md")] + pages
    }

    /// A file's path from the package root, for messages.
    static func relativePath(_ file: URL) -> String {
        String(file.path.dropFirst(TestEnvironment.packageRoot.path.count + 1))
    }

    static func text(_ relativePath: String) throws -> String {
        try String(contentsOf: TestEnvironment.packageRoot.appendingPathComponent(relativePath), encoding: .utf8)
    }

    /// The fenced code blocks of a Markdown text: their language and lines.
    static func codeBlocks(_ markdown: String) -> [(language: String, lines: [String])] {
        var blocks: [(String, [String])] = []
        var current: (String, [String])?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("```") {
                if let block = current {
                    blocks.append(block)
                    current = nil
                } else {
                    current = (String(line.dropFirst(3)).trimmingCharacters(in: .whitespaces), [])
                }
            } else if current != nil {
                current!.1.append(line)
            }
        }
        return blocks
    }

    /// The inline code spans of a Markdown text outside fenced blocks.
    static func inlineCode(_ markdown: String) -> [String] {
        var spans: [String] = []
        var fenced = false
        var paragraph = ""
        // A span may continue on the next line, but not past a blank one.
        func flush() {
            let parts = paragraph.split(separator: "`", omittingEmptySubsequences: false)
            for index in stride(from: 1, to: parts.count - 1, by: 2) { spans.append(String(parts[index])) }
            paragraph = ""
        }
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") {
                fenced.toggle()
                flush()
                continue
            }
            guard !fenced else { continue }
            if line.trimmingCharacters(in: .whitespaces).isEmpty { flush() } else { paragraph += line + " " }
        }
        flush()
        return spans
    }

    /// The shell command lines of `sh`, `bash` and `console` blocks: prompts removed, `\` continuations joined.
    static func shellCommands(_ markdown: String) -> [String] {
        var commands: [String] = []
        for block in codeBlocks(markdown) where ["sh", "bash", "console", "shell"].contains(block.language) {
            var pending = ""
            for raw in block.lines {
                var line = raw
                if block.language == "console" {
                    if pending.isEmpty {
                        guard line.hasPrefix("$ ") else { continue }
                        line.removeFirst(2)
                    }
                }
                if line.hasSuffix("\\") {
                    pending += line.dropLast() + " "
                    continue
                }
                let command = (pending + line).trimmingCharacters(in: .whitespaces)
                pending = ""
                if !command.isEmpty && !command.hasPrefix("#") { commands.append(command) }
            }
        }
        return commands
    }
}

/// What `avrogate … --help` (or `avrogate-bench … --help`) says about each command: its options and
/// subcommands, read once per command.
final class HelpIndex: Sendable {
    struct Command: Sendable {
        var options: Set<String>
        var subcommands: [String]
        var text: String
    }

    let binary: URL
    private let cache = Mutex<[[String]: Command]>([:])

    init(binary: URL) {
        self.binary = binary
    }

    static let avrogate: HelpIndex? = try? HelpIndex(binary: TestEnvironment.binary())
    static let bench: HelpIndex? = try? HelpIndex(binary: TestEnvironment.binary().deletingLastPathComponent().appendingPathComponent("avrogate-bench"))

    /// The help of the command at `path` (`["schema", "register"]`).
    func command(_ path: [String]) throws -> Command {
        if let known = cache.withLock({ $0[path] }) { return known }
        let run = try runProcess(binary, path + ["--help"])
        guard run.status == 0 else { throw DocsFailure("`\(binary.lastPathComponent) \(path.joined(separator: " ")) --help` exited \(run.status): \(run.stderr)") }
        let text = run.stdout
        let options = Set(text.matches(of: /--[a-z0-9][a-z0-9-]*/).map { String($0.output) })
        var subcommands: [String] = []
        if let section = text.range(of: "SUBCOMMANDS:") {
            // Entries are indented two spaces and lowercase; the closing "See 'avrogate help …'" line is not one.
            for line in text[section.upperBound...].split(separator: "\n") {
                if let match = line.wholeMatch(of: /\ \ ([a-z][a-z0-9-]*)(\s.*)?/) { subcommands.append(String(match.output.1)) }
            }
        }
        let command = Command(options: options, subcommands: subcommands, text: text)
        cache.withLock { $0[path] = command }
        return command
    }

    /// Every option of every command.
    func allOptions() throws -> Set<String> {
        var options: Set<String> = []
        var queue: [[String]] = [[]]
        while let path = queue.popLast(), path.count <= 3 {
            let command = try command(path)
            options.formUnion(command.options)
            queue += command.subcommands.filter { $0 != "help" }.map { path + [$0] }
        }
        return options
    }

    /// Checks one command line (the words after the binary's name): the subcommands it names exist and
    /// every `--option` is one of the command it reaches. Returns the problems.
    func problems(of words: [String]) throws -> [String] {
        var path: [String] = []
        var index = 0
        while index < words.count, try command(path).subcommands.contains(words[index]) {
            path.append(words[index])
            index += 1
        }
        let command = try command(path)
        let name = ([binary.lastPathComponent] + path).joined(separator: " ")
        // A command with subcommands takes no other words, but a placeholder (`avrogate schema …`).
        if !command.subcommands.isEmpty, index < words.count, !words[index].hasPrefix("-"), !words[index].hasPrefix("…") {
            return ["`\(words.joined(separator: " "))`: `\(words[index])` is not a subcommand of `\(name)`"]
        }
        var problems: [String] = []
        for word in words[index...] where word.hasPrefix("--") {
            let option = String(word.split(separator: "=", maxSplits: 1)[0])
            if !command.options.contains(option) {
                problems.append("`\(words.joined(separator: " "))`: `\(name)` has no option \(option)")
            }
        }
        return problems
    }
}

/// Splits a shell command line into words: whitespace outside quotes separates, quotes are removed.
func shellWords(_ line: String) -> [String] {
    var words: [String] = []
    var word = ""
    var quote: Character?
    var inWord = false
    for character in line {
        if let open = quote {
            if character == open { quote = nil } else { word.append(character) }
        } else if character == "'" || character == "\"" {
            quote = character
            inWord = true
        } else if character == " " || character == "\t" {
            if inWord { words.append(word) }
            word = ""
            inWord = false
        } else {
            word.append(character)
            inWord = true
        }
    }
    if inWord { words.append(word) }
    return words
}

/// A docs test found something wrong.
struct DocsFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs `executable ARGUMENTS` to its end; standard output and error as text.
func runProcess(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let environment { process.environment = environment }
    let stdout = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName("docs-out"))
    let stderr = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName("docs-err"))
    _ = FileManager.default.createFile(atPath: stdout.path, contents: nil)
    _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
    defer {
        try? FileManager.default.removeItem(at: stdout)
        try? FileManager.default.removeItem(at: stderr)
    }
    process.standardOutput = try FileHandle(forWritingTo: stdout)
    process.standardError = try FileHandle(forWritingTo: stderr)
    try process.run()
    process.waitUntilExit()
    return (process.terminationStatus, try String(contentsOf: stdout, encoding: .utf8), try String(contentsOf: stderr, encoding: .utf8))
}

/// An `avrogate` process serving HTTP (or writing a file), started with `arguments` and `environment`
/// (added to this process's), ready once `ready` says so; SIGTERM on deinit.
final class ServedCommand {
    private let process = Process()

    init(_ arguments: [String], environment: [String: String], ready: () async -> Bool) async throws {
        process.executableURL = try TestEnvironment.binary()
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                throw DocsFailure("avrogate \(arguments.joined(separator: " ")) exited with \(process.terminationStatus)")
            }
            if await ready() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        stop()
        throw DocsFailure("avrogate \(arguments.joined(separator: " ")) was not ready within 30 s")
    }

    /// Whether a GET of `url` answers 200.
    static func answers(_ url: String) async -> Bool {
        guard let (_, response) = try? await URLSession.shared.data(from: URL(string: url)!) else { return false }
        return (response as? HTTPURLResponse)?.statusCode == 200
    }

    deinit { stop() }

    private func stop() {
        guard process.isRunning else { return }
        process.terminate()
        for _ in 0 ..< 100 where process.isRunning { usleep(100_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}

/// A JSON document for comparisons: numbers as integers when they are, objects as dictionaries.
indirect enum JSONTree: Decodable, Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    case integer(Int64)
    case double(Double)
    case string(String)
    case array([JSONTree])
    case object([String: JSONTree])

    init(from decoder: any Decoder) throws {
        if var array = try? decoder.unkeyedContainer() {
            var items: [JSONTree] = []
            while !array.isAtEnd { items.append(try array.decode(JSONTree.self)) }
            self = .array(items)
        } else if let object = try? decoder.container(keyedBy: AnyKey.self) {
            var members: [String: JSONTree] = [:]
            for key in object.allKeys { members[key.stringValue] = try object.decode(JSONTree.self, forKey: key) }
            self = .object(members)
        } else {
            let value = try decoder.singleValueContainer()
            if value.decodeNil() { self = .null }
            else if let flag = try? value.decode(Bool.self) { self = .bool(flag) }
            else if let number = try? value.decode(Int64.self) { self = .integer(number) }
            else if let number = try? value.decode(Double.self) { self = .double(number) }
            else { self = .string(try value.decode(String.self)) }
        }
    }

    /// Parses JSON text (any top-level value); nil when it is not JSON.
    static func parse(_ text: String) -> JSONTree? {
        try? JSONDecoder().decode(JSONTree.self, from: Data(text.utf8))
    }

    subscript(key: String) -> JSONTree? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    var arrayValue: [JSONTree]? {
        if case .array(let items) = self { return items }
        return nil
    }

    var objectValue: [String: JSONTree]? {
        if case .object(let members) = self { return members }
        return nil
    }

    var description: String {
        switch self {
        case .null: "null"
        case .bool(let flag): "\(flag)"
        case .integer(let number): "\(number)"
        case .double(let number): "\(number)"
        case .string(let text): "\"\(text)\""
        case .array(let items): "[" + items.map(\.description).joined(separator: ",") + "]"
        case .object(let members): "{" + members.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",") + "}"
        }
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

/// A YAML file as JSON, through PyYAML (scripts/setup.sh installs it).
func loadYAML(_ relativePath: String) throws -> JSONTree {
    let path = TestEnvironment.packageRoot.appendingPathComponent(relativePath).path
    let run = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), [
        "python3", "-c", "import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1])), sys.stdout)", path,
    ])
    guard run.status == 0, let tree = JSONTree.parse(run.stdout) else {
        throw DocsFailure("\(relativePath) does not parse as YAML: \(run.stderr)")
    }
    return tree
}
