#!/usr/bin/env python3
"""The fastavro side of `avrogate-bench avro`: the same work with fastavro on one core.

JSON -> Avro framed: json.loads, natural JSON -> fastavro datum (ISO timestamps, decimals...),
schemaless_writer after a 5-byte Confluent header. Framed -> JSON: strip the header,
schemaless_reader, json.dumps with logical values written back as natural JSON.
Prints one JSON object: events per second of the thread's CPU time, each way (as the Swift
side measures, so a busy machine does not skew the ratio).
"""
import argparse
import io
import json
import os
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fastavro  # noqa: E402
from fastavro_natural import Converter, load_schema, to_natural  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--schema", required=True)
    parser.add_argument("--event", required=True, help="a file with one JSON event")
    parser.add_argument("--count", type=int, default=100_000)
    args = parser.parse_args()

    raw, parsed = load_schema(args.schema)
    converter = Converter(raw)
    with open(args.event, "rb") as f:
        text = f.read().strip()
    header = b"\x00" + struct.pack(">I", 1)

    def encode():
        out = io.BytesIO()
        out.write(header)
        fastavro.schemaless_writer(out, parsed, converter.convert(json.loads(text)))
        return out.getvalue()

    frame = encode()
    start = time.thread_time()
    for _ in range(args.count):
        encode()
    encode_rate = args.count / (time.thread_time() - start)

    start = time.thread_time()
    for _ in range(args.count):
        body = io.BytesIO(frame)
        body.seek(5)
        json.dumps(fastavro.schemaless_reader(body, parsed), default=to_natural, separators=(",", ":"))
    decode_rate = args.count / (time.thread_time() - start)

    print(json.dumps({"fastavro": fastavro.__version__, "encode_events_per_second": encode_rate,
                      "decode_events_per_second": decode_rate}))


if __name__ == "__main__":
    main()
