// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "avrogate",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "avrogate", targets: ["avrogate"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.5.0"),
    ],
    targets: [
        // C libraries, seen through pkg-config; each module header also holds the few
        // static inline wrappers Swift cannot call directly (macros, variadic functions).
        .systemLibrary(name: "CRdKafka", pkgConfig: "rdkafka",
                       providers: [.apt(["librdkafka-dev (>= 2.2, see scripts/setup.sh)"])]),
        .systemLibrary(name: "CAvro", pkgConfig: "avro-c", providers: [.apt(["libavro-dev"])]),
        .systemLibrary(name: "CJansson", pkgConfig: "jansson", providers: [.apt(["libjansson-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),

        // Kafka: producer, consumer and admin over librdkafka.
        .target(name: "Kafka", dependencies: [
            "CRdKafka",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // Avro: schema model, canonical form, JSON <-> Avro, wire format, resolution, compatibility.
        .target(name: "Avro", dependencies: [
            "CAvro", "CJansson",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // Registry: the Confluent Schema Registry client over libcurl.
        .target(name: "Registry", dependencies: [
            "CCurl", "Avro",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // ServerSupport: what the two HTTP servers share (405 for other methods on known paths).
        .target(name: "ServerSupport", dependencies: [
            .product(name: "Hummingbird", package: "hummingbird"),
        ]),
        // RegistryServer: the built-in Confluent-compatible registry, state in a Kafka topic.
        .target(name: "RegistryServer", dependencies: [
            "Avro", "Kafka", "Registry", "ServerSupport",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // Ingest: the HTTP ingest API.
        .target(name: "Ingest", dependencies: [
            "Avro", "Kafka", "Registry", "ServerSupport",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // Consumer: the decoding consumer and the CLI producer pipeline.
        .target(name: "Consumer", dependencies: [
            "Avro", "Kafka", "Registry",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // AvrogateCLI: the `avrogate` command tree.
        .target(name: "AvrogateCLI", dependencies: [
            "Kafka", "Avro", "Registry", "RegistryServer", "Ingest", "Consumer",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Hummingbird", package: "hummingbird"),
        ]),
        .executableTarget(name: "avrogate", dependencies: ["AvrogateCLI"]),
        .executableTarget(name: "avrogate-bench", dependencies: [
            "Kafka", "Avro", "Registry", "CRdKafka",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "Benchmarks/avrogate-bench"),

        .target(name: "TestSupport", dependencies: ["Kafka"], path: "Tests/TestSupport"),
        .testTarget(name: "KafkaTests", dependencies: ["Kafka", "CRdKafka", "TestSupport"]),
        .testTarget(name: "AvroTests", dependencies: ["Avro", "TestSupport"]),
        .testTarget(name: "RegistryTests", dependencies: ["Registry", "RegistryServer", "Avro", "Kafka", "TestSupport"]),
        .testTarget(name: "IngestTests", dependencies: ["Ingest", "RegistryServer", "Registry", "Avro", "Kafka", "TestSupport"]),
        .testTarget(name: "ConsumerTests", dependencies: ["Consumer", "RegistryServer", "Registry", "Avro", "Kafka", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport"]),
    ]
)
