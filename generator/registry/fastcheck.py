"""A quick yes to "does this document pass its schema?", for the documents that do.

Cerberus walks a document rule by rule through its validator machinery: about 0.75 ms for a cadre's file,
three times what parsing it costs, and a cold `cadres validate` of 10,000 records spent most of its time
there. Almost every file passes, so each schema is also compiled here into plain Python functions that
answer only *surely valid*: when they say so, Cerberus has nothing to report; when they do not (any
doubt: a blank, a wrong type, an unknown field, a rule they do not know), Cerberus runs as before and
writes the findings. They are stricter than Cerberus, never looser (`test_schema.py` checks them against
Cerberus on files of every kind of the tests' registry with each of their values broken in turn, about
10,000 documents). A schema with a rule they cannot take (a district's own, say) is left to Cerberus whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from generator.core import dates

Check = Callable[[Any], bool]
KNOWN = {
    "type",
    "required",
    "schema",
    "empty",
    "nullable",
    "allowed",
    "regex",
    "minlength",
    "maxlength",
    "min",
    "max",
    "date_text",
    "code",
    "meta",
}
_TYPES: dict[str, tuple[type, ...]] = {  # exact types: a bool is no integer here (Cerberus would take it)
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "list": (list,),
    "dict": (dict,),
}


class Unsupported(Exception):
    """A rule this module does not know: that kind is always left to Cerberus."""


def compile_schema(rules: Mapping[str, Any], codes: Mapping[str, Any]) -> Check | None:
    """A function telling whether a document surely passes `rules` (a schema's top-level fields), or None
    when the schema uses a rule this module does not know."""
    try:
        return _fields(rules, codes)
    except (Unsupported, KeyError, re.error):  # a rule, code table or pattern it cannot take: Cerberus decides
        return None


def _fields(rules: Mapping[str, Any], codes: Mapping[str, Any]) -> Check:
    fields = {name: _field(field_rules, codes) for name, field_rules in rules.items()}
    required = frozenset(name for name, field_rules in rules.items() if field_rules.get("required"))

    def check(value: Any) -> bool:
        if type(value) is not dict or not required <= value.keys():
            return False
        for name, item in value.items():
            field = fields.get(name)
            if field is None or not field(item):
                return False
        return True

    return check


def _field(rules: Mapping[str, Any], codes: Mapping[str, Any]) -> Check:  # noqa: C901 (one branch per rule: a table)
    if not isinstance(rules, Mapping) or set(rules) - KNOWN:
        raise Unsupported
    steps: list[Check] = []
    kinds = rules.get("type")
    if kinds is not None:
        names = kinds if isinstance(kinds, list) else [kinds]
        if any(n not in _TYPES for n in names):
            raise Unsupported
        allowed_types = tuple(t for n in names for t in _TYPES[n])
        steps.append(lambda v: type(v) in allowed_types)
    if "allowed" in rules:
        allowed = list(rules["allowed"])
        steps.append(lambda v: all(i in allowed for i in v) if type(v) is list else v in allowed)
    if "regex" in rules:  # as schema._Validator: the whole string
        pattern = re.compile(str(rules["regex"]).removesuffix("$"))
        steps.append(lambda v: type(v) is str and pattern.fullmatch(v) is not None)
    if "minlength" in rules:
        least = _number(rules["minlength"])
        steps.append(lambda v: type(v) in (str, list, dict) and len(v) >= least)
    if "maxlength" in rules:
        most = _number(rules["maxlength"])
        steps.append(lambda v: type(v) in (str, list, dict) and len(v) <= most)
    if "min" in rules:
        low = _number(rules["min"])
        steps.append(lambda v: type(v) in (int, float) and v >= low)
    if "max" in rules:
        high = _number(rules["max"])
        steps.append(lambda v: type(v) in (int, float) and v <= high)
    if rules.get("date_text"):
        steps.append(lambda v: type(v) is str and dates.parse(v) is not None)
    if "code" in rules:
        table = codes[rules["code"]]
        steps.append(lambda v: type(v) is str and table.valid(v))
    if "schema" in rules:
        inner = rules["schema"]
        if kinds == "list":
            item = _field(inner, codes)
            steps.append(lambda v: type(v) is list and all(item(i) for i in v))
        elif kinds == "dict":
            steps.append(_fields(inner, codes))
        else:
            raise Unsupported

    def check(value: Any) -> bool:
        if value is None or value == "" or value == [] or value == {}:
            return False  # a blank: Cerberus decides (nullable, empty) and says which
        return all(step(value) for step in steps)

    return check


def _number(bound: object) -> int | float:
    """A bound as a number (a quoted "1950" is Cerberus's to compare, or to skip)."""
    if type(bound) not in (int, float):
        raise Unsupported
    return bound  # type: ignore[return-value]
