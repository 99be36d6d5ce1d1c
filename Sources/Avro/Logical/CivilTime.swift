/// Hand-written ISO-8601 parsing and formatting for the date and time logical types, in the
/// proleptic Gregorian calendar and UTC (no Foundation formatter on the hot path).
///
/// Accepted input: dates `YYYY-MM-DD` (years 0000–9999); times `HH:MM:SS` with an optional
/// fraction of 1 to 9 digits; date-times as a date, `T` (or `t` or a space), a time, then for
/// zoned timestamps a zone `Z`, `z`, `±HH:MM`, `±HHMM` or `±HH` (required), and for local ones
/// nothing. A value that needs more precision than its logical type keeps is rejected, not rounded.
enum CivilTime {
    static let nanosPerSecond: Int64 = 1_000_000_000
    static let secondsPerDay: Int64 = 86_400

    /// Days since 1970-01-01 of a civil date (Howard Hinnant's `days_from_civil`).
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`).
    static func civil(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    // MARK: Parsing

    /// `YYYY-MM-DD` as days since the epoch.
    static func parseDate(_ text: UnsafeRawBufferPointer) -> Int64? {
        var cursor = Cursor(text)
        guard let days = cursor.date(), cursor.atEnd else { return nil }
        return days
    }

    /// `HH:MM:SS[.fraction]` as nanoseconds since midnight, and the number of fraction digits.
    static func parseTime(_ text: UnsafeRawBufferPointer) -> (nanos: Int64, fractionDigits: Int)? {
        var cursor = Cursor(text)
        guard let time = cursor.time(), cursor.atEnd else { return nil }
        return time
    }

    /// A date-time as seconds since the epoch plus nanoseconds, and its fraction digits.
    /// `zoned` says whether the text must carry a zone (timestamps) or must not (local timestamps).
    static func parseDateTime(_ text: UnsafeRawBufferPointer, zoned: Bool) -> (seconds: Int64, nanos: Int64, fractionDigits: Int)? {
        var cursor = Cursor(text)
        guard let days = cursor.date() else { return nil }
        guard let separator = cursor.next(), separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == UInt8(ascii: " ") else { return nil }
        guard let time = cursor.time() else { return nil }
        var seconds = days * secondsPerDay + time.nanos / nanosPerSecond
        if zoned {
            guard let offset = cursor.zoneOffsetSeconds() else { return nil }
            seconds -= offset
        }
        guard cursor.atEnd else { return nil }
        return (seconds, time.nanos % nanosPerSecond, time.fractionDigits)
    }

    /// Converts seconds plus nanoseconds to a count of `unitsPerSecond` units; nil when the
    /// fraction is finer than the unit or the result does not fit in 64 bits.
    static func count(seconds: Int64, nanos: Int64, unitsPerSecond: Int64) -> Int64? {
        let nanosPerUnit = nanosPerSecond / unitsPerSecond
        guard nanos % nanosPerUnit == 0 else { return nil }
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: unitsPerSecond)
        guard !overflow else { return nil }
        let (total, overflow2) = scaled.addingReportingOverflow(nanos / nanosPerUnit)
        return overflow2 ? nil : total
    }

    private struct Cursor {
        let text: UnsafeRawBufferPointer
        var position = 0

        init(_ text: UnsafeRawBufferPointer) { self.text = text }

        var atEnd: Bool { position == text.count }

        mutating func next() -> UInt8? {
            guard position < text.count else { return nil }
            defer { position += 1 }
            return text[position]
        }

        mutating func expect(_ byte: UInt8) -> Bool {
            guard position < text.count, text[position] == byte else { return false }
            position += 1
            return true
        }

        /// Exactly `count` decimal digits.
        mutating func digits(_ count: Int) -> Int64? {
            guard position + count <= text.count else { return nil }
            var value: Int64 = 0
            for k in 0 ..< count {
                let digit = text[position + k] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                value = value * 10 + Int64(digit)
            }
            position += count
            return value
        }

        mutating func date() -> Int64? {
            guard let year = digits(4), expect(UInt8(ascii: "-")), let month = digits(2), expect(UInt8(ascii: "-")), let day = digits(2) else { return nil }
            guard month >= 1 && month <= 12 && day >= 1 && day <= CivilTime.daysIn(month: month, year: year) else { return nil }
            return CivilTime.days(year: year, month: month, day: day)
        }

        mutating func time() -> (nanos: Int64, fractionDigits: Int)? {
            guard let hour = digits(2), expect(UInt8(ascii: ":")), let minute = digits(2), expect(UInt8(ascii: ":")), let second = digits(2) else { return nil }
            guard hour < 24 && minute < 60 && second < 60 else { return nil }
            var fraction: Int64 = 0
            var fractionDigits = 0
            if expect(UInt8(ascii: ".")) {
                while position < text.count, text[position] &- UInt8(ascii: "0") < 10 {
                    guard fractionDigits < 9 else { return nil }
                    fraction = fraction * 10 + Int64(text[position] &- UInt8(ascii: "0"))
                    fractionDigits += 1
                    position += 1
                }
                guard fractionDigits > 0 else { return nil }
                for _ in fractionDigits ..< 9 { fraction *= 10 }
            }
            return ((hour * 3600 + minute * 60 + second) * CivilTime.nanosPerSecond + fraction, fractionDigits)
        }

        /// `Z`, `±HH:MM`, `±HHMM` or `±HH`, as seconds east of UTC.
        mutating func zoneOffsetSeconds() -> Int64? {
            guard let sign = next() else { return nil }
            if sign == UInt8(ascii: "Z") || sign == UInt8(ascii: "z") { return 0 }
            guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-"), let hours = digits(2), hours < 24 else { return nil }
            var minutes: Int64 = 0
            if !atEnd {
                _ = expect(UInt8(ascii: ":"))
                guard let parsed = digits(2), parsed < 60 else { return nil }
                minutes = parsed
            }
            let offset = hours * 3600 + minutes * 60
            return sign == UInt8(ascii: "-") ? -offset : offset
        }
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // MARK: Formatting

    /// `YYYY-MM-DD`, or nil for years outside 0000–9999 (written as the number instead).
    static func formatDate(days: Int64, to out: inout [UInt8]) -> Bool {
        guard days >= minimumDay && days <= maximumDay else { return false }
        let (year, month, day) = civil(days: days)
        appendDigits(year, 4, to: &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(month, 2, to: &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(day, 2, to: &out)
        return true
    }

    /// `HH:MM:SS` plus `fractionDigits` digits of the sub-second part.
    static func formatTime(nanosOfDay: Int64, fractionDigits: Int, to out: inout [UInt8]) {
        let seconds = nanosOfDay / nanosPerSecond
        appendDigits(seconds / 3600, 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(seconds / 60 % 60, 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(seconds % 60, 2, to: &out)
        if fractionDigits > 0 {
            out.append(UInt8(ascii: "."))
            var fraction = nanosOfDay % nanosPerSecond
            for _ in fractionDigits ..< 9 { fraction /= 10 }
            appendDigits(fraction, fractionDigits, to: &out)
        }
    }

    /// `YYYY-MM-DDTHH:MM:SS.fff…` (plus `Z` when `zoned`) for a count of `unitsPerSecond` units
    /// since the epoch, or false for years outside 0000–9999.
    static func formatTimestamp(_ value: Int64, unitsPerSecond: Int64, fractionDigits: Int, zoned: Bool, to out: inout [UInt8]) -> Bool {
        let seconds = value >= 0 ? value / unitsPerSecond : (value + 1) / unitsPerSecond - 1
        // Wrapping: near Int64.min the product leaves 64 bits, but the difference, in 0..<unitsPerSecond, does not.
        let units = value &- seconds &* unitsPerSecond
        let days = seconds >= 0 ? seconds / secondsPerDay : (seconds + 1) / secondsPerDay - 1
        guard days >= minimumDay && days <= maximumDay else { return false }
        _ = formatDate(days: days, to: &out)
        out.append(UInt8(ascii: "T"))
        let secondOfDay = seconds - days * secondsPerDay
        formatTime(nanosOfDay: secondOfDay * nanosPerSecond + units * (nanosPerSecond / unitsPerSecond), fractionDigits: fractionDigits, to: &out)
        if zoned { out.append(UInt8(ascii: "Z")) }
        return true
    }

    /// 0000-01-01 and 9999-12-31 as days since the epoch.
    static let minimumDay: Int64 = -719_528
    static let maximumDay: Int64 = 2_932_896

    private static func appendDigits(_ value: Int64, _ width: Int, to out: inout [UInt8]) {
        var divisor: Int64 = 1
        for _ in 1 ..< width { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }
}
