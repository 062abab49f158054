"""`cadres schema --json`: the JSON Schema of a kind of file, made from the Cerberus rules in schemas/, for
editors; or the schemas of every kind written into a folder."""

from __future__ import annotations

from pathlib import Path

from generator.core import defaults
from generator.interchange import schema_json
from generator.registry.schema import KINDS, read_schemas


def text(root: Path, kind: str) -> str:
    """The JSON Schema of `kind`'s files."""
    return schema_json.dumps(schema_json.export(read_schemas(defaults.path(root, "schemas")), kind))


def write(root: Path, output: Path) -> list[str]:
    """Write every kind's JSON Schema into `output` (made if missing); the names of the files written."""
    schemas = read_schemas(defaults.path(root, "schemas"))
    output.mkdir(parents=True, exist_ok=True)
    names = [f"{kind}.schema.json" for kind in KINDS]
    for kind, name in zip(KINDS, names, strict=True):
        (output / name).write_text(schema_json.dumps(schema_json.export(schemas, kind)), encoding="utf-8")
    return names
