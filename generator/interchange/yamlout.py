"""Writing registry files the way people read them: block mappings, one line per short entry,
Chinese as is, and every value that YAML could misread (dates, digits, yes/no) in double quotes."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

_RISKY = re.compile(r"""^$|^[-?:,\[\]{}#&*!|>'"%@`\s]|[:#,\[\]{}]|\s$|\n""")
_LOOKS_TYPED = re.compile(r"^([-+]?[0-9][0-9._:eE+-]*|~|null|true|false|yes|no|on|off|y|n)$", re.IGNORECASE)


def scalar(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    if _RISKY.search(text) or _LOOKS_TYPED.match(text):
        return json.dumps(text, ensure_ascii=False)
    return text


def _flat(value: object) -> bool:
    return isinstance(value, dict) and all(not isinstance(v, (dict, list)) for v in value.values())


def _flow(mapping: dict) -> str:
    return "{" + ", ".join(f"{k}: {scalar(v)}" for k, v in mapping.items()) + "}"


def dump(data: Mapping[str, Any], header: str = "") -> str:
    """A mapping as registry YAML; lists of short mappings one line per item, as on the forms."""
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]
    _mapping(data, 0, lines)
    return "\n".join(lines) + "\n"


def _mapping(data: Mapping[str, Any], indent: int, lines: list) -> None:
    pad = " " * indent
    for key, value in data.items():
        if isinstance(value, dict) and value:
            if _flat(value) and len(_flow(value)) <= 90:
                lines.append(f"{pad}{key}: {_flow(value)}")
            else:
                lines.append(f"{pad}{key}:")
                _mapping(value, indent + 2, lines)
        elif isinstance(value, list) and value:
            if all(not isinstance(v, (dict, list)) for v in value):
                lines.append(f"{pad}{key}: [{', '.join(scalar(v) for v in value)}]")
                continue
            lines.append(f"{pad}{key}:")
            for item in value:
                if _flat(item):
                    lines.append(f"{pad}  - {_flow(item)}")
                else:
                    sub: list = []
                    _mapping(item, indent + 4, sub)
                    sub[0] = f"{pad}  - " + sub[0].lstrip()
                    lines.extend(sub)
        elif isinstance(value, (dict, list)):
            lines.append(f"{pad}{key}: {'{}' if isinstance(value, dict) else '[]'}")
        else:
            lines.append(f"{pad}{key}: {scalar(value)}")
