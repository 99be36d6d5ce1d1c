"""Avro values in Python for the interoperability scripts: avrogate's natural JSON turned into the values
Confluent's Python client (fastavro) writes and reads."""
import datetime
import decimal


def python_value(schema, value, named):
    """The Python value of natural-JSON `value` of `schema` (parsed JSON): what fastavro takes to write it
    and what a reader sees (timestamps as aware datetimes, decimals as Decimal at the schema's scale,
    uuids as text, missing fields as their defaults). `named` collects the named types met so far."""
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
        result = {}
        for field in schema["fields"]:
            present = field["name"] in value
            raw = value[field["name"]] if present else field.get("default")
            result[field["name"]] = python_value(field["type"], raw, named)
        return result
    if kind == "array":
        return [python_value(schema["items"], item, named) for item in value]
    if kind == "map":
        return {key: python_value(schema["values"], item, named) for key, item in value.items()}
    if logical in ("timestamp-millis", "timestamp-micros"):
        if isinstance(value, str):
            return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        unit = 1000 if logical == "timestamp-millis" else 1_000_000
        return datetime.datetime.fromtimestamp(value / unit, tz=datetime.timezone.utc)
    if logical == "date" and isinstance(value, str):
        return datetime.date.fromisoformat(value)
    if logical == "decimal":
        return decimal.Decimal(str(value)).quantize(decimal.Decimal(1).scaleb(-schema.get("scale", 0)))
    if logical == "uuid":
        return str(value)
    if isinstance(kind, (dict, list)):
        return python_value(kind, value, named)
    return value
