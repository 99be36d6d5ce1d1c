"""Natural JSON <-> fastavro datums, driven by an Avro schema.

Shared by scripts/bench_fastavro.py (the benchmark's fastavro side) and
scripts/fastavro_crosscheck.py (the encoder's byte-for-byte cross-check). The conversions are
the work a Python service would do to accept the same events avrogate accepts: ISO-8601 text to
datetime, decimal text to Decimal, code-point strings to bytes.
"""
import datetime
import decimal
import json
import math
import uuid

import fastavro

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
SPECIAL_FLOATS = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


def load_schema(path):
    """The schema's JSON and fastavro's parsed form."""
    with open(path) as f:
        raw = json.load(f)
    return raw, fastavro.parse_schema(raw)


class Converter:
    """Turns natural JSON values into what fastavro's writer takes, following the schema."""

    def __init__(self, schema):
        self.named = {}
        self._collect(schema, "")
        self.schema = schema
        self._compiled = {}
        self._root = None

    def _collect(self, schema, namespace):
        if isinstance(schema, list):
            for branch in schema:
                self._collect(branch, namespace)
        elif isinstance(schema, dict):
            kind = schema.get("type")
            if kind in ("record", "error", "enum", "fixed"):
                name = schema["name"]
                space = schema.get("namespace", namespace) if "." not in name else name.rsplit(".", 1)[0]
                full = name if "." in name else (space + "." + name if space else name)
                self.named[full] = schema
                self.named.setdefault(name.rsplit(".", 1)[-1], schema)
                for field in schema.get("fields", []):
                    self._collect(field["type"], space)
            elif kind in ("array", "map"):
                self._collect(schema.get("items", schema.get("values")), namespace)
            elif isinstance(kind, (dict, list)):
                self._collect(kind, namespace)

    def full_name(self, schema):
        for name, named in self.named.items():
            if named is schema and "." in name:
                return name
        return schema["name"]

    def resolve(self, schema):
        if isinstance(schema, str) and schema in self.named:
            return self.named[schema]
        if isinstance(schema, dict) and isinstance(schema.get("type"), (dict, list)):
            return self.resolve(schema["type"])
        return schema

    def convert(self, value):
        """The fastavro datum of a natural JSON value of the whole schema."""
        if self._root is None:
            self._root = self.compile(self.schema)
        return self._root(value)

    def compile(self, schema):
        """A function converting values of `schema`, built once (recursive types lazily)."""
        key = json.dumps(schema, sort_keys=True) if not isinstance(schema, str) else schema
        if key in self._compiled:
            return self._compiled[key]
        cell = []
        self._compiled[key] = lambda value: cell[0](value)
        function = self._build(self.resolve(schema))
        cell.append(function)
        self._compiled[key] = function
        return function

    def _build(self, schema):
        if isinstance(schema, list):
            return self._union(schema)
        kind = schema if isinstance(schema, str) else schema["type"]
        logical = schema.get("logicalType") if isinstance(schema, dict) else None
        if kind in ("record", "error"):
            fields = [(f["name"], self.compile(f["type"])) for f in schema["fields"]]
            return lambda value: {name: convert(value[name]) for name, convert in fields if name in value}
        if kind == "array":
            items = self.compile(schema["items"])
            return lambda value: [items(item) for item in value]
        if kind == "map":
            values = self.compile(schema["values"])
            return lambda value: {key: values(item) for key, item in value.items()}
        if kind in ("float", "double"):
            return lambda value: SPECIAL_FLOATS.get(value, value) if isinstance(value, str) else value
        if kind == "int" and logical == "date":
            return lambda value: datetime.date.fromisoformat(value) if isinstance(value, str) else value
        if (kind == "int" and logical == "time-millis") or (kind == "long" and logical == "time-micros"):
            return lambda value: datetime.time.fromisoformat(value) if isinstance(value, str) else value
        if kind == "long" and logical in ("timestamp-millis", "timestamp-micros"):
            return lambda value: datetime.datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00")) if isinstance(value, str) else value
        if kind == "long" and logical in ("local-timestamp-millis", "local-timestamp-micros"):
            return lambda value: datetime.datetime.fromisoformat(value) if isinstance(value, str) else value
        if kind == "long" and logical in ("timestamp-nanos", "local-timestamp-nanos"):
            return lambda value: nanos_since_epoch(value) if isinstance(value, str) else value
        if kind in ("bytes", "fixed"):
            if logical == "decimal":
                return lambda value: decimal.Decimal(str(value))
            if logical == "uuid" and kind == "fixed":
                return lambda value: uuid.UUID(value).bytes
            return lambda value: value.encode("latin-1")
        return lambda value: value

    def _union(self, branches):
        candidates = []
        by_name = {}
        for branch in branches:
            resolved = self.resolve(branch)
            kind = resolved if isinstance(resolved, str) else resolved["type"]
            decimal_branch = isinstance(resolved, dict) and resolved.get("logicalType") == "decimal"
            function = self.compile(branch)
            fields = None
            if kind in ("record", "error"):
                fields = ({f["name"] for f in resolved["fields"]}, {f["name"] for f in resolved["fields"] if "default" not in f})
            candidates.append((kind, decimal_branch, function, fields))
            if kind in ("record", "error", "enum", "fixed"):
                full = self.full_name(resolved)
                by_name[full] = by_name[full.rsplit(".", 1)[-1]] = (full, function)
            else:
                by_name[kind] = (kind, function)

        def fits(kind, decimal_branch, fields, value):
            if kind == "null":
                return False
            if isinstance(value, bool):
                return kind == "boolean"
            if isinstance(value, (int, float)):
                return kind in ("int", "long", "float", "double") or decimal_branch
            if isinstance(value, str):
                return kind in ("string", "enum", "bytes", "fixed", "int", "long", "float", "double")
            if isinstance(value, list):
                return kind == "array"
            if fields is not None:
                # A record takes an object whose keys are its fields and that has every field without default.
                known, required = fields
                return value.keys() <= known and required <= value.keys()
            return kind == "map"

        def convert(value):
            if value is None:
                return None
            # The Avro JSON form {"branch": value}, in fastavro's tuple notation.
            if isinstance(value, dict) and len(value) == 1:
                (key, inner), = value.items()
                if key in by_name:
                    name, function = by_name[key]
                    return (name, function(inner))
            for kind, decimal_branch, function, fields in candidates:
                if fits(kind, decimal_branch, fields, value):
                    return function(value)
            raise ValueError(f"no branch of {branches} for {value!r}")
        return convert


def nanos_since_epoch(text):
    """An ISO-8601 date-time (zone optional) with up to 9 fraction digits, as nanoseconds."""
    text = text.replace("Z", "+00:00").replace("z", "+00:00")
    head, _, rest = text.partition(".")
    fraction, zone = rest, ""
    for sign in "+-":
        if sign in rest:
            fraction, _, tail = rest.partition(sign)
            zone = sign + tail
    moment = datetime.datetime.fromisoformat(head + zone)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    seconds = (moment - EPOCH) // datetime.timedelta(seconds=1)
    return seconds * 1_000_000_000 + int((fraction or "0").ljust(9, "0")[:9])


def to_natural(value):
    """json.dumps `default=`: fastavro's decoded logical values back to natural JSON."""
    if isinstance(value, datetime.datetime):
        text = value.isoformat(timespec="milliseconds")
        return text.replace("+00:00", "Z")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes):
        return value.decode("latin-1")
    raise TypeError(f"cannot write {type(value).__name__} as JSON")
