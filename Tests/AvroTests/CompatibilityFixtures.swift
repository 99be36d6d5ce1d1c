import Avro
import Foundation
import TestSupport

/// Loads `Tests/Fixtures/compat/<name>.avsc`.
func compatSchema(_ name: String) throws -> AvroSchema {
    let text = try String(contentsOf: TestEnvironment.fixture("compat/\(name).avsc"), encoding: .utf8)
    return try AvroSchema(parsing: text)
}

/// Parses a one-line schema given inline (primitives and tiny unions only; anything larger is a fixture).
func inlineSchema(_ text: String) throws -> AvroSchema {
    try AvroSchema(parsing: text)
}
