import Foundation

/// A `{version}` path parameter: a version number, or the latest version (`latest` or `-1`).
enum VersionSelector: Sendable, Hashable {
    case number(Int)
    case latest

    /// Parses the parameter as Confluent does; anything else is 42202.
    init(parsing text: String) throws(RegistryHTTPError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased() == "latest" {
            self = .latest
            return
        }
        guard let number = Int32(trimmed) else { throw .invalidVersion(text) }
        if number == -1 {
            self = .latest
        } else if number >= 1 {
            self = .number(Int(number))
        } else {
            throw .invalidVersion(text)
        }
    }

    /// The number, `nil` for latest.
    var number: Int? {
        if case .number(let number) = self { return number }
        return nil
    }

    /// The number Confluent puts in "Version N not found." (-1 for latest).
    var numberForMessages: Int { number ?? -1 }
}
