import CRdKafka
import Testing
@testable import Kafka

@Suite struct LibraryVersionTests {
    @Test func linkedAndLoadedLibrdkafkaAreTheSameAndNewEnough() throws {
        // Same soname for 2.0.2 and 2.8.0: a build that linked one and loads the other passes unnoticed
        // unless the header version and the loaded version are compared.
        #expect(LibraryVersion.loaded == LibraryVersion.compiled)
        #expect(LibraryVersion.loaded >= 0x0202_0000)
        try LibraryVersion.requireSupported()
    }

    @Test func aFunctionAddedAfter2_2Links() {
        // rd_kafka_topic_collection_of_topic_names arrived in librdkafka 2.3.0.
        "probe".withCString { name in
            var names: [UnsafePointer<CChar>?] = [name]
            let collection = names.withUnsafeMutableBufferPointer {
                rd_kafka_TopicCollection_of_topic_names($0.baseAddress, 1)
            }
            #expect(collection != nil)
            rd_kafka_TopicCollection_destroy(collection)
        }
    }
}
