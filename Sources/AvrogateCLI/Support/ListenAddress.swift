import Foundation

/// A `HOST:PORT` a server listens on, as the `--listen` options take it (`[::1]:8080` for IPv6; an empty
/// host means loopback, never every interface).
struct ListenAddress: Equatable {
    var host: String
    var port: Int

    /// Parses `text`; `option` names the flag in the error.
    init(_ text: String, option: String) throws(CLIFailure) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0 ... 65535).contains(port) else {
            throw CLIFailure(exitCode: 2, message: "\(option) must be HOST:PORT, got \(text)")
        }
        let host = String(text[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        self.host = host.isEmpty ? "127.0.0.1" : host
        self.port = port
    }
}
