import CRdKafka

/// The librdkafka the process loaded, and the check that it is new enough.
public enum LibraryVersion {
    /// The oldest librdkafka avrogate runs with: 2.0.x mis-skips tagged fields in
    /// ApiVersions responses (fixed upstream in 2.2.0) and cannot talk to current brokers.
    public static let minimum: (major: Int, minor: Int) = (2, 2)

    /// The version loaded at run time, as librdkafka's hex-encoded integer.
    public static var loaded: Int { Int(rd_kafka_version()) }
    /// The version of the headers avrogate was compiled against.
    public static var compiled: Int { Int(avrogate_rdkafka_header_version()) }
    /// The loaded version as text, for example "2.8.0".
    public static var loadedString: String { String(cString: rd_kafka_version_str()) }

    /// Throws when the loaded librdkafka is older than ``minimum``.
    public static func requireSupported() throws(KafkaError) {
        let major = (loaded >> 24) & 0xff, minor = (loaded >> 16) & 0xff
        if (major, minor) < minimum {
            throw KafkaError(
                code: .unsupportedLibrary,
                message: "librdkafka \(loadedString) is loaded, but avrogate needs 2.2 or newer: 2.0.x mis-skips tagged protocol fields and cannot talk to current brokers. Run scripts/setup.sh, which builds 2.8.0 into /usr/local.")
        }
    }
}
