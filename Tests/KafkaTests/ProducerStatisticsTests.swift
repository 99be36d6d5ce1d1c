import Kafka
import Testing
import TestSupport

/// librdkafka's statistics reports, parsed into ``KafkaStatistics`` for the metrics endpoint.
@Suite struct ProducerStatisticsTests {
    @Test(.timeLimit(.minutes(1)))
    func aProducerWithAStatisticsIntervalReportsItsBrokerAndWhatItSent() async throws {
        let topic = try await KafkaTestCluster.createTopic("statistics")
        var configuration = KafkaProducerConfiguration(kafka: try KafkaTestCluster.configuration())
        configuration.statisticsInterval = .milliseconds(100)
        let producer = try KafkaProducer(configuration: configuration, logger: KafkaTestCluster.logger())
        for index in 0 ..< 3 {
            _ = try await producer.send(KafkaProducerMessage(topic: topic, value: Array("m\(index)".utf8)))
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while (producer.statistics?.messagesSent ?? 0) < 3, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        let statistics = try #require(producer.statistics)
        await producer.close()

        #expect(statistics.clientName.contains("producer"))
        #expect(statistics.messagesSent >= 3)
        let broker = try #require(statistics.brokers.first)
        #expect(broker.name.contains(try TestEnvironment.brokers().components(separatedBy: ",")[0]), "\(broker.name)")
        #expect(broker.state == "UP")
        #expect(broker.requestsSent > 0)
        #expect(broker.requestTimeouts == 0)
    }

    @Test func aProducerWithoutAStatisticsIntervalHasNoStatistics() async throws {
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(kafka: try KafkaTestCluster.configuration()), logger: KafkaTestCluster.logger())
        try await Task.sleep(for: .milliseconds(300))
        #expect(producer.statistics == nil)
        await producer.close()
    }

    @Test func theReportIsParsedFromLibrdkafkasFieldNamesLeavingOutPseudoBrokers() throws {
        let json = #"""
            {"name":"rdkafka#producer-7","type":"producer","msg_cnt":4,"msg_size":800,"txmsgs":10,"rxmsgs":0,
             "brokers":{"127.0.0.1:9092/bootstrap":{"name":"127.0.0.1:9092/bootstrap","nodeid":-1,"state":"INIT"},
                        "127.0.0.1:9092/1":{"name":"127.0.0.1:9092/1","nodeid":1,"state":"UP","tx":12,"txerrs":1,"txretries":2,
                          "req_timeouts":3,"connects":1,"disconnects":0,"waitresp_cnt":5,
                          "rtt":{"min":100,"max":900,"avg":250,"sum":2500,"cnt":10,"stddev":5,"p50":200,"p75":300,"p90":400,"p95":500,"p99":800,"p99_99":900}}}}
            """#
        let statistics = try KafkaStatistics(json: Array(json.utf8))
        #expect(statistics.clientName == "rdkafka#producer-7")
        #expect(statistics.queuedMessages == 4 && statistics.queuedBytes == 800 && statistics.messagesSent == 10)
        #expect(statistics.brokers.map(\.name) == ["127.0.0.1:9092/1"])
        let broker = try #require(statistics.brokers.first)
        #expect(broker.sendErrors == 1 && broker.retries == 2 && broker.requestTimeouts == 3 && broker.awaitingResponse == 5)
        #expect(broker.roundTrip == KafkaStatistics.Window(average: 250, p50: 200, p99: 800, maximum: 900, count: 10))
        #expect(throws: (any Error).self) { try KafkaStatistics(json: Array("{".utf8)) }
    }
}
