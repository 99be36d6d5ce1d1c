import Avro

extension SchemaRegistryClient {
    /// The compatibility level of a subject, or the global one (`GET /config[/{subject}]`).
    /// A subject without its own level has the global one unless `defaultToGlobal` is false,
    /// when the registry answers 40408.
    public func compatibilityLevel(subject: String? = nil, defaultToGlobal: Bool = true) async throws(SchemaRegistryError) -> CompatibilityLevel {
        let query = subject != nil && defaultToGlobal ? [(name: "defaultToGlobal", value: "true")] : []
        let response = try await transport.send(HTTPRequest(.get, ["config"] + (subject.map { [$0] } ?? []), query: query), as: LevelResponse.self)
        return try Self.level(response.level)
    }

    /// Sets the compatibility level of a subject, or the global one (`PUT /config[/{subject}]`).
    @discardableResult
    public func setCompatibilityLevel(_ level: CompatibilityLevel, subject: String? = nil) async throws(SchemaRegistryError) -> CompatibilityLevel {
        let body = try Self.body(ConfigRequest(compatibility: level.rawValue))
        let response = try await transport.send(HTTPRequest(.put, ["config"] + (subject.map { [$0] } ?? []), body: body), as: LevelResponse.self)
        return try Self.level(response.level)
    }

    /// Removes a subject's own compatibility level, or resets the global one
    /// (`DELETE /config[/{subject}]`); returns the level removed.
    @discardableResult
    public func deleteCompatibilityLevel(subject: String? = nil) async throws(SchemaRegistryError) -> CompatibilityLevel? {
        let response = try await transport.send(HTTPRequest(.delete, ["config"] + (subject.map { [$0] } ?? [])), as: LevelResponse.self)
        return try response.level.map(Self.level)
    }

    /// The mode of a subject, or the global one (`GET /mode[/{subject}]`).
    public func mode(subject: String? = nil, defaultToGlobal: Bool = true) async throws(SchemaRegistryError) -> Mode {
        let query = subject != nil && defaultToGlobal ? [(name: "defaultToGlobal", value: "true")] : []
        let response = try await transport.send(HTTPRequest(.get, ["mode"] + (subject.map { [$0] } ?? []), query: query), as: ModeResponse.self)
        return try Self.mode(response.mode)
    }

    /// Sets the mode of a subject, or the global one (`PUT /mode[/{subject}]`); `force` allows
    /// IMPORT on a registry or subject that has schemas.
    @discardableResult
    public func setMode(_ mode: Mode, subject: String? = nil, force: Bool = false) async throws(SchemaRegistryError) -> Mode {
        let body = try Self.body(ModeRequest(mode: mode))
        let query = force ? [(name: "force", value: "true")] : []
        let response = try await transport.send(HTTPRequest(.put, ["mode"] + (subject.map { [$0] } ?? []), query: query, body: body), as: ModeResponse.self)
        return try Self.mode(response.mode)
    }

    /// Removes a subject's own mode, or resets the global one (`DELETE /mode[/{subject}]`); returns the mode removed.
    @discardableResult
    public func deleteMode(subject: String? = nil) async throws(SchemaRegistryError) -> Mode? {
        let response = try await transport.send(HTTPRequest(.delete, ["mode"] + (subject.map { [$0] } ?? [])), as: OptionalModeResponse.self)
        return try response.mode.map(Self.mode)
    }

    private static func level(_ raw: String?) throws(SchemaRegistryError) -> CompatibilityLevel {
        guard let raw, let level = CompatibilityLevel(rawValue: raw) else {
            throw SchemaRegistryError(kind: .malformedResponse, message: "unknown compatibility level \(raw ?? "(none)")")
        }
        return level
    }

    private static func mode(_ raw: String) throws(SchemaRegistryError) -> Mode {
        guard let mode = Mode(rawValue: raw) else {
            throw SchemaRegistryError(kind: .malformedResponse, message: "unknown mode \(raw)")
        }
        return mode
    }
}

/// A compatibility level in any of the shapes registries answer with: `compatibilityLevel`
/// from GET and DELETE, `compatibility` from PUT.
private struct LevelResponse: Decodable {
    var level: String?

    private enum CodingKeys: String, CodingKey {
        case compatibilityLevel, compatibility
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        level = try container.decodeIfPresent(String.self, forKey: .compatibilityLevel)
            ?? container.decodeIfPresent(String.self, forKey: .compatibility)
    }
}

/// A mode answer that may be empty (a DELETE of a subject without its own mode).
private struct OptionalModeResponse: Decodable {
    var mode: String?
}
