import Foundation
import Testing
import TestSupport

/// The registry settings that come from the environment: the server's default level and Kafka
/// properties, and the clients' user and password.
@Suite(.timeLimit(.minutes(2)))
struct RegistryEnvironmentTests {
    /// Whether the loopback `port` accepts a connection: the registry listens only once it replayed its
    /// topic. (URLSession is not asked: on Linux it waits on a 401 with a Basic challenge.)
    private static func listens(_ port: Int) -> Bool {
        let socket = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    @Test func theServersDefaultLevelComesFromTheEnvironment() async throws {
        let port = try freePort()
        let url = "http://127.0.0.1:\(port)"
        let served = try await ServedCommand(
            ["registry", "serve", "--listen", "127.0.0.1:\(port)", "--brokers", try TestEnvironment.brokers(), "--topic", TestEnvironment.uniqueName("env-schemas")],
            environment: ["AVROGATE_REGISTRY_DEFAULT_COMPATIBILITY": "full_transitive"]) { await ServedCommand.answers(url + "/subjects") }
        let run = try avrogate(["schema", "config", "--registry", url])
        #expect(run.stdout == "global compatibility FULL_TRANSITIVE\n", "\(run.stdout)\(run.stderr)")
        withExtendedLifetime(served) {}
    }

    @Test func kafkaPropertiesFromTheEnvironmentAreChecked() throws {
        let run = try avrogate(["registry", "serve", "--brokers", try TestEnvironment.brokers(), "--listen", "127.0.0.1:\(try freePort())"],
                               environment: ["AVROGATE_KAFKA_PROPERTY": "client.id=registry\nnot-a-property"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("not-a-property"), "\(run.stderr)")
    }

    @Test func schemaCommandsTakeTheRegistryUserFromTheEnvironment() async throws {
        let users = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName("users"))
        try Data("alice:s3cret\n".utf8).write(to: users)
        defer { try? FileManager.default.removeItem(at: users) }
        let port = try freePort()
        let url = "http://127.0.0.1:\(port)"
        let served = try await ServedCommand(
            ["registry", "serve", "--listen", "127.0.0.1:\(port)", "--brokers", try TestEnvironment.brokers(),
             "--topic", TestEnvironment.uniqueName("env-schemas"), "--users-file", users.path],
            environment: [:]) { Self.listens(port) }
        let allowed = try avrogate(["schema", "list"], environment: ["AVROGATE_REGISTRY_URL": url, "AVROGATE_REGISTRY_USER": "alice", "AVROGATE_REGISTRY_PASSWORD": "s3cret"])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        let refused = try avrogate(["schema", "list"], environment: ["AVROGATE_REGISTRY_URL": url, "AVROGATE_REGISTRY_USER": "", "AVROGATE_REGISTRY_PASSWORD": "s3cret"])
        #expect(refused.status == 1, "\(refused.stderr)")
        // The --registry-… spellings the other commands use work here too.
        let flags = try avrogate(["schema", "list", "--registry", url, "--registry-user", "alice", "--registry-password", "s3cret"])
        #expect(flags.status == 0, "\(flags.stderr)")
        withExtendedLifetime(served) {}
    }
}
