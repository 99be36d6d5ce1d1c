import Foundation

/// An SVG chart of ingest throughput (bars, left axis) and p99 latency (line, right axis) against the
/// request batch size, drawn from the figures of the run that prints them.
struct BenchChart {
    struct Point {
        var batchSize: Int
        var eventsPerSecond: Double
        var p99Milliseconds: Double
    }

    var title: String
    var points: [Point]

    private let width = 720.0, height = 420.0
    private let left = 80.0, right = 80.0, top = 50.0, bottom = 60.0

    init(title: String, points: [Point]) {
        self.title = title
        self.points = points
    }

    /// The chart as an SVG document.
    func svg() -> String {
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let maxRate = Self.niceCeiling(points.map(\.eventsPerSecond).max() ?? 1)
        let maxLatency = Self.niceCeiling(points.map(\.p99Milliseconds).max() ?? 1)
        let slot = plotWidth / Double(max(points.count, 1))
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(width / 2)" y="24" text-anchor="middle" font-size="15">\(Self.escape(title))</text>

            """
        // Grid and both axes' ticks.
        for step in 0 ... 4 {
            let fraction = Double(step) / 4
            let y = top + plotHeight * (1 - fraction)
            out += "<line x1=\"\(left)\" y1=\"\(y)\" x2=\"\(left + plotWidth)\" y2=\"\(y)\" stroke=\"#ddd\"/>\n"
            out += "<text x=\"\(left - 6)\" y=\"\(y + 4)\" text-anchor=\"end\" fill=\"#1f5fa8\">\(Self.compact(maxRate * fraction))</text>\n"
            out += "<text x=\"\(left + plotWidth + 6)\" y=\"\(y + 4)\" fill=\"#c0392b\">\(String(format: "%.1f", maxLatency * fraction))</text>\n"
        }
        out += "<line x1=\"\(left)\" y1=\"\(top + plotHeight)\" x2=\"\(left + plotWidth)\" y2=\"\(top + plotHeight)\" stroke=\"black\"/>\n"
        out += "<text transform=\"translate(18,\(top + plotHeight / 2)) rotate(-90)\" text-anchor=\"middle\" fill=\"#1f5fa8\">events/s (bars)</text>\n"
        out += "<text transform=\"translate(\(width - 18),\(top + plotHeight / 2)) rotate(90)\" text-anchor=\"middle\" fill=\"#c0392b\">p99 latency, ms (line)</text>\n"
        out += "<text x=\"\(left + plotWidth / 2)\" y=\"\(height - 16)\" text-anchor=\"middle\">records per request</text>\n"
        var line: [String] = []
        for (index, point) in points.enumerated() {
            let center = left + slot * (Double(index) + 0.5)
            let barHeight = plotHeight * point.eventsPerSecond / maxRate
            out += "<rect x=\"\(center - slot * 0.3)\" y=\"\(top + plotHeight - barHeight)\" width=\"\(slot * 0.6)\" height=\"\(barHeight)\" fill=\"#1f5fa8\" opacity=\"0.8\"/>\n"
            out += "<text x=\"\(center)\" y=\"\(top + plotHeight - barHeight - 4)\" text-anchor=\"middle\" font-size=\"11\">\(Self.compact(point.eventsPerSecond))</text>\n"
            out += "<text x=\"\(center)\" y=\"\(top + plotHeight + 18)\" text-anchor=\"middle\">\(point.batchSize)</text>\n"
            line.append("\(center),\(top + plotHeight * (1 - point.p99Milliseconds / maxLatency))")
        }
        out += "<polyline points=\"\(line.joined(separator: " "))\" fill=\"none\" stroke=\"#c0392b\" stroke-width=\"2\"/>\n"
        for point in line {
            let xy = point.split(separator: ",")
            out += "<circle cx=\"\(xy[0])\" cy=\"\(xy[1])\" r=\"4\" fill=\"#c0392b\"/>\n"
        }
        out += "</svg>\n"
        return out
    }

    /// 1, 2 or 5 times a power of ten, at least `value`.
    static func niceCeiling(_ value: Double) -> Double {
        guard value > 0 else { return 1 }
        let magnitude = pow(10, floor(log10(value)))
        for factor in [1.0, 2.0, 5.0, 10.0] where factor * magnitude >= value {
            return factor * magnitude
        }
        return 10 * magnitude
    }

    private static func compact(_ value: Double) -> String {
        if value >= 1_000_000 { return String(format: "%.1fM", value / 1_000_000) }
        if value >= 1000 { return String(format: "%.0fk", value / 1000) }
        return String(format: "%.0f", value)
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
    }
}
