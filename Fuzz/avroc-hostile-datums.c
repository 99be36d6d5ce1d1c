/*
 * Why avrogate decodes Avro with its own decoder: what avro-c 1.11.1's avro_value_read does
 * with datums a hostile producer can write. One case per argument:
 *
 *   enum    an enum index outside the symbols: avro_value_read accepts it (returns 0), and
 *           avro_value_to_json then reads an uninitialised symbol pointer (valgrind:
 *           "Conditional jump or move depends on uninitialised value(s)" in json_string;
 *           a crash or garbage depending on memory).
 *   union   a union index outside the branches: rejected ("Invalid union discriminant").
 *   nulls   an array of nulls claiming 2^63-1 items in 10 bytes: avro_value_read appends
 *           items until memory runs out (here it is stopped after 2 seconds: exit 3).
 *   length  a string claiming 2^62 bytes: avro-c allocates the claimed length before it
 *           checks the input has it (the allocation fails here; a few hundred MiB succeed).
 *
 * Build and run:  cc Fuzz/avroc-hostile-datums.c -lavro -o /tmp/avroc-hostile && /tmp/avroc-hostile enum
 * Tests/AvroTests/AvroCHostileDatumTests.swift runs it in a child process.
 */
#include <avro.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void stop(int signal) {
    (void)signal;
    static const char message[] = "still reading after 2 seconds\n";
    write(1, message, sizeof message - 1);
    _exit(3);
}

int main(int argc, char **argv) {
    const char *name = argc > 1 ? argv[1] : "enum";
    const char *schema_json;
    const char *datum;
    size_t size;
    if (strcmp(name, "enum") == 0) {
        schema_json = "{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\"]}";
        datum = "\x0e"; /* index 7 */
        size = 1;
    } else if (strcmp(name, "union") == 0) {
        schema_json = "[\"null\",\"int\"]";
        datum = "\x0e\x02"; /* branch 7 */
        size = 2;
    } else if (strcmp(name, "nulls") == 0) {
        schema_json = "{\"type\":\"array\",\"items\":\"null\"}";
        datum = "\xfe\xff\xff\xff\xff\xff\xff\xff\xff\x01"; /* count 2^63-1 */
        size = 10;
    } else if (strcmp(name, "length") == 0) {
        schema_json = "\"string\"";
        datum = "\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01"; /* length 2^62 */
        size = 10;
    } else {
        fprintf(stderr, "usage: %s enum|union|nulls|length\n", argv[0]);
        return 2;
    }

    avro_schema_t schema;
    if (avro_schema_from_json_length(schema_json, strlen(schema_json), &schema) != 0) {
        fprintf(stderr, "schema: %s\n", avro_strerror());
        return 2;
    }
    avro_value_iface_t *iface = avro_generic_class_from_schema(schema);
    avro_value_t value;
    avro_generic_value_new(iface, &value);
    avro_reader_t reader = avro_reader_memory(datum, (int64_t)size);

    /* The parent may have blocked SIGALRM (test runners do), and children inherit the mask. */
    sigset_t alarm_only;
    sigemptyset(&alarm_only);
    sigaddset(&alarm_only, SIGALRM);
    sigprocmask(SIG_UNBLOCK, &alarm_only, NULL);
    signal(SIGALRM, stop);
    alarm(2);
    int status = avro_value_read(reader, &value);
    alarm(0);
    printf("avro_value_read returned %d%s%s\n", status, status ? ": " : "", status ? avro_strerror() : "");
    fflush(stdout);
    if (status == 0) {
        char *json = NULL;
        status = avro_value_to_json(&value, 1, &json);
        printf("avro_value_to_json returned %d: %s\n", status, json ? json : "(null)");
    }
    return 0;
}
