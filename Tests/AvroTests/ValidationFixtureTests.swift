import Avro
import Testing

/// One invalid event of Tests/Fixtures/codec/validation.invalid.json and the exact errors it gives.
struct ValidationCase: Sendable, CustomTestStringConvertible {
    let name: String
    let json: String
    let format: AvroJSONFormat
    let expected: [ValidationError]

    var testDescription: String { name }

    /// The cases: each patches (or replaces) the valid event of validation.valid.json.
    static func all() throws -> [ValidationCase] {
        let valid = try JSONValue.parse(try CodecFixtures.text("validation.valid.json"))
        guard case .array(let cases) = try JSONValue.parse(try CodecFixtures.text("validation.invalid.json")) else { return [] }
        return cases.map { entry in
            var json: String
            if let text = entry["text"]?.stringValue {
                json = text
            } else {
                var object = valid.objectValue!
                if let patch = entry["patch"]?.objectValue {
                    for key in patch.keys { object[key] = patch[key] }
                }
                for key in entry["remove"]?.arrayValue ?? [] { object[key.stringValue!] = nil }
                json = JSONValue.object(object).jsonText
            }
            let expected = (entry["errors"]?.arrayValue ?? []).map { error in
                let fields = error.arrayValue!.map { $0.stringValue! }
                return ValidationError(kind: kind(fields[0]), path: fields[1], expected: fields[2], got: fields[3])
            }
            return ValidationCase(name: entry["name"]!.stringValue!, json: json,
                                  format: entry["format"]?.stringValue == "avroJSON" ? .avroJSON : .natural, expected: expected)
        }
    }

    private static func kind(_ text: String) -> ValidationError.Kind {
        if text.hasPrefix("malformedJSON ") {
            let position = text.dropFirst("malformedJSON ".count).split(separator: ":").map { Int($0)! }
            return .malformedJSON(line: position[0], column: position[1])
        }
        switch text {
        case "tooLarge": return .tooLarge
        case "tooDeep": return .tooDeep
        case "missingField": return .missingField
        case "unknownField": return .unknownField
        case "duplicateKey": return .duplicateKey
        default: return .invalidValue
        }
    }
}

@Suite struct ValidationFixtureTests {
    @Test(arguments: try ValidationCase.all())
    func invalidEventReportsExactlyTheseErrors(_ validation: ValidationCase) throws {
        let encoder = try CodecFixtures.codec("validation.avsc").makeEncoder()
        #expect(encoder.errors(validation.json, format: validation.format) == validation.expected)
    }

    @Test func theValidEventOfTheFixturesEncodes() throws {
        let encoder = try CodecFixtures.codec("validation.avsc").makeEncoder()
        #expect(encoder.errors(try CodecFixtures.text("validation.valid.json")).isEmpty)
    }

    @Test(arguments: try ValidationCase.all())
    func gotIsAtMost40CharactersOnOneLine(_ validation: ValidationCase) throws {
        for error in validation.expected {
            #expect(error.got.count <= 40)
            #expect(!error.got.contains("\n"))
        }
    }
}
