#!/usr/bin/env python3
"""Produces Avro records with Confluent's own Python client, for the consumer's interoperability test.

    scripts/interop_consume.py --brokers HOST:PORT --registry URL --topic TOPIC --schema FILE --events FILE

Each line of the events file is one event in avrogate's natural JSON (ISO-8601 timestamps, decimals as
strings, unions as bare values); it is turned into the Python values fastavro expects for the schema and
serialized with confluent-kafka's AvroSerializer, which registers the schema under TOPIC-value (Confluent's
TopicNameStrategy) and frames each record in Confluent's wire format. Keys are the event's line number as
a UTF-8 string. Prints the number of records acknowledged.
"""
import argparse
import datetime
import decimal
import json
import sys

from confluent_kafka import Producer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext


def python_value(schema, value, named):
    """The fastavro value of a natural-JSON `value` of `schema` (parsed JSON), `named` holding named types."""
    if isinstance(schema, str):
        if schema in named:
            return python_value(named[schema], value, named)
        return value
    if isinstance(schema, list):
        if value is None:
            return None
        branch = next(b for b in schema if b != "null")
        return python_value(branch, value, named)
    kind = schema["type"]
    if kind in ("record", "enum", "fixed"):
        named[schema["name"]] = schema
        if "namespace" in schema:
            named[schema["namespace"] + "." + schema["name"]] = schema
    logical = schema.get("logicalType")
    if kind == "record":
        return {field["name"]: python_value(field["type"], value[field["name"]], named)
                for field in schema["fields"] if field["name"] in value}
    if kind == "array":
        return [python_value(schema["items"], item, named) for item in value]
    if kind == "map":
        return {key: python_value(schema["values"], item, named) for key, item in value.items()}
    if logical in ("timestamp-millis", "timestamp-micros") and isinstance(value, str):
        return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if logical == "date" and isinstance(value, str):
        return datetime.date.fromisoformat(value)
    if logical == "decimal" and isinstance(value, str):
        return decimal.Decimal(value)
    if isinstance(kind, (dict, list)):
        return python_value(kind, value, named)
    return value


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--brokers", required=True)
    parser.add_argument("--registry", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--schema", required=True)
    parser.add_argument("--events", required=True)
    arguments = parser.parse_args()

    with open(arguments.schema, encoding="utf-8") as file:
        schema_text = file.read()
    schema = json.loads(schema_text)
    registry = SchemaRegistryClient({"url": arguments.registry})
    serializer = AvroSerializer(registry, schema_text, conf={"auto.register.schemas": True})
    producer = Producer({"bootstrap.servers": arguments.brokers, "acks": "all", "enable.idempotence": True})

    failures = []
    delivered = 0

    def report(error, message):
        nonlocal delivered
        if error is not None:
            failures.append(str(error))
        else:
            delivered += 1

    context = SerializationContext(arguments.topic, MessageField.VALUE)
    with open(arguments.events, encoding="utf-8") as file:
        for number, line in enumerate(file):
            if not line.strip():
                continue
            value = python_value(schema, json.loads(line), {})
            producer.produce(arguments.topic, key=str(number).encode(), value=serializer(value, context), on_delivery=report)
            producer.poll(0)
    producer.flush(30)
    if failures:
        print("delivery failed: " + "; ".join(failures), file=sys.stderr)
        sys.exit(1)
    print(delivered)


if __name__ == "__main__":
    main()
