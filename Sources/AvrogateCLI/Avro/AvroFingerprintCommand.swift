import ArgumentParser
import Avro

/// `avrogate avro fingerprint --schema FILE`: prints the CRC-64-AVRO and SHA-256 fingerprints.
struct AvroFingerprintCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fingerprint", abstract: "Print the schema's CRC-64-AVRO (Rabin) and SHA-256 fingerprints of its canonical form.")

    @OptionGroup var schema: SchemaFileOptions

    func run() async throws {
        try await runReportingFailures {
            let parsed = try schema.load()
            // Printed as its 8 bytes in little-endian order, as Avro's Java and Python implementations do.
            let rabin = withUnsafeBytes(of: parsed.rabinFingerprint.littleEndian) { bytes in
                bytes.map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
            }
            print("CRC-64-AVRO \(rabin)")
            print("SHA-256     \(parsed.sha256Fingerprint)")
        }
    }
}
