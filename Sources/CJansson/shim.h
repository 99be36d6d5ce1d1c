#ifndef AVROGATE_CJANSSON_SHIM_H
#define AVROGATE_CJANSSON_SHIM_H
#include <jansson.h>

/* jansson's type tests and reference counting are macros or inline functions over json_t fields. */
static inline json_type avrogate_json_type(const json_t *json) { return json_typeof(json); }
static inline void avrogate_json_decref(json_t *json) { json_decref(json); }
static inline json_t *avrogate_json_incref(json_t *json) { return json_incref(json); }
#endif
