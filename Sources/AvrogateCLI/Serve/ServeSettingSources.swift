import Foundation

/// Where `avrogate serve` finds each setting, highest precedence first: the command line, the
/// environment (`AVROGATE_…`), then the configuration file (`--config`, `key=value` lines whose
/// keys are the long option names, e.g. `brokers=127.0.0.1:9092`; repeatable options repeat the key).
struct ServeSettingSources {
    let environment: [String: String]
    let file: [(key: String, value: String)]
    let fileOrigin: String?

    /// Reads the configuration file named by `--config` or `$AVROGATE_CONFIG`, if any.
    init(configPath: String?, environment: [String: String]) throws {
        self.environment = environment
        let path = configPath ?? environment["AVROGATE_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        fileOrigin = path
        guard let path else {
            file = []
            return
        }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw CLIFailure(exitCode: 2, message: "cannot read configuration file \(path): \(error.localizedDescription)")
        }
        var entries: [(key: String, value: String)] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw CLIFailure(exitCode: 2, message: "\(path):\(index + 1): expected key=value")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard Self.knownKeys.contains(key) else {
                throw CLIFailure(exitCode: 2, message: "\(path):\(index + 1): unknown setting '\(key)' (settings are the long option names of `avrogate serve`)")
            }
            entries.append((key, value))
        }
        file = entries
    }

    /// One setting: the flag's value, else the environment variable's, else the file's last.
    func value(_ flag: String?, key: String, environment name: String) -> String? {
        if let flag { return flag }
        if let value = environment[name], !value.isEmpty { return value }
        return file.last { $0.key == key }?.value
    }

    /// A repeatable setting, every source merged: the file's values, then the environment's (one
    /// per line), then the flags'; later values of the same `k=` win where they are maps.
    func values(_ flags: [String], key: String, environment name: String) -> [String] {
        let fromFile = file.filter { $0.key == key }.map(\.value)
        let fromEnvironment = environment[name].map { $0.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty } } ?? []
        return fromFile + fromEnvironment + flags
    }

    /// The settings a configuration file may hold.
    static let knownKeys: Set<String> = [
        "listen", "brokers", "registry", "registry-user", "registry-password", "registry-token", "registry-ca-file",
        "api-keys-file", "subject-strategy", "value-record", "key-field", "max-body-bytes", "max-batch-records", "max-depth",
        "delivery-timeout-ms", "max-queued-records", "kafka-property", "kafka-properties-file", "compression", "linger-ms",
        "security-protocol", "sasl-mechanism", "sasl-username", "sasl-password", "ssl-ca-location", "ignore-unknown-fields",
        "log-file", "log-level", "log-format",
    ]
}
