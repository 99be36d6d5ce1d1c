/// The `got` of an error: at most 40 characters of input text, on one line, with control
/// characters escaped and runs of whitespace folded into one space; longer text ends in `…`.
enum Excerpt {
    static let limit = 40

    static func make(_ bytes: UnsafeRawBufferPointer) -> String {
        make(String(decoding: bytes, as: UTF8.self))
    }

    static func make(_ text: String) -> String {
        var pieces: [String] = []
        var characters = 0
        var lastWasSpace = false
        for scalar in text.unicodeScalars {
            let piece: String
            switch scalar {
            case " ", "\n", "\r", "\t":
                if lastWasSpace { continue }
                piece = " "
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    piece = "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    piece = String(scalar)
                }
            }
            lastWasSpace = piece == " "
            pieces.append(piece)
            characters += piece.unicodeScalars.count
            if characters > limit { break }
        }
        if characters <= limit { return pieces.joined() }
        var out = ""
        var used = 0
        for piece in pieces {
            let size = piece.unicodeScalars.count
            if used + size > limit - 1 { break }
            out += piece
            used += size
        }
        return out + "…"
    }
}
