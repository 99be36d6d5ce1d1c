#!/usr/bin/env python3
"""Drives a Schema Registry at URL with Confluent's own Python client (confluent-kafka[schemaregistry]):
registers, fetches by id, tests compatibility, sets config, deletes. Prints "interop ok" and exits 0
when every answer is what Confluent's registry gives; exits 1 with the first difference otherwise.

    python3 scripts/interop_registry.py http://127.0.0.1:8081
"""
import json
import sys

from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.error import SchemaRegistryError

USER_V1 = {"type": "record", "name": "User", "namespace": "interop", "fields": [
    {"name": "id", "type": "long"}, {"name": "name", "type": "string"}]}
USER_V2 = {"type": "record", "name": "User", "namespace": "interop", "fields": [
    {"name": "id", "type": "long"}, {"name": "name", "type": "string"},
    {"name": "email", "type": ["null", "string"], "default": None}]}
USER_BAD = {"type": "record", "name": "User", "namespace": "interop", "fields": [
    {"name": "id", "type": "long"}, {"name": "name", "type": "string"}, {"name": "age", "type": "int"}]}


def check(condition, what):
    if not condition:
        print(f"interop failed: {what}", file=sys.stderr)
        sys.exit(1)


def level_of(answer):
    """The level in a set_compatibility answer (the client returns the response body, {"compatibility": ...})."""
    return answer.get("compatibility") if isinstance(answer, dict) else answer


def expect_error(call, code, what):
    try:
        call()
    except SchemaRegistryError as error:
        check(error.error_code == code, f"{what}: expected error_code {code}, got {error.error_code} ({error.error_message})")
        return error
    check(False, f"{what}: expected error_code {code}, got success")


def main(url):
    client = SchemaRegistryClient({"url": url})
    subject = "interop-users-value"

    first = client.register_schema(subject, Schema(json.dumps(USER_V1), "AVRO"))
    check(isinstance(first, int) and first > 0, f"register returned {first!r}")
    again = client.register_schema(subject, Schema(json.dumps(USER_V1, indent=2), "AVRO"))
    check(again == first, f"re-register gave id {again}, expected {first}")

    fresh = SchemaRegistryClient({"url": url})  # no cache: every answer comes from the server
    fetched = fresh.get_schema(first)
    check(fetched.schema_type == "AVRO", f"schema type {fetched.schema_type}")
    check(json.loads(fetched.schema_str) == USER_V1, f"schema by id {fetched.schema_str}")
    latest = fresh.get_latest_version(subject)
    check((latest.schema_id, latest.version, latest.subject) == (first, 1, subject), f"latest {latest}")
    looked_up = fresh.lookup_schema(subject, Schema(json.dumps(USER_V1), "AVRO"))
    check(looked_up.version == 1 and looked_up.schema_id == first, f"lookup {looked_up}")
    check(fresh.get_subjects() == [subject], f"subjects {fresh.get_subjects()}")
    check(fresh.get_versions(subject) == [1], f"versions {fresh.get_versions(subject)}")
    check(fresh.get_schema_types() == ["AVRO"], "schema types")

    check(fresh.test_compatibility(subject, Schema(json.dumps(USER_V2), "AVRO")) is True, "v2 should be compatible")
    check(fresh.test_compatibility(subject, Schema(json.dumps(USER_BAD), "AVRO")) is False, "bad should be incompatible")
    check(fresh.test_compatibility_all_versions(subject, Schema(json.dumps(USER_V2), "AVRO")) is True, "v2 vs all versions")
    refused = expect_error(lambda: fresh.register_schema(subject, Schema(json.dumps(USER_BAD), "AVRO")), 409, "registering incompatible")
    check(refused.http_status_code == 409, f"incompatible status {refused.http_status_code}")
    second = fresh.register_schema(subject, Schema(json.dumps(USER_V2), "AVRO"))
    check(second != first, "v2 got v1's id")

    check(fresh.get_compatibility() == "BACKWARD", f"global level {fresh.get_compatibility()}")
    check(level_of(fresh.set_compatibility(level="FULL")) == "FULL", "set global level")
    check(fresh.get_compatibility() == "FULL", "global level after set")
    check(level_of(fresh.set_compatibility(subject, "NONE")) == "NONE", "set subject level")
    check(fresh.get_compatibility(subject) == "NONE", "subject level")
    check(fresh.register_schema(subject, Schema(json.dumps(USER_BAD), "AVRO")) > second, "NONE accepts anything")

    expect_error(lambda: fresh.get_schema(99999), 40403, "unknown id")
    expect_error(lambda: fresh.get_version(subject, 42), 40402, "unknown version")
    expect_error(lambda: fresh.get_latest_version("nobody-value"), 40401, "unknown subject")

    check(fresh.delete_subject(subject) == [1, 2, 3], "soft delete")
    check(fresh.get_subjects() == [], "subjects after delete")
    check(fresh.delete_subject(subject, permanent=True) == [1, 2, 3], "permanent delete")
    print("interop ok")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1].rstrip("/"))
