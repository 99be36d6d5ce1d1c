import ArgumentParser
import Avro
import Foundation

/// `avrogate-bench avro [--count N]`: the codec on one core, JSON → framed Avro (the JSON parse
/// included) and framed Avro → JSON, against fastavro doing the same work in the same run
/// (scripts/bench_fastavro.py: json.loads and schemaless_writer, schemaless_reader and json.dumps).
/// Rates are events per second of the measuring thread's CPU time, so a busy machine slows the
/// run but does not change the figures much; both sides are measured the same way.
struct AvroBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "avro",
        abstract: "Codec throughput on one core: JSON → Avro framed and back, vs. fastavro. Run from the package root.")

    @Option(help: "Events per measured run.")
    var count = 300_000

    @Option(help: "Measured runs per direction; the median is reported.")
    var rounds = 3

    @Option(help: "The schema file.")
    var schema = "schemas/reference.avsc"

    @Option(help: "A file with one JSON event of the schema.")
    var event = "schemas/reference.example.json"

    @Option(help: "Events per fastavro run (it is much slower).")
    var fastavroCount = 30_000

    @Flag(help: "Leave out the fastavro comparison.")
    var skipFastavro = false

    func run() throws {
        let codec = try AvroCodec(schema: try AvroSchema(parsing: try String(contentsOfFile: schema, encoding: .utf8)))
        let json = Array(try String(contentsOfFile: event, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines).utf8)
        let encoder = try codec.makeEncoder()
        let frame = try json.withUnsafeBytes { input in
            var out: [UInt8] = []
            try encoder.encodeFramed(json: input, schemaID: 1, appendingTo: &out)
            return out
        }
        print("avrogate-bench avro: \(schema), event \(json.count) B JSON, \(frame.count) B framed, \(count) events × \(rounds) runs")

        let encodeRate = try median(rounds) { try encode(json, with: encoder) }
        print(String(format: "  JSON → Avro framed   %10.0f events/s of CPU time (target ≥ 200000)", encodeRate))
        let decodeRate = try median(rounds) { try decode(frame, with: codec) }
        print(String(format: "  Avro framed → JSON   %10.0f events/s of CPU time (value tree: decode, then write)", decodeRate))
        let directRate = try median(rounds) { try decodeDirectly(frame, with: codec) }
        print(String(format: "  Avro framed → JSON   %10.0f events/s of CPU time (direct decoder), %.1f× the tree", directRate, directRate / decodeRate))

        guard !skipFastavro else { return }
        let fastavro = try runFastavro()
        print(String(format: "  fastavro %@: JSON → Avro %.0f events/s, Avro → JSON %.0f events/s", fastavro.version, fastavro.encode, fastavro.decode))
        print(String(format: "  ratio avrogate / fastavro: JSON → Avro %.1f× (target ≥ 1.5×), Avro → JSON %.1f× (direct decoder %.1f×)",
                     encodeRate / fastavro.encode, decodeRate / fastavro.decode, directRate / fastavro.decode))
    }

    /// Events per second of `count` encodings of the event into frames (reusing the output buffer).
    private func encode(_ json: [UInt8], with encoder: AvroEncoder) throws -> Double {
        try rate(of: json) { input, out in try encoder.encodeFramed(json: input, schemaID: 1, appendingTo: &out) }
    }

    /// Events per second of `count` decodings of the frame into natural JSON text.
    private func decode(_ frame: [UInt8], with codec: AvroCodec) throws -> Double {
        let decoder = codec.makeDecoder()
        let writer = AvroJSONWriter(codec: codec)
        return try rate(of: frame) { input, out in writer.write(try decoder.decodeFramed(input).value, to: &out) }
    }

    /// Events per second of `count` direct decodings of the frame's body into natural JSON text.
    private func decodeDirectly(_ frame: [UInt8], with codec: AvroCodec) throws -> Double {
        let decoder = try DirectJSONDecoder(writer: codec)
        return try rate(of: frame) { input, out in try decoder.write(try ConfluentWireFormat.unframe(input).body, to: &out) }
    }

    /// Events per second of CPU time of `count` runs of `body` on `input`, each into the emptied output buffer.
    private func rate(of input: [UInt8], _ body: (UnsafeRawBufferPointer, inout [UInt8]) throws -> Void) throws -> Double {
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        let start = threadCPUSeconds()
        try input.withUnsafeBytes { input in
            for _ in 0 ..< count {
                out.removeAll(keepingCapacity: true)
                try body(input, &out)
            }
        }
        return Double(count) / (threadCPUSeconds() - start)
    }

    private func median(_ runs: Int, _ measure: () throws -> Double) throws -> Double {
        // One unmeasured pass warms caches and the encoder's buffers.
        _ = try measure()
        let rates = try (0 ..< max(runs, 1)).map { _ in try measure() }.sorted()
        return rates[rates.count / 2]
    }

    private func runFastavro() throws -> (version: String, encode: Double, decode: Double) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "scripts/bench_fastavro.py", "--schema", schema, "--event", event, "--count", String(fastavroCount)]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let result = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let encode = result["encode_events_per_second"] as? Double, let decode = result["decode_events_per_second"] as? Double else {
            throw ArgumentParser.ValidationError("scripts/bench_fastavro.py failed (is fastavro installed? scripts/setup.sh installs it)")
        }
        return (result["fastavro"] as? String ?? "?", encode, decode)
    }
}

/// CPU time the calling thread has used, in seconds.
private func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}
