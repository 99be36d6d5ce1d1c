import Foundation

/// One registry base URL, without userinfo or trailing slash, and the `Authorization` header
/// its requests carry. Its description never shows credentials.
struct RegistryEndpoint: Sendable, CustomStringConvertible {
    /// `scheme://host[:port][/prefix]`, no trailing slash.
    let baseURL: String
    let authorization: String?

    init(_ url: String, authentication: SchemaRegistryClientConfiguration.Authentication) throws(SchemaRegistryError) {
        let trimmed = url.trimmingCharacters(in: .whitespaces)
        guard var components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty else {
            throw SchemaRegistryError(kind: .invalidConfiguration, message: "registry URL \(Self.redacted(trimmed)) is not an http(s) URL with a host")
        }
        guard components.query == nil, components.fragment == nil else {
            throw SchemaRegistryError(kind: .invalidConfiguration, message: "registry URL \(Self.redacted(trimmed)) must not have a query or fragment")
        }
        let user = components.percentEncodedUser.flatMap { $0.removingPercentEncoding }
        let password = components.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
        components.percentEncodedUser = nil
        components.percentEncodedPassword = nil
        var base = components.string ?? trimmed
        while base.hasSuffix("/") { base.removeLast() }
        baseURL = base

        switch authentication {
        case .basic(let user, let password):
            authorization = Self.basic(user: user, password: password)
        case .bearer(let token):
            authorization = "Bearer " + token
        case .none:
            authorization = user.map { Self.basic(user: $0, password: password ?? "") }
        }
    }

    /// The base URL, which holds no credentials.
    var description: String { baseURL }

    private static func basic(user: String, password: String) -> String {
        "Basic " + Data((user + ":" + password).utf8).base64EncodedString()
    }

    /// A URL with any userinfo replaced, for error messages.
    static func redacted(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://"), let at = url[schemeEnd.upperBound...].firstIndex(of: "@"),
              !url[schemeEnd.upperBound ..< at].contains("/") else { return url }
        return String(url[..<schemeEnd.upperBound]) + "***@" + String(url[url.index(after: at)...])
    }
}
