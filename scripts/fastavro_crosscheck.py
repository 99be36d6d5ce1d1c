#!/usr/bin/env python3
"""Encodes newline-delimited natural JSON events with fastavro, one hex line per event.

Usage: fastavro_crosscheck.py SCHEMA.avsc EVENTS.ndjson
The Swift tests run this and compare its bytes with avrogate's encoder, event by event.
"""
import io
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fastavro  # noqa: E402
from fastavro_natural import Converter, load_schema  # noqa: E402


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    raw, parsed = load_schema(sys.argv[1])
    converter = Converter(raw)
    with open(sys.argv[2], encoding="utf-8") as events:
        for line in events:
            if not line.strip():
                continue
            out = io.BytesIO()
            fastavro.schemaless_writer(out, parsed, converter.convert(json.loads(line)))
            print(out.getvalue().hex())


if __name__ == "__main__":
    main()
