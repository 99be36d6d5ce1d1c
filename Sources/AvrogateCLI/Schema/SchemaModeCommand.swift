import ArgumentParser
import Registry

/// `avrogate schema mode [--subject S] [--mode M]`: gets or sets a registry or subject mode.
struct SchemaModeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mode",
        abstract: "Print or set the mode, global or of a subject.",
        discussion: "A subject without its own mode prints the global one."
    )

    @OptionGroup var options: RegistryOptions

    @Option(name: .long, help: "The subject (default: the global mode).")
    var subject: String?

    @Option(name: .long, help: "Set this mode: READWRITE, READONLY, READONLY_OVERRIDE or IMPORT.")
    var mode: String?

    @Flag(name: .long, help: "With --mode IMPORT: switch even when schemas exist.")
    var force = false

    func run() async throws {
        try await runAgainstRegistry {
            let newMode = try mode.map { (text) throws -> Mode in try RegistrySetting.parse(text, as: "mode") }
            let client = try options.client()
            let current: Mode
            if let newMode {
                current = try await client.setMode(newMode, subject: subject, force: force)
            } else {
                current = try await client.mode(subject: subject)
            }
            if options.json {
                try options.printJSON(ModeOutput(subject: subject, mode: current.rawValue))
            } else {
                print("\(newMode == nil ? "" : "set ")\(subject ?? "global") mode \(current.rawValue)")
            }
        }
    }
}

/// A mode, as `mode` prints it with --json.
struct ModeOutput: Encodable {
    var subject: String?
    var mode: String
}
