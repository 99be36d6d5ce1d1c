/// A registry setting named by an upper-case word (a compatibility level, a mode), read case-insensitively
/// from the command line.
enum RegistrySetting {
    /// The setting `text` names; exit status 2 with the known names when it names none.
    static func parse<Setting: CaseIterable & RawRepresentable<String>>(_ text: String, as kind: String) throws -> Setting {
        guard let setting = Setting(rawValue: text.uppercased()) else {
            let known = Setting.allCases.map(\.rawValue).joined(separator: ", ")
            throw CLIFailure(exitCode: 2, message: "unknown \(kind) '\(text)' (expected one of \(known))")
        }
        return setting
    }
}
