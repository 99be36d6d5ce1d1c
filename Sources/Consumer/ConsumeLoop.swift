import Avro
import Kafka
import Logging

/// One run of a ``DecodingConsumer``: the group consumer, the dead-letter producer, the records read but
/// not yet processed, and the plans per writer schema id. Everything here belongs to the one task running it.
///
/// Each turn: decode the queued records in order until one needs a writer schema that is not planned yet
/// (it is fetched in the background), and take the records the client has fetched meanwhile; then, unless
/// that poll took partitions away, write their lines, send and await their dead letters, and store their
/// offsets. With one decoding task (the default) a turn runs on the loop's own task without a thread
/// switch: it decodes, then polls without waiting, and only an empty queue sends it to the consumer's
/// thread to wait for records. With more, the slices are decoded on child tasks while the next batch is
/// polled on the consumer's thread. Rebalances happen only inside the poll and nothing is written or stored
/// during one, so the offsets stored before it are exactly the records written; records queued for
/// partitions taken away are dropped, decoded or not (their next owner reads them from the committed offset).
struct ConsumeLoop {
    /// How long a schema fetch may take before the partitions are paused, so that records stop piling up.
    static let pauseAfter: Duration = .milliseconds(500)
    /// The librdkafka property for how long a partition's fetching waits once its local queue is full.
    static let fetchQueueBackoff = "fetch.queue.backoff.ms"

    private let owner: DecodingConsumer
    private let reader: AvroCodec?
    private let consumer: KafkaConsumer
    private let rebalances: RebalanceLog
    private var deadLetters: DeadLetterQueue?
    private var decoder: RecordDecoder
    /// Records read in place: each keeps its batch's buffers alive until it is processed or dropped.
    private var pending: [KafkaConsumerRecord] = []
    private var fetch: SchemaFetch?
    /// Output buffers of earlier batches, reused.
    private let slicePool = DecodedSlicePool()
    private var paused = false
    private var handled = 0
    private var lastRecordAt = ContinuousClock.now
    /// Whether the last poll assigned partitions (they start unpaused).
    private var assignedInLastPoll = false

    private var configuration: DecodingConsumerConfiguration { owner.configuration }
    private var logger: Logger { owner.logger }

    init(owner: DecodingConsumer, reader: AvroCodec?) throws(DecodingConsumerError) {
        self.owner = owner
        self.reader = reader
        self.decoder = RecordDecoder(format: owner.configuration.output)
        var kafka = owner.configuration.kafka
        kafka.kafka["enable.auto.offset.store"] = "false"
        kafka.kafka["enable.auto.commit"] = "true"
        kafka.autoCommitInterval = owner.configuration.commitInterval
        // librdkafka's default (1 s) idles a consumer slower than the broker for a second each time its
        // queue passes `queued.min.messages`; ours re-checks the queue every few milliseconds instead.
        if kafka.kafka.properties[Self.fetchQueueBackoff] == nil { kafka.kafka[Self.fetchQueueBackoff] = "5" }
        let rebalances = RebalanceLog()
        let userHandler = kafka.rebalanceHandler
        kafka.rebalanceHandler = { event in
            rebalances.append(event)
            userHandler?(event)
        }
        self.rebalances = rebalances
        do {
            consumer = try KafkaConsumer(configuration: kafka, logger: owner.logger)
            deadLetters = owner.configuration.errorPolicy == .dlq ? try DeadLetterQueue(kafka: kafka.kafka, logger: owner.logger) : nil
        } catch {
            throw .kafka(error)
        }
    }

    mutating func run() async throws(DecodingConsumerError) {
        var failure: DecodingConsumerError?
        do {
            try await consume()
        } catch {
            failure = error
        }
        fetch?.cancel()
        do {
            try await consumer.commit()
        } catch {
            logger.warning("Committing offsets on shutdown failed: \(error.message)")
        }
        await consumer.close()
        await deadLetters?.shutdown()
        if let failure { throw failure }
    }

    private mutating func consume() async throws(DecodingConsumerError) {
        while !owner.isStopping {
            if let maxMessages = configuration.maxMessages, handled >= maxMessages { return }
            if let idleTimeout = configuration.idleTimeout, pending.isEmpty, fetch == nil, ContinuousClock.now - lastRecordAt >= idleTimeout {
                logger.info("No record for \(idleTimeout): stopping")
                return
            }
            try installFinishedFetch()
            guard fetch == nil && !pending.isEmpty else {
                let batch = await nextBatch()
                applyRebalances()
                try absorb(batch)
                continue
            }
            var limit = pending.count
            if let maxMessages = configuration.maxMessages { limit = min(limit, maxMessages - handled) }
            let batch: Result<KafkaConsumerBatch, KafkaError>
            let slices: [DecodedSlice]
            do {
                // Scoped, so that once decoded the queue is referenced by `pending` alone and dropping the
                // finished records from it moves the rest instead of copying it.
                let records = pending.prefix(limit)
                let decoder = self.decoder, parallelism = configuration.decodeTasks, pool = slicePool
                if RecordDecoder.sliceCount(records.count, parallelism: parallelism) == 1 {
                    slices = [decoder.decodeSlice(records, pool: pool)]
                    batch = pollReady()
                } else {
                    async let decoding = decoder.decode(records, parallelism: parallelism, pool: pool)
                    batch = await nextBatch()
                    slices = await decoding
                }
            }
            let revoked = applyRebalances()
            // Lines of records whose partitions were just taken away must not be written: decode again what remains.
            if !revoked { try await finish(slices) }
            try absorb(batch)
        }
    }

    /// How many records the next poll may take.
    private var wantedRecords: Int {
        guard let maxMessages = configuration.maxMessages else { return configuration.batchSize }
        return max(1, min(configuration.batchSize, maxMessages - handled - pending.count))
    }

    /// Reads the next batch (its rebalances are applied by ``applyRebalances()``): the records the client
    /// has already fetched, or else waits for some on the consumer's thread.
    private func nextBatch() async -> Result<KafkaConsumerBatch, KafkaError> {
        if case .success(let ready) = pollReady(), !ready.isEmpty { return .success(ready) }
        do {
            return .success(try await consumer.nextRawBatch(maxMessages: wantedRecords, timeout: fetch == nil ? .milliseconds(100) : .milliseconds(10)))
        } catch {
            return .failure(error)
        }
    }

    /// The records the client has already fetched, without waiting (none when it has none). It may serve a
    /// rebalance on this task's thread: the callback only changes the assignment, because with automatic
    /// commits librdkafka itself commits the stored offsets of partitions taken away.
    private func pollReady() -> Result<KafkaConsumerBatch, KafkaError> {
        do {
            return .success(try consumer.pollRaw(maxMessages: wantedRecords, timeout: .zero))
        } catch {
            return .failure(error)
        }
    }

    /// Applies the rebalances of the last poll: drops the queued records of partitions taken away, and says
    /// whether there were any.
    @discardableResult
    private mutating func applyRebalances() -> Bool {
        var revoked = false
        for event in rebalances.drain() {
            switch event {
            case .partitionsRevoked(let partitions), .partitionsLost(let partitions):
                let gone = Set(partitions)
                pending.removeAll { gone.contains($0.topicPartition) }
                revoked = true
            case .partitionsAssigned:
                assignedInLastPoll = true
            case .error:
                break
            }
        }
        return revoked
    }

    /// Queues a polled batch; pauses the partitions when a schema fetch has been waiting too long.
    private mutating func absorb(_ polled: Result<KafkaConsumerBatch, KafkaError>) throws(DecodingConsumerError) {
        let batch: KafkaConsumerBatch
        switch polled {
        case .success(let records): batch = records
        case .failure(let error): throw .kafka(error)
        }
        let assigned = assignedInLastPoll
        assignedInLastPoll = false
        if !batch.isEmpty {
            pending.append(contentsOf: batch)
            lastRecordAt = .now
        }
        if let fetch, !paused || assigned, ContinuousClock.now - fetch.started >= Self.pauseAfter {
            setPaused(true)
        }
    }

    /// Takes the result of a finished schema fetch, resuming the partitions if they were paused for it.
    private mutating func installFinishedFetch() throws(DecodingConsumerError) {
        guard let fetch, let result = fetch.result else { return }
        self.fetch = nil
        if paused { setPaused(false) }
        switch result {
        case .failed(let error):
            throw .registry(error)
        case .ready, .undecodable, .cancelled:
            decoder.install(result, for: fetch.schemaID)
        }
    }

    /// Pauses (or resumes) every assigned partition: while a schema fetch waits for the registry nothing
    /// more is read, but the consumer keeps polling, so it stays in the group and serves rebalances.
    private mutating func setPaused(_ pause: Bool) {
        do {
            let assignment = try consumer.assignment()
            if pause {
                try consumer.pause(assignment)
                if !paused { logger.info("Waiting for the registry: partitions paused") }
            } else {
                try consumer.resume(assignment)
            }
            paused = pause
        } catch {
            logger.warning("Cannot \(pause ? "pause" : "resume") partitions: \(error.message)")
        }
    }

    /// What ended a pass over the queued records before its end.
    private enum Interruption {
        case needsSchema(Int)
        case failed(UndecodableRecord, KafkaConsumerRecord)
    }

    /// Finishes decoded queued records in order: writes their lines, awaits their dead letters and stores their
    /// offsets, in that order, up to the first that needs a schema or fails under the fail policy.
    /// `slices` are the lines of the first queued records, in order.
    private mutating func finish(_ slices: [DecodedSlice]) async throws(DecodingConsumerError) {
        var chunks: [ArraySlice<UInt8>] = []
        var letters: [DeadLetter] = []
        var tally = BatchTally()
        var processed = 0
        var interruption: Interruption?
        // Runs of records of one partition, counted into the tally when the partition changes (no string
        // compared nor hashed per record, and records read where they are, not copied).
        pending.withUnsafeBufferPointer { records in
            var run: (first: Int, written: Int, next: Int64)?
            func closeRun() {
                guard let closed = run else { return }
                let partition = records[closed.first].topicPartition
                if closed.written > 0 { tally.written[partition.topic, default: 0] += closed.written }
                if closed.next >= 0 { tally.positions[partition] = closed.next }
                run = nil
            }
            slices: for slice in slices {
                tally.addLatencies(of: slice.latencies)
                var exceptions = slice.exceptions.makeIterator()
                var exception = exceptions.next()
                for index in 0..<slice.count {
                    let position = processed
                    if let current = run, !records[current.first].isSamePartition(as: records[position]) { closeRun() }
                    if run == nil { run = (position, 0, -1) }
                    var outcome = RecordDecoder.Outcome.written
                    if let (exceptional, what) = exception, exceptional == index {
                        outcome = what
                        exception = exceptions.next()
                    }
                    switch outcome {
                    case .written:
                        run?.written += 1
                    case .tombstone:
                        run?.written += 1
                        tally.tombstones[records[position].topic, default: 0] += 1
                    case .undecodable(let failure):
                        let record = records[position]
                        let source = "\(record.topic)[\(record.partition)]@\(record.offset)"
                        switch configuration.errorPolicy {
                        case .dlq:
                            let letter = DeadLetter(record: record.message, failure: failure, topic: DeadLetter.topic(for: record.topic, template: configuration.deadLetterTopic))
                            logger.warning("Dead-lettering \(source) to \(letter.topic): \(failure)")
                            letters.append(letter)
                            tally.deadLettered[failure.reason, default: 0] += 1
                        case .skip:
                            logger.warning("Skipping \(source): \(failure)")
                            tally.skipped[failure.reason, default: 0] += 1
                        case .fail:
                            interruption = .failed(failure, record)
                        }
                    case .needsSchema(let schemaID):
                        interruption = .needsSchema(schemaID)
                    }
                    if interruption != nil {
                        chunks.append(slice.bytes[..<slice.ends[index]])
                        break slices
                    }
                    run?.next = records[position].offset + 1
                    processed += 1
                }
                chunks.append(slice.bytes[...])
            }
            closeRun()
        }
        for chunk in chunks where !chunk.isEmpty {
            let written = chunk.withUnsafeBytes { bytes in
                Result { () throws(OutputError) in try owner.output.write(bytes) }
            }
            do {
                try written.get()
            } catch {
                throw .output(error)
            }
        }
        chunks = []
        slicePool.giveBack(slices)
        if !letters.isEmpty {
            try await deadLetters?.send(letters)
        }
        for (partition, next) in tally.positions {
            do {
                try consumer.storeOffset(topic: partition.topic, partition: partition.partition, offset: next - 1)
            } catch {
                logger.warning("Cannot store the offset of \(partition): \(error.message)")
            }
        }
        pending.removeFirst(processed)
        handled += processed
        owner.metrics.add(tally)
        switch interruption {
        case .needsSchema(let schemaID):
            let owner = self.owner, reader = self.reader
            fetch = SchemaFetch(schemaID: schemaID) { await owner.prepareWriter(schemaID: schemaID, reader: reader) }
        case .failed(let failure, let record):
            throw .undecodable(failure, topic: record.topic, partition: record.partition, offset: record.offset)
        case nil:
            break
        }
    }
}
