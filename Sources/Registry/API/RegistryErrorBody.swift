/// The body of every registry error response.
public struct RegistryErrorBody: Codable, Sendable, Hashable, Error {
    /// A ``RegistryErrorCode`` raw value (or the HTTP status, for errors without a finer code).
    public var errorCode: Int
    public var message: String

    public init(errorCode: Int, message: String) {
        self.errorCode = errorCode
        self.message = message
    }

    public init(_ code: RegistryErrorCode, message: String) {
        self.init(errorCode: code.rawValue, message: message)
    }

    /// The code, when it is one this package knows.
    public var code: RegistryErrorCode? { RegistryErrorCode(rawValue: errorCode) }

    private enum CodingKeys: String, CodingKey {
        case errorCode = "error_code"
        case message
    }
}
