#ifndef AVROGATE_CRDKAFKA_SHIM_H
#define AVROGATE_CRDKAFKA_SHIM_H
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

/* rd_kafka_producev is variadic: Swift cannot call it. These produce one message. */
static inline rd_kafka_resp_err_t avrogate_produce(rd_kafka_t *rk, const char *topic, int32_t partition,
                                                   const void *key, size_t key_len,
                                                   const void *value, size_t value_len,
                                                   rd_kafka_headers_t *headers, void *opaque) {
    return rd_kafka_producev(rk,
                             RD_KAFKA_V_TOPIC(topic),
                             RD_KAFKA_V_PARTITION(partition),
                             RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                             RD_KAFKA_V_KEY(key, key_len),
                             RD_KAFKA_V_VALUE((void *)value, value_len),
                             RD_KAFKA_V_HEADERS(headers),
                             RD_KAFKA_V_OPAQUE(opaque),
                             RD_KAFKA_V_END);
}

/* glibc's mallopt parameters, for the fetch buffers librdkafka allocates (see KafkaConsumer+FetchBuffers). */
#ifdef __GLIBC__
#include <malloc.h>
static inline void avrogate_keep_large_allocations_in_heap(int mmap_threshold, int trim_threshold) {
    mallopt(M_MMAP_THRESHOLD, mmap_threshold);
    mallopt(M_TRIM_THRESHOLD, trim_threshold);
}
#else
static inline void avrogate_keep_large_allocations_in_heap(int mmap_threshold, int trim_threshold) {
    (void)mmap_threshold; (void)trim_threshold;
}
#endif

/* The header-compiled version, to compare with rd_kafka_version() at run time. */
static inline int avrogate_rdkafka_header_version(void) { return RD_KAFKA_VERSION; }
#endif
