import Foundation
import Registry
import Testing
import TestSupport

/// READWRITE, READONLY and IMPORT modes, globally and per subject.
@Suite struct ServerModeTests {
    @Test func readOnlyModesRefuseWritesWith42205() async throws {
        try await withRegistryServer { server in
            #expect(try await server.get("/mode").text == #"{"mode":"READWRITE"}"#)
            let unset = try await server.get("/mode/users-value")
            #expect(unset.status == 404 && unset.errorCode == 40409 && unset.message == "Subject 'users-value' does not have subject-level mode configured")
            #expect(try await server.get("/mode/users-value?defaultToGlobal=true").decode(ModeResponse.self).mode == "READWRITE")
            let invalid = try await server.put("/mode", #"{"mode":"SIDEWAYS"}"#)
            #expect(invalid.status == 422 && invalid.errorCode == 42204)

            _ = try await server.registered("users-value", try registryFixture("user-v1"))
            #expect(try await server.put("/mode/users-value", #"{"mode":"READONLY"}"#).text == #"{"mode":"READONLY"}"#)
            let refused = try await server.register("users-value", try registryFixture("user-v2-optional-email"))
            #expect(refused.status == 422 && refused.errorCode == 42205 && refused.message == "Subject users-value is in read-only mode")
            #expect(try await server.delete("/subjects/users-value").errorCode == 42205)
            #expect(try await server.get("/subjects/users-value/versions/1").status == 200)
            #expect(try await server.register("orders-value", try registryFixture("order-v1")).status == 200)
            #expect(try await server.delete("/mode/users-value").decode(ModeResponse.self).mode == "READONLY")
            #expect(try await server.delete("/mode/users-value").errorCode == 40401)
            #expect(try await server.register("users-value", try registryFixture("user-v2-optional-email")).status == 200)

            #expect(try await server.put("/mode", #"{"mode":"READONLY"}"#).status == 200)
            #expect(try await server.register("orders-value", try registryFixture("order-v2-defaulted-note")).errorCode == 42205)
            #expect(try await server.put("/mode/orders-value", #"{"mode":"READWRITE"}"#).status == 200)
            #expect(try await server.register("orders-value", try registryFixture("order-v2-defaulted-note")).status == 200)
            #expect(try await server.put("/mode", #"{"mode":"READONLY_OVERRIDE"}"#).status == 200)
            #expect(try await server.register("orders-value", try registryFixture("order-v3-required-note")).errorCode == 42205)
            #expect(try await server.delete("/mode").decode(ModeResponse.self).mode == "READONLY_OVERRIDE")
            #expect(try await server.get("/mode").decode(ModeResponse.self).mode == "READWRITE")
        }
    }

    @Test func importModeRegistersSchemasWithTheirGivenIDsAndVersions() async throws {
        try await withRegistryServer { server in
            #expect(try await server.put("/mode", #"{"mode":"IMPORT"}"#).decode(ModeRequest.self).mode == "IMPORT")
            let user = try registryFixture("user-v1")
            let imported = try await server.post("/subjects/users-value/versions", ServerUnderTest.body(user, id: 100, version: 3))
            #expect(try imported.decode(RegisterSchemaResponse.self).id == 100)
            #expect(try await server.get("/subjects/users-value/versions").decode([Int].self) == [3])
            #expect(try await server.get("/schemas/ids/100").status == 200)
            // IMPORT mode does not check compatibility.
            let other = try await server.post("/subjects/users-value/versions", ServerUnderTest.body(try registryFixture("user-v2-name-as-int"), id: 101, version: 4))
            #expect(try other.decode(RegisterSchemaResponse.self).id == 101)

            let collision = try await server.post("/subjects/orders-value/versions", ServerUnderTest.body(try registryFixture("order-v1"), id: 100, version: 1))
            #expect(collision.status == 422 && collision.errorCode == 42205 && collision.message == "Overwrite new schema with id 100 is not permitted.")
            let withoutID = try await server.register("orders-value", try registryFixture("order-v1"))
            #expect(withoutID.errorCode == 42205)

            #expect(try await server.put("/mode", #"{"mode":"READWRITE"}"#).status == 200)
            let withID = try await server.post("/subjects/orders-value/versions", ServerUnderTest.body(try registryFixture("order-v1"), id: 500))
            #expect(withID.errorCode == 42205 && withID.message == "Subject orders-value is not in import mode")
            #expect(try await server.registered("orders-value", try registryFixture("order-v1")) == 102)
        }
    }

    @Test func importModeIsRefusedWhileSchemasExistUnlessForced() async throws {
        try await withRegistryServer { server in
            _ = try await server.registered("users-value", try registryFixture("user-v1"))
            let refused = try await server.put("/mode", #"{"mode":"IMPORT"}"#)
            #expect(refused.status == 422 && refused.errorCode == 42205 && refused.message == "Cannot import since found existing subjects")
            #expect(try await server.put("/mode/users-value", #"{"mode":"IMPORT"}"#).errorCode == 42205)
            #expect(try await server.put("/mode/orders-value", #"{"mode":"IMPORT"}"#).status == 200)
            #expect(try await server.put("/mode?force=true", #"{"mode":"IMPORT"}"#).status == 200)
        }
    }
}
