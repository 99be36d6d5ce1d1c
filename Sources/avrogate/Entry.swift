import AvrogateCLI
import Foundation
import Kafka

/// The `avrogate` binary: refuses an unsupported librdkafka, then runs the command tree.
@main
enum Entry {
    static func main() async {
        do {
            try LibraryVersion.requireSupported()
        } catch {
            FileHandle.standardError.write(Data("avrogate: \(error.message)\n".utf8))
            exit(70)
        }
        await Avrogate.main()
    }
}
