import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport

/// What can be checked of compose/ without Docker: the compose file's shape, that the avrogate commands,
/// options and environment variables it uses exist, that its health checks ask routes the servers serve,
/// and that the Dockerfile's runtime image holds the libraries the binary links.
@Suite(.timeLimit(.minutes(2)))
struct ComposeFileTests {
    static let avrogateImage = "avrogate:local"

    private static func compose() throws -> [String: JSONTree] {
        guard let services = try loadYAML("compose/docker-compose.yml")["services"]?.objectValue else {
            throw DocsFailure("compose/docker-compose.yml has no services")
        }
        return services
    }

    private static func strings(_ tree: JSONTree?) -> [String] {
        tree?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    /// A service's environment as a dictionary (compose allows a map or a list of NAME=value).
    private static func environment(_ service: JSONTree) -> [String: String] {
        if let map = service["environment"]?.objectValue {
            return map.mapValues { value in
                switch value {
                case .string(let text): text
                case .integer(let number): String(number)
                case .bool(let flag): String(flag)
                default: "\(value)"
                }
            }
        }
        var result: [String: String] = [:]
        for item in strings(service["environment"]) {
            let parts = item.split(separator: "=", maxSplits: 1)
            result[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        return result
    }

    /// The URL a `curl` health check asks.
    private static func healthURL(_ service: JSONTree) -> URL? {
        strings(service["healthcheck"]?["test"]).first { $0.hasPrefix("http://") }.flatMap(URL.init(string:))
    }

    /// One-shot jobs (a topic setup, the CLI) need no health check: others wait for them to complete, or nothing waits for them.
    private static func isOneShot(_ service: JSONTree) -> Bool {
        service["restart"]?.stringValue == "no"
    }

    @Test func everyLongRunningServiceHasAHealthCheckAndWaitsForHealthyDependencies() throws {
        let services = try Self.compose()
        #expect(Set(services.keys).isSuperset(of: ["kafka", "schema-registry", "avrogate-registry", "ingest", "consumer"]))
        for (name, service) in services {
            let check = Self.strings(service["healthcheck"]?["test"])
            if !Self.isOneShot(service) {
                #expect(!check.isEmpty, "\(name) has no health check")
            }
            for (dependency, condition) in service["depends_on"]?.objectValue ?? [:] {
                guard let target = services[dependency] else {
                    Issue.record("\(name) depends on \(dependency), which is not a service")
                    continue
                }
                let wanted = Self.isOneShot(target) ? "service_completed_successfully" : "service_healthy"
                #expect(condition["condition"]?.stringValue == wanted, "\(name) must wait for \(dependency) with \(wanted)")
            }
            for port in Self.strings(service["ports"]) {
                #expect(port.hasPrefix("127.0.0.1:"), "\(name) publishes \(port) beyond the loopback interface")
            }
        }
    }

    @Test func theRegistryProfilesAreExclusiveAndBothAnswerAsRegistry() throws {
        let services = try Self.compose()
        let profiles = try String(contentsOf: TestEnvironment.packageRoot.appendingPathComponent("compose/.env"), encoding: .utf8)
        #expect(profiles.contains("COMPOSE_PROFILES=confluent-registry"))
        for (name, profile) in [("schema-registry", "confluent-registry"), ("avrogate-registry", "avrogate-registry")] {
            let service = try #require(services[name])
            #expect(Self.strings(service["profiles"]) == [profile])
            #expect(Self.strings(service["networks"]?["default"]?["aliases"]) == ["registry"])
            for dependent in ["ingest", "consumer"] {
                let dependency = services[dependent]?["depends_on"]?[name]
                #expect(dependency?["required"] == .bool(false), "\(dependent) must not require \(name): only one registry runs")
            }
        }
        for (name, service) in services where service["image"]?.stringValue == Self.avrogateImage {
            let registry = Self.environment(service)["AVROGATE_REGISTRY_URL"]
            #expect(registry == nil || registry == "http://registry:8081", "\(name) must use the registry alias")
        }
    }

    @Test func everyAvrogateCommandAndOptionOfComposeAndTheDockerfileExists() throws {
        let index = try #require(HelpIndex.avrogate)
        for (name, service) in try Self.compose() where service["image"]?.stringValue == Self.avrogateImage {
            let command = Self.strings(service["command"])
            guard !command.isEmpty else { continue }
            let problems = try index.problems(of: command)
            #expect(problems.isEmpty, "\(name): \(problems)")
            let build = try #require(service["build"], "\(name) does not say how its image is built")
            let dockerfile = TestEnvironment.packageRoot.appendingPathComponent("compose")
                .appendingPathComponent(build["context"]?.stringValue ?? ".").appendingPathComponent(build["dockerfile"]?.stringValue ?? "Dockerfile")
            #expect(FileManager.default.fileExists(atPath: dockerfile.standardizedFileURL.path), "\(name) builds from \(dockerfile.path), which does not exist")
        }
        let dockerfile = try Docs.text("compose/Dockerfile")
        // The image's own command lines: `avrogate version` in the build, `avrogate --help` by default.
        #expect(dockerfile.contains(#"ENTRYPOINT ["avrogate"]"#) && dockerfile.contains(#"CMD ["--help"]"#))
        for arguments in [["version"], ["--help"]] {
            #expect(try runProcess(try TestEnvironment.binary(), arguments).status == 0, "avrogate \(arguments.joined(separator: " ")) fails")
        }
        for line in dockerfile.split(separator: "\n") where line.hasPrefix("COPY ") && !line.contains("--from=") {
            for source in line.split(separator: " ").dropFirst().dropLast() {
                #expect(FileManager.default.fileExists(atPath: TestEnvironment.packageRoot.appendingPathComponent(String(source)).path), "the Dockerfile copies \(source), which does not exist")
            }
        }
        let setup = try Docs.text("scripts/setup.sh")
        for variable in dockerfile.matches(of: /AVROGATE_[A-Z_]+/).map({ String($0.output) }) {
            #expect(setup.contains("AVROGATE_SKIP") && setup.contains(variable), "scripts/setup.sh does not read \(variable)")
        }
        let users = dockerfile.split(separator: "\n").filter { $0.hasPrefix("USER ") }
        #expect(users.last.map { !$0.contains("root") && !$0.hasSuffix(" 0") } ?? false, "the image must run as a user other than root")
    }

    /// The `AVROGATE_…` variables each command reads, from the quoted names in its sources.
    private static func variablesRead(under folders: [String]) throws -> Set<String> {
        var names: Set<String> = []
        for folder in folders {
            let root = TestEnvironment.packageRoot.appendingPathComponent(folder)
            let files = FileManager.default.enumerator(atPath: root.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") } ?? []
            for file in files {
                let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
                names.formUnion(text.matches(of: /"(AVROGATE_[A-Z0-9_]+)"/).map { String($0.output.1) })
            }
        }
        return names
    }

    @Test func everyAvrogateVariableOfComposeIsOneTheServicesCommandReads() throws {
        let folders: [String: [String]] = [
            "serve": ["Sources/AvrogateCLI/Serve"],
            "registry": ["Sources/AvrogateCLI/Registry"],
            "consume": ["Sources/AvrogateCLI/Consume"],
        ]
        let everyCommand = try Self.variablesRead(under: ["Sources/AvrogateCLI"])
        var checked = 0
        for (name, service) in try Self.compose() where service["image"]?.stringValue == Self.avrogateImage {
            // The CLI service runs whatever command it is given: any variable some command reads.
            let read = try Self.strings(service["command"]).first.flatMap { folders[$0] }.map(Self.variablesRead(under:)) ?? everyCommand
            for variable in Self.environment(service).keys where variable.hasPrefix("AVROGATE_") {
                checked += 1
                #expect(read.contains(variable), "\(name) sets \(variable), which its command does not read")
            }
        }
        #expect(checked >= 8)
    }

    /// A compose service's avrogate command, started here: its environment with the test broker, a
    /// free loopback port and (given) the registry swapped in; its health check's path asked on that port.
    private func start(_ service: JSONTree, registry: String?, replacing: [String: String] = [:]) async throws -> (ServedCommand, URL) {
        var environment = Self.environment(service)
        environment["AVROGATE_BROKERS"] = try TestEnvironment.brokers()
        if let registry { environment["AVROGATE_REGISTRY_URL"] = registry }
        if environment["AVROGATE_REGISTRY_TOPIC"] != nil { environment["AVROGATE_REGISTRY_TOPIC"] = TestEnvironment.uniqueName("compose-schemas") }
        let health = try #require(Self.healthURL(service))
        let port = try freePort()
        for key in ["AVROGATE_LISTEN", "AVROGATE_REGISTRY_LISTEN"] {
            guard let listen = environment[key] else { continue }
            #expect(listen.hasSuffix(":\(health.port!)"), "the health check asks port \(health.port!), the service listens on \(listen)")
            environment[key] = "127.0.0.1:\(port)"
        }
        let url = URL(string: "http://127.0.0.1:\(port)\(health.path)")!
        let command = Self.strings(service["command"]).map { replacing[$0] ?? $0 }
        let served = try await ServedCommand(command, environment: environment) { await ServedCommand.answers(url.absoluteString) }
        return (served, url)
    }

    @Test func theHealthChecksAskRoutesTheServersServe() async throws {
        let services = try Self.compose()
        let (registry, registryHealth) = try await start(try #require(services["avrogate-registry"]), registry: nil)
        let registryURL = "http://127.0.0.1:\(registryHealth.port!)"
        // Confluent's registry is asked the same route, which avrogate's registry serves as Confluent's does.
        let confluent = try #require(services["schema-registry"])
        let confluentHealth = try #require(Self.healthURL(confluent))
        #expect(await ServedCommand.answers(registryURL + confluentHealth.path))

        let (ingest, ingestHealth) = try await start(try #require(services["ingest"]), registry: registryURL)
        #expect(await ServedCommand.answers(ingestHealth.absoluteString))

        // The consumer serves /health beside its metrics (--metrics-listen); it is started with the compose
        // command, its topic, output file and metrics port swapped for test ones.
        let consumer = try #require(services["consumer"])
        let consumerHealth = try #require(Self.healthURL(consumer))
        let topic = try await KafkaTestCluster.createTopic("compose-orders")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName("orders") + ".ndjson")
        var environment = Self.environment(consumer)
        environment["AVROGATE_BROKERS"] = try TestEnvironment.brokers()
        environment["AVROGATE_REGISTRY_URL"] = registryURL
        let composeCommand = Self.strings(consumer["command"])
        let listen = try #require(composeCommand.firstIndex(of: "--metrics-listen").map { composeCommand[$0 + 1] })
        #expect(listen.hasSuffix(":\(consumerHealth.port!)"), "the health check asks port \(consumerHealth.port!), the consumer serves \(listen)")
        let port = try freePort()
        let output = try #require(composeCommand.firstIndex(of: "--output").map { composeCommand[$0 + 1] })
        let command = composeCommand.map { $0 == output ? file.path : $0 == "orders" ? topic : $0 == listen ? "127.0.0.1:\(port)" : $0 }
        let url = "http://127.0.0.1:\(port)\(consumerHealth.path)"
        let consuming = try await ServedCommand(command, environment: environment) { await ServedCommand.answers(url) }
        #expect(FileManager.default.isWritableFile(atPath: file.path))
        try? FileManager.default.removeItem(at: file)
        withExtendedLifetime((registry, ingest, consuming)) {}
    }

    @Test func theRuntimeImageInstallsEveryLibraryTheBinaryAndLibrdkafkaLink() throws {
        let dockerfile = try Docs.text("compose/Dockerfile")
        let runtime = try #require(dockerfile.components(separatedBy: "FROM debian:").last)
        let installed = Set(runtime.matches(of: /[a-z0-9][a-z0-9.+-]+/).map { String($0.output) })
        // In every Debian image: the C and C++ runtimes.
        let base: Set<String> = ["libc6", "libgcc-s1", "libstdc++6"]
        let binary = try TestEnvironment.binary()
        var missing: [String] = []
        for file in [binary.path, "/usr/local/lib/librdkafka.so.1"] {
            let needed = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["readelf", "-d", file]).stdout
                .matches(of: /\(NEEDED\).*\[(.+)\]/).map { String($0.output.1) }
            let resolved = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["ldd", file]).stdout
            // The dynamic loader comes with libc6.
            for library in needed where !library.hasPrefix("ld-linux") {
                guard let line = resolved.split(separator: "\n").first(where: { $0.contains(library + " => ") }),
                      let path = line.split(separator: " ").dropFirst(2).first.map(String.init) else {
                    missing.append("\(library) (not found here)")
                    continue
                }
                // The Swift runtime is linked statically into the image's binary; librdkafka is copied in.
                if path.contains("/lib/swift/") || path.hasPrefix("/usr/local/lib/librdkafka") { continue }
                var owner = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["dpkg", "-S", path])
                if owner.status != 0, path.hasPrefix("/lib/") {
                    owner = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["dpkg", "-S", "/usr" + path])
                }
                let package = owner.stdout.split(separator: ":").first.map(String.init) ?? "?"
                if !installed.contains(package) && !base.contains(package) { missing.append("\(library) (\(package))") }
            }
        }
        #expect(missing.isEmpty, "the runtime stage does not install \(missing.joined(separator: ", "))")
    }
}
