"""JSON Schema (draft 2020-12) made from the Cerberus schemas, for editors (the YAML language server).

Chinese titles and descriptions come from each field's `meta`; code tables
become enums; `conditions:` become if/then(/else) beside the fields they
join. The files in schemas/json/ are made by `cadres schema --json --output
schemas/json` and a test keeps them current.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.registry.schema import Schemas

DRAFT = "https://json-schema.org/draft/2020-12/schema"
TYPES = {
    "string": "string",
    "integer": "integer",
    "number": "number",
    "boolean": "boolean",
    "list": "array",
    "dict": "object",
}
DATE = r"^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$"
TITLES = {
    "cadre": "科级后备干部记录",
    "nomination": "民主推荐结果",
    "inspection": "区委组织部考察记录",
    "decision": "区委常委会决定",
    "watch": "区委组织部关注名单",
    "unit": "单位名录",
    "audiences": "网站读者",
    "policy": "政策参数",
}


def field(rules: dict, codes: dict) -> dict:
    out: dict = {}
    meta = rules.get("meta", {})
    if "label" in meta:
        out["title"] = meta["label"]
    if "hint" in meta:
        out["description"] = meta["hint"]
    kinds = rules.get("type")
    kinds = [TYPES[k] for k in (kinds if isinstance(kinds, list) else [kinds] if kinds else [])]
    if kinds:
        out["type"] = kinds[0] if len(kinds) == 1 else kinds
    if "allowed" in rules and "array" in kinds:  # Cerberus checks each item of a list against `allowed`
        items = {"enum": list(rules["allowed"])}
        scalar = [k for k in kinds if k != "array"]
        if scalar:
            out.pop("type")
            out["anyOf"] = [{"type": scalar[0], **items}, {"type": "array", "items": items}]
        else:
            out["items"] = items
    elif "allowed" in rules:
        out["enum"] = list(rules["allowed"])
    if "code" in rules:
        table = codes[rules["code"]]
        suffixes = [re.escape(name) for name in table.with_flag("suffix")]
        if suffixes:  # 经济学学士 is a 学士: a name ending in a suffix entry is valid too
            names = "|".join(re.escape(name) for name in table.names())
            out["pattern"] = f"^(?:{names}|.+(?:{'|'.join(sorted(suffixes))}))$"
        else:
            out["enum"] = table.names()
    if "regex" in rules:
        pattern = rules["regex"]
        out["pattern"] = pattern if pattern.startswith("^") else f"^(?:{pattern})$"  # Cerberus matches whole values
    if rules.get("date_text"):
        out["pattern"] = DATE
    out.update(_bounds(rules, kinds))
    array = "array" in kinds
    if "schema" in rules:
        if array:
            out["items"] = field(rules["schema"], codes)
        else:
            out.update(mapping(rules["schema"], codes))
    return out


def _bounds(rules: dict, kinds: list[str]) -> dict:
    """Cerberus's min/max (a number's) and minlength/maxlength/empty (a text's length, a list's items), in JSON
    Schema's words."""
    out: dict = {}
    array = "array" in kinds
    if "min" in rules:
        out["minimum"] = rules["min"]
    if "max" in rules:
        out["maximum"] = rules["max"]
    if "minlength" in rules:
        out["minItems" if array else "minLength"] = rules["minlength"]
    if "maxlength" in rules:
        out["maxItems" if array else "maxLength"] = rules["maxlength"]
    if rules.get("empty") is False and not array:
        out.setdefault("minProperties" if "object" in kinds else "minLength", 1)
    return out


def mapping(schema: dict, codes: dict) -> dict:
    return {
        "type": "object",
        "properties": {k: field(v, codes) for k, v in schema.items()},
        "required": [k for k, v in schema.items() if v.get("required")],
        "additionalProperties": False,
    }


def export(schemas: Schemas, kind: str) -> dict:
    """The JSON Schema of one kind of registry file."""
    root = {
        "$schema": DRAFT,
        "$id": f"cadres:{kind}",
        "title": TITLES.get(kind, kind),
        **mapping(schemas.rules[kind], schemas.codes),
    }
    for cond in schemas.conditions.get(kind, []):
        *parent, name = cond["field"].split(".")
        *when_parent, when = cond["when"]["field"].split(".")
        if when_parent != parent:
            continue  # JSON Schema joins siblings only; validation still checks it
        node = root
        for part in parent:
            node = node["properties"][part]
        rule = {
            "if": {"properties": {when: {"enum": cond["when"]["in"]}}, "required": [when]},
            "then": {"required": [name]},
        }
        if cond.get("exactly"):
            rule["else"] = {"not": {"required": [name]}}
        if cond.get("hint"):
            rule["description"] = cond["hint"]
        node.setdefault("allOf", []).append(rule)
    return root


def dumps(schema: dict) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=1) + "\n"
