import Foundation

/// librdkafka properties, passed through as they are: connection, security (SASL, SSL), `client.id`, tuning.
///
/// Build it in code, load it from a `key=value` properties file, or apply `--kafka-property k=v` arguments;
/// later writes win. ``KafkaProducerConfiguration`` and ``KafkaConsumerConfiguration`` wrap one and add
/// their own defaults and typed settings. Secret values never appear in ``description`` or in logs.
public struct KafkaConfiguration: Sendable, Equatable, CustomStringConvertible {
    /// Every property, by librdkafka name.
    public private(set) var properties: [String: String]

    /// A configuration with the given properties.
    public init(_ properties: [String: String] = [:]) {
        self.properties = properties
    }

    /// A configuration that connects to `bootstrapServers` (`host:port[,host:port…]`).
    public init(bootstrapServers: String) {
        self.properties = ["bootstrap.servers": bootstrapServers]
    }

    /// One property by librdkafka name; setting `nil` removes it.
    public subscript(property: String) -> String? {
        get { properties[property] }
        set { properties[property] = newValue }
    }

    /// `bootstrap.servers`: the brokers to connect to first.
    public var bootstrapServers: String? {
        get { properties["bootstrap.servers"] }
        set { properties["bootstrap.servers"] = newValue }
    }

    /// `client.id`: the name brokers see in their logs and quotas.
    public var clientID: String? {
        get { properties["client.id"] }
        set { properties["client.id"] = newValue }
    }

    /// Sets every property of `other`, overwriting those already set.
    public mutating func merge(_ other: KafkaConfiguration) {
        properties.merge(other.properties) { _, new in new }
    }

    /// Sets every property of a Java-style properties file (see ``parse(properties:origin:)``).
    public mutating func loadPropertiesFile(atPath path: String) throws(KafkaError) {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw KafkaError(code: .configuration, message: "cannot read Kafka properties file \(path): \(error.localizedDescription)")
        }
        for (key, value) in try Self.parse(properties: text, origin: path) {
            properties[key] = value
        }
    }

    /// Sets properties given as `key=value` arguments (for example the values of repeated `--kafka-property` options).
    public mutating func apply(propertyArguments: [String]) throws(KafkaError) {
        for argument in propertyArguments {
            guard let (key, value) = Self.split(argument, separators: ["="]) else {
                throw KafkaError(code: .configuration, message: "Kafka property \"\(argument)\" is not of the form key=value")
            }
            properties[key] = value
        }
    }

    /// Parses a properties file: `key=value` or `key: value` lines, blank lines and `#`/`!` comments skipped,
    /// whitespace around keys and values trimmed. Line continuations and escapes are not supported.
    public static func parse(properties text: String, origin: String) throws(KafkaError) -> [(key: String, value: String)] {
        var result: [(key: String, value: String)] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("!") { continue }
            guard let pair = split(line, separators: ["=", ":"]) else {
                // The line is not echoed: it may be a secret that lost its key.
                throw KafkaError(code: .configuration, message: "\(origin):\(index + 1): expected key=value")
            }
            result.append(pair)
        }
        return result
    }

    /// Whether a property holds a secret that must never be logged: any name containing
    /// "password", "secret" or "sasl.oauthbearer" (and SASL JAAS configuration, which embeds them).
    public static func isSecret(_ property: String) -> Bool {
        let name = property.lowercased()
        return name.contains("password") || name.contains("secret") || name.contains("sasl.oauthbearer")
            || name.contains("jaas") || name.hasSuffix(".key.pem")
    }

    /// The properties with every secret value replaced by `[redacted]`.
    public var redactedProperties: [String: String] {
        properties.reduce(into: [:]) { result, entry in
            result[entry.key] = Self.isSecret(entry.key) ? "[redacted]" : entry.value
        }
    }

    /// The non-empty values of secret properties, for scrubbing them from librdkafka's log lines.
    var secretValues: [String] {
        properties.compactMap { Self.isSecret($0.key) && !$0.value.isEmpty ? $0.value : nil }
    }

    /// The properties, sorted, secrets redacted.
    public var description: String {
        redactedProperties.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
    }

    private static func split(_ text: String, separators: Set<Character>) -> (key: String, value: String)? {
        guard let index = text.firstIndex(where: { separators.contains($0) }) else { return nil }
        let key = text[..<index].trimmingCharacters(in: .whitespaces)
        let value = text[text.index(after: index)...].trimmingCharacters(in: .whitespaces)
        return key.isEmpty ? nil : (key, value)
    }
}
