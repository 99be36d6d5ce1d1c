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
import json
import sys

from confluent_kafka import Producer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

from interop_values import python_value


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
