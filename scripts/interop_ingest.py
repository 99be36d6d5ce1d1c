#!/usr/bin/env python3
"""Checks records produced through avrogate's ingest API with Confluent's own Python client.

    scripts/interop_ingest.py --brokers HOST:PORT --registry URL --topic TOPIC --schema FILE --events FILE

Reads every partition of TOPIC from the beginning (assigned, no group) and decodes each value with
confluent-kafka's AvroDeserializer, which takes the writer schema from the registry by the id in the
record's Confluent frame. Each line of the events file is the event that was posted, in natural JSON;
record N (by offset, one partition) must equal event N field for field once both are Python values
(timestamps as aware datetimes, decimals as Decimal, uuids as text, missing fields as their defaults).
Prints "N records match" and exits 0, or prints each difference and exits 1.
"""
import argparse
import datetime
import json
import sys
import uuid

from confluent_kafka import Consumer, TopicPartition
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer
from confluent_kafka.serialization import MessageField, SerializationContext

from interop_values import python_value


def normalized(value):
    """Deserialized values in the form python_value gives (uuids as text)."""
    if isinstance(value, dict):
        return {key: normalized(item) for key, item in value.items()}
    if isinstance(value, list):
        return [normalized(item) for item in value]
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def differences(expected, actual, path="$"):
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(set(expected) | set(actual)):
            yield from differences(expected.get(key), actual.get(key), f"{path}.{key}")
    elif isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        for index, (left, right) in enumerate(zip(expected, actual)):
            yield from differences(left, right, f"{path}[{index}]")
    elif expected != actual or type(expected) is not type(actual) and not (isinstance(expected, (int, float)) and isinstance(actual, (int, float))):
        yield f"{path}: expected {expected!r}, got {actual!r}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--brokers", required=True)
    parser.add_argument("--registry", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--schema", required=True)
    parser.add_argument("--events", required=True)
    parser.add_argument("--timeout", type=float, default=30)
    arguments = parser.parse_args()

    with open(arguments.schema) as file:
        schema = json.load(file)
    with open(arguments.events) as file:
        events = [json.loads(line) for line in file if line.strip()]
    expected = [python_value(schema, event, {}) for event in events]

    deserializer = AvroDeserializer(SchemaRegistryClient({"url": arguments.registry}))
    consumer = Consumer({"bootstrap.servers": arguments.brokers, "group.id": "interop-ingest-unused", "enable.auto.commit": False})
    consumer.assign([TopicPartition(arguments.topic, 0, 0)])
    records = []
    deadline = datetime.datetime.now() + datetime.timedelta(seconds=arguments.timeout)
    while len(records) < len(events) and datetime.datetime.now() < deadline:
        message = consumer.poll(0.5)
        if message is None:
            continue
        if message.error():
            print(f"consumer error: {message.error()}", file=sys.stderr)
            continue
        context = SerializationContext(message.topic(), MessageField.VALUE)
        records.append(normalized(deserializer(message.value(), context)))
    consumer.close()

    problems = []
    if len(records) != len(events):
        problems.append(f"read {len(records)} records, expected {len(events)}")
    for index, (want, got) in enumerate(zip(expected, records)):
        problems += [f"record {index}: {difference}" for difference in differences(want, got)]
    if problems:
        print("\n".join(problems))
        return 1
    print(f"{len(records)} records match")
    return 0


if __name__ == "__main__":
    sys.exit(main())
