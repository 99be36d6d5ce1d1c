import Foundation

/// The users allowed to call the registry, with their passwords. Never logged.
public struct RegistryUsers: Sendable, CustomStringConvertible {
    private let passwords: [String: String]

    /// Users and passwords, by user name.
    public init(_ passwords: [String: String]) {
        self.passwords = passwords
    }

    /// Reads a users file: one `user:password` a line (the password may contain `:`); blank lines
    /// and lines starting with `#` are skipped.
    public init(contentsOfFile path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var passwords: [String: String] = [:]
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let colon = trimmed.firstIndex(of: ":"), colon != trimmed.startIndex else {
                throw RegistryUsersFileError(path: path, line: number + 1)
            }
            passwords[String(trimmed[..<colon])] = String(trimmed[trimmed.index(after: colon)...])
        }
        self.init(passwords)
    }

    /// Whether the user exists and the password is theirs; compares in time independent of where the texts differ.
    func accepts(user: String, password: String) -> Bool {
        guard let expected = passwords[user] else { return false }
        let given = Array(password.utf8), wanted = Array(expected.utf8)
        var difference = given.count ^ wanted.count
        for index in 0 ..< max(given.count, wanted.count) {
            difference |= Int(index < given.count ? given[index] : 0) ^ Int(index < wanted.count ? wanted[index] : 0)
        }
        return difference == 0
    }

    /// The user names only.
    public var description: String { "RegistryUsers(\(passwords.keys.sorted().joined(separator: ", ")))" }
}

/// A users file line that is not `user:password`.
public struct RegistryUsersFileError: Error, CustomStringConvertible {
    public let path: String
    public let line: Int
    public var description: String { "\(path):\(line): expected user:password" }
}
