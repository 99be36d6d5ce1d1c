import Foundation
import Registry
import RegistryServer
import Testing
import TestSupport

/// Every endpoint of the registry server, over real HTTP and a real broker, with Confluent's bodies and codes.
@Suite struct ServerEndpointTests {
    @Test func rootTypesAndContextsAnswerWithTheRegistryMediaType() async throws {
        try await withRegistryServer { server in
            let root = try await server.get("/")
            #expect(root.status == 200 && root.text == "{}")
            #expect(root.contentType == "application/vnd.schemaregistry.v1+json")
            #expect(try await server.get("/schemas/types").decode([String].self) == ["AVRO"])
            #expect(try await server.get("/contexts").decode([String].self) == ["."])
        }
    }

    @Test func aRegisteredSchemaIsServedByIDSubjectAndVersion() async throws {
        try await withRegistryServer { server in
            let subject = "users-value"
            let schema = try registryFixture("user-v1")
            let id = try await server.registered(subject, schema)

            let byID = try await server.get("/schemas/ids/\(id)")
            #expect(byID.status == 200)
            #expect(!byID.text.contains("schemaType") && !byID.text.contains("references"))
            #expect(try byID.decode(SchemaByIDResponse.self).effectiveSchemaType == "AVRO")
            let stored = try byID.decode(SchemaByIDResponse.self).schema
            #expect(stored == #"{"type":"record","name":"User","namespace":"com.example","fields":[{"name":"id","type":"long"},{"name":"name","type":"string"}]}"#)
            #expect(try await server.get("/schemas/ids/\(id)?subject=\(subject)").decode(SchemaByIDResponse.self).schema == stored)
            #expect(try await server.get("/schemas/ids/\(id)/schema").text == stored)
            #expect(try await server.get("/schemas/ids/\(id)/subjects").decode([String].self) == [subject])
            #expect(try await server.get("/schemas/ids/\(id)/versions").decode([SubjectVersion].self) == [SubjectVersion(subject: subject, version: 1)])
            #expect(try await server.get("/subjects").decode([String].self) == [subject])
            #expect(try await server.get("/subjects/\(subject)/versions").decode([Int].self) == [1])
            for version in ["1", "latest", "-1"] {
                let answer = try await server.get("/subjects/\(subject)/versions/\(version)").decode(SubjectVersionResponse.self)
                #expect(answer == SubjectVersionResponse(subject: subject, id: id, version: 1, schema: stored))
            }
            #expect(try await server.get("/subjects/\(subject)/versions/1/schema").text == stored)
            #expect(try await server.get("/subjects/\(subject)/versions/1/referencedby").decode([Int].self) == [])
            let listed = try await server.get("/schemas?subjectPrefix=users").decode([SubjectVersionResponse].self)
            #expect(listed.map(\.id) == [id])

            let lookup = try await server.post("/subjects/\(subject)", ServerUnderTest.body(try registryFixture("user-v1-reformatted")))
            #expect(try lookup.decode(SubjectVersionResponse.self) == SubjectVersionResponse(subject: subject, id: id, version: 1, schema: stored))
        }
    }

    @Test func registeringTheSameSchemaAgainReturnsItsIDWithoutANewVersion() async throws {
        try await withRegistryServer { server in
            let id = try await server.registered("users-value", try registryFixture("user-v1"))
            #expect(try await server.registered("users-value", try registryFixture("user-v1-reformatted")) == id)
            #expect(try await server.get("/subjects/users-value/versions").decode([Int].self) == [1])
        }
    }

    @Test func theSameSchemaUnderAnotherSubjectReusesItsID() async throws {
        try await withRegistryServer { server in
            let id = try await server.registered("a-value", try registryFixture("user-v1"))
            let other = try await server.registered("b-value", try registryFixture("order-v1"))
            #expect(other != id)
            #expect(try await server.registered("c-value", try registryFixture("user-v1-reformatted")) == id)
            #expect(try await server.get("/schemas/ids/\(id)/subjects").decode([String].self) == ["a-value", "c-value"])
            #expect(try await server.get("/subjects/c-value/versions/1").decode(SubjectVersionResponse.self).id == id)
        }
    }

    @Test func requestsInEveryAcceptedMediaTypeAndUnknownPropertiesAreAccepted() async throws {
        try await withRegistryServer { server in
            let schema = try registryFixture("user-v1")
            let body = #"{"schema":\#(String(decoding: try JSONEncoder().encode(schema), as: UTF8.self)),"metadata":{"properties":{"owner":"x"}},"ruleSet":null,"future":1}"#
            for contentType in RegistryAPI.contentTypes + ["application/json; charset=utf-8", "application/octet-stream"] {
                let result = try await server.request("POST", "/subjects/s/versions", body: body, contentType: contentType)
                #expect(result.status == 200, "\(contentType): \(result)")
            }
            let plain = try await server.request("POST", "/subjects/s/versions", body: body, contentType: "text/plain")
            #expect(plain.status == 415 && plain.errorCode == 415)
        }
    }

    @Test func subjectNamesAreURLDecoded() async throws {
        try await withRegistryServer { server in
            let subject = "team/orders value+1"
            let id = try await server.registered(subject, try registryFixture("order-v1"))
            #expect(try await server.get("/subjects").decode([String].self) == [subject])
            #expect(try await server.get("/subjects/\(ServerUnderTest.escape(subject))/versions/1").decode(SubjectVersionResponse.self).id == id)
        }
    }

    @Test func missingSubjectsVersionsAndSchemasAreConfluentErrors() async throws {
        try await withRegistryServer { server in
            let subject = try await server.get("/subjects/nobody/versions")
            #expect(subject.status == 404 && subject.errorCode == 40401 && subject.message == "Subject 'nobody' not found.")
            #expect(try await server.get("/subjects/nobody/versions/1").errorCode == 40401)
            #expect(try await server.post("/subjects/nobody", ServerUnderTest.body(try registryFixture("user-v1"))).errorCode == 40401)

            let id = try await server.registered("users-value", try registryFixture("user-v1"))
            let version = try await server.get("/subjects/users-value/versions/7")
            #expect(version.status == 404 && version.errorCode == 40402 && version.message == "Version 7 not found.")
            let schema = try await server.get("/schemas/ids/\(id + 100)")
            #expect(schema.status == 404 && schema.errorCode == 40403 && schema.message == "Schema \(id + 100) not found")
            #expect(try await server.get("/schemas/ids/\(id + 100)/subjects").errorCode == 40403)
            #expect(try await server.get("/schemas/ids/\(id + 100)/versions").errorCode == 40403)
            let lookup = try await server.post("/subjects/users-value", ServerUnderTest.body(try registryFixture("order-v1")))
            #expect(lookup.status == 404 && lookup.errorCode == 40403 && lookup.message == "Schema not found")

            for bad in ["0", "abc", "-2"] {
                let invalid = try await server.get("/subjects/users-value/versions/\(bad)")
                #expect(invalid.status == 422 && invalid.errorCode == 42202)
                #expect(invalid.message == "The specified version '\(bad)' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"")
            }
            let route = try await server.get("/no/such/route")
            #expect(route.status == 404 && route.errorCode == 404)
        }
    }

    @Test func invalidSchemasAreRejectedWith42201() async throws {
        try await withRegistryServer { server in
            for schema in [try registryFixture("invalid-default"), "{not json", #"{"type":"record","name":"R"}"#, ""] {
                let result = try await server.register("bad-value", schema)
                #expect(result.status == 422 && result.errorCode == 42201, "\(schema): \(result)")
            }
            let protobuf = try await server.post("/subjects/bad-value/versions", #"{"schema":"syntax = \"proto3\";","schemaType":"PROTOBUF"}"#)
            #expect(protobuf.errorCode == 42201 && protobuf.message == "Invalid schema type PROTOBUF")
            #expect(try await server.post("/subjects/bad-value/versions", "{oops").status == 400)
            #expect(try await server.get("/subjects").decode([String].self) == [])
        }
    }

    @Test func compatibilityChecksAnswerWithoutRegistering() async throws {
        try await withRegistryServer { server in
            let subject = "users-value"
            let empty = try await server.post("/compatibility/subjects/\(subject)/versions/latest", ServerUnderTest.body(try registryFixture("user-v1")))
            #expect(try empty.decode(CompatibilityCheckResponse.self) == CompatibilityCheckResponse(isCompatible: true))
            _ = try await server.registered(subject, try registryFixture("user-v1"))

            let compatible = try await server.post("/compatibility/subjects/\(subject)/versions/latest", ServerUnderTest.body(try registryFixture("user-v2-optional-email")))
            #expect(compatible.text == #"{"is_compatible":true}"#)
            let incompatible = try await server.post("/compatibility/subjects/\(subject)/versions/1", ServerUnderTest.body(try registryFixture("user-v2-required-age")))
            #expect(try incompatible.decode(CompatibilityCheckResponse.self) == CompatibilityCheckResponse(isCompatible: false))
            let verbose = try await server.post("/compatibility/subjects/\(subject)/versions?verbose=true", ServerUnderTest.body(try registryFixture("user-v2-required-age")))
            let messages = try verbose.decode(CompatibilityCheckResponse.self).messages ?? []
            #expect(messages.first?.contains("READER_FIELD_MISSING_DEFAULT_VALUE") == true)
            #expect(messages.contains("{oldSchemaVersion: 1}"))
            #expect(messages.last == "{compatibility: 'BACKWARD'}")
            let verboseCompatible = try await server.post("/compatibility/subjects/\(subject)/versions?verbose=true", ServerUnderTest.body(try registryFixture("user-v2-optional-email")))
            #expect(try verboseCompatible.decode(CompatibilityCheckResponse.self) == CompatibilityCheckResponse(isCompatible: true, messages: []))
            #expect(try await server.get("/subjects/\(subject)/versions").decode([Int].self) == [1])

            let missing = try await server.post("/compatibility/subjects/\(subject)/versions/5", ServerUnderTest.body(try registryFixture("user-v1")))
            #expect(missing.status == 404 && missing.errorCode == 40402 && missing.message == "Version 5 not found.")
            #expect(try await server.post("/compatibility/subjects/\(subject)/versions/zero", ServerUnderTest.body(try registryFixture("user-v1"))).errorCode == 42202)
            #expect(try await server.post("/compatibility/subjects/\(subject)/versions", ServerUnderTest.body("{")).errorCode == 42201)
            let verboseInvalid = try await server.post("/compatibility/subjects/\(subject)/versions?verbose=true", ServerUnderTest.body("{"))
            #expect(try verboseInvalid.decode(CompatibilityCheckResponse.self).isCompatible == false)
        }
    }

    @Test func configIsSetReadAndDeletedGloballyAndPerSubject() async throws {
        try await withRegistryServer { server in
            #expect(try await server.get("/config").text == #"{"compatibilityLevel":"BACKWARD"}"#)
            #expect(try await server.put("/config", #"{"compatibility":"full"}"#).text == #"{"compatibility":"FULL"}"#)
            #expect(try await server.get("/config").decode(ConfigResponse.self).compatibilityLevel == "FULL")
            let invalid = try await server.put("/config", #"{"compatibility":"SIDEWAYS"}"#)
            #expect(invalid.status == 422 && invalid.errorCode == 42203)

            let unset = try await server.get("/config/users-value")
            #expect(unset.status == 404 && unset.errorCode == 40408
                && unset.message == "Subject 'users-value' does not have subject-level compatibility configured")
            #expect(try await server.get("/config/users-value?defaultToGlobal=true").decode(ConfigResponse.self).compatibilityLevel == "FULL")
            #expect(try await server.put("/config/users-value", #"{"compatibility":"NONE"}"#).decode(ConfigRequest.self).compatibility == "NONE")
            #expect(try await server.get("/config/users-value").decode(ConfigResponse.self).compatibilityLevel == "NONE")
            #expect(try await server.delete("/config/users-value").decode(ConfigResponse.self).compatibilityLevel == "NONE")
            #expect(try await server.delete("/config/users-value").errorCode == 40401)

            #expect(try await server.delete("/config").decode(ConfigResponse.self).compatibilityLevel == "FULL")
            #expect(try await server.get("/config").decode(ConfigResponse.self).compatibilityLevel == "BACKWARD")
        }
    }

    @Test func referencesResolveAndBlockDeletingWhatTheyReference() async throws {
        try await withRegistryServer { server in
            let addressID = try await server.registered("address-value", try registryFixture("address"))
            let reference = SchemaReference(name: "com.example.Address", subject: "address-value", version: 1)
            let customerID = try await server.registered("customer-value", try registryFixture("customer-with-address"), references: [reference])

            let byID = try await server.get("/schemas/ids/\(customerID)").decode(SchemaByIDResponse.self)
            #expect(byID.references == [reference])
            #expect(try await server.get("/subjects/customer-value/versions/1").decode(SubjectVersionResponse.self).references == [reference])
            #expect(try await server.get("/subjects/address-value/versions/1/referencedby").decode([Int].self) == [customerID])
            #expect(customerID != addressID)

            let blocked = try await server.delete("/subjects/address-value/versions/1")
            #expect(blocked.status == 422 && blocked.errorCode == 42206)
            #expect(blocked.message == "One or more references exist to the schema {magic=1,keytype=SCHEMA,subject=address-value,version=1}.")
            #expect(try await server.delete("/subjects/address-value").errorCode == 42206)

            let unresolved = try await server.register("customer-value", try registryFixture("customer-with-address"))
            #expect(unresolved.errorCode == 42201)
            let missing = try await server.register("other-value", try registryFixture("customer-with-address"),
                                                    references: [SchemaReference(name: "com.example.Address", subject: "nowhere", version: 1)])
            #expect(missing.errorCode == 42201)
        }
    }

    @Test func incompatibleRegistrationsUseTheConfiguredErrorCode() async throws {
        try await withRegistryServer(incompatibleErrorCode: 40901) { server in
            _ = try await server.registered("users-value", try registryFixture("user-v1"))
            let refused = try await server.register("users-value", try registryFixture("user-v2-name-as-int"))
            #expect(refused.status == 409 && refused.errorCode == 40901)
            #expect(refused.message?.hasPrefix(#"Schema being registered is incompatible with an earlier schema for subject "users-value", details: [{errorType:'TYPE_MISMATCH'"#) == true)
        }
    }

    /// Through avrogate's registry client (libcurl): Foundation's URLSession on Linux never returns a 401 with a challenge.
    @Test func basicAuthenticationAdmitsOnlyKnownUsers() async throws {
        try await withRegistryServer(users: RegistryUsers(["alice": "s3cr:et"])) { server in
            func client(_ authentication: SchemaRegistryClientConfiguration.Authentication) throws -> SchemaRegistryClient {
                try SchemaRegistryClient(configuration: SchemaRegistryClientConfiguration(
                    urls: ["http://127.0.0.1:\(server.port)"], authentication: authentication, retry: .init(maxRetries: 0)))
            }
            for authentication in [SchemaRegistryClientConfiguration.Authentication.none, .basic(user: "alice", password: "nope"), .basic(user: "bob", password: "s3cr:et")] {
                let refusedClient = try client(authentication)
                let refused = await #expect(throws: SchemaRegistryError.self) { try await refusedClient.subjects() }
                #expect(refused?.httpStatus == 401 && refused?.errorCode == 401, "\(authentication)")
            }
            let alice = try client(.basic(user: "alice", password: "s3cr:et"))
            #expect(try await alice.subjects() == [])
        }
    }

    @Test func anotherMethodOnAKnownPathIs405WithTheAllowedMethods() async throws {
        try await withRegistryServer { server in
            let put = try await server.put("/subjects", "{}")
            #expect(put.status == 405 && put.errorCode == 405 && put.message == "HTTP 405 Method Not Allowed", "\(put)")
            #expect(put.allow == "GET, HEAD")
            let post = try await server.request("POST", "/subjects/users-value/versions/1", body: "{}")
            #expect(post.status == 405 && post.allow == "GET, HEAD, DELETE", "\(post)")
            let delete = try await server.delete("/compatibility/subjects/users-value/versions")
            #expect(delete.status == 405 && delete.allow == "POST", "\(delete)")
            let head = try await server.request("HEAD", "/subjects")
            #expect(head.status == 200)
            let unknown = try await server.get("/no/such/path")
            #expect(unknown.status == 404 && unknown.errorCode == 404, "\(unknown)")
        }
    }
}
