"""Scaffolds: a new cadre or nomination file with every required field blank and explained.

The file starts with the YAML language server's `$schema` line (editors then
check it as it is typed) and gets a fresh id. Blanks are empty text (or an
empty list item), which validation refuses by name until they are filled.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Set
from pathlib import Path
from typing import TYPE_CHECKING

from generator.git.repo import ids_ever
from generator.interchange.yamlout import scalar
from generator.registry.records import Unit

ID = re.compile(r"^([a-z0-9]+)-(\d+)$")


if TYPE_CHECKING:
    from generator.registry.files import Registry
    from generator.registry.schema import Schemas


def fresh_id(registry: Registry, unit: str, taken: Set[str] = frozenset()) -> str:
    """The unit's id prefix (as its records use it, or the unit id's first letters) and the next free number."""
    return IdMaker(registry, unit, taken).next()


class IdMaker:
    """Ids for a unit's new people, one after another: the registry is read once, so an import of n new people
    costs n, not n times the registry (fresh_id per person re-read every id)."""

    def __init__(self, registry: Registry, unit: str, taken: Set[str] = frozenset()) -> None:
        ids = [
            e.data["id"]
            for e in registry.of_kind("cadre", valid_only=False)
            if isinstance(e.data, dict) and isinstance(e.data.get("id"), str)
        ] + list(taken)
        prefixes = Counter(
            m[1]
            for e in registry.of_kind("cadre", valid_only=False)
            if e.path.split("/")[-2] == unit and (m := ID.match(e.path.rsplit("/", 1)[-1][:-5]))
        )
        self.prefix = prefixes.most_common(1)[0][0] if prefixes else re.sub(r"[^a-z0-9]", "", unit)[:3] or "cad"
        mine = [m for i in ids if (m := ID.match(i)) and m[1] == self.prefix]
        self.number = max((int(m[2]) for m in mine), default=0)
        self.width = max([4] + [len(m[2]) for m in mine])

    def next(self) -> str:
        self.number += 1
        return f"{self.prefix}-{self.number:0{self.width}d}"


def _lines(schemas: Schemas, rules: dict, values: dict, indent: int, first_prefix: str = "") -> list[str]:
    """Every required field of a mapping, blank unless `values` gives it, each with its label as a comment."""
    out = []
    pad = " " * indent
    for n, (key, rule) in enumerate((k, r) for k, r in rules.items() if r.get("required") or k in values):
        lead = first_prefix if n == 0 and first_prefix else pad
        meta = rule.get("meta", {})
        note = meta.get("label", key) + ("（必填）" if rule.get("required") else "")
        if meta.get("hint"):
            note += "：" + meta["hint"]
        choices = rule.get("allowed")
        if choices:
            note += "，可选：" + " | ".join(map(str, choices))
        if rule.get("code"):
            names = schemas.codes[rule["code"]].names()
            note += (
                "，可选："
                + " | ".join(names[:8])
                + (f" 等（共 {len(names)} 项，见 schemas/codes/{rule['code']}.yaml）" if len(names) > 8 else "")
            )
        if rule.get("type") == "boolean":
            note += "，是写 true，否写 false"
        if rule.get("date_text"):
            note += "，写成 YYYY-MM 或 YYYY-MM-DD"
        if key in values and not isinstance(values[key], dict):
            out.append(f"{lead}{key}: {scalar(values[key])}  # {note}")
        elif rule.get("type") == "dict" and "schema" in rule:
            out.append(f"{lead}{key}:  # {note}")
            children = rule["schema"]
            if not any(r.get("required") for r in children.values()):  # e.g. 学历学位: its first part is the usual one
                first = next(iter(children))
                children = {first: dict(children[first], required=True)}
            out += _lines(schemas, children, values.get(key, {}), indent + 2)
        elif rule.get("type") == "list" and isinstance(rule.get("schema"), dict) and "schema" in rule["schema"]:
            out.append(f"{lead}{key}:  # {note}")
            out += _lines(schemas, rule["schema"]["schema"], {}, indent + 4, first_prefix=pad + "  - ")
        elif rule.get("type") == "list":
            out.append(f"{lead}{key}: []  # {note}")
        else:
            out.append(f'{lead}{key}: ""  # {note}')
    return out


def scaffold(schemas: Schemas, kind: str, values: dict, schema_path: str) -> str:
    header = [
        f"# yaml-language-server: $schema={schema_path}",
        '# 由 cadres new 生成：把每个 "" 换成实际内容（可选项见行尾说明），然后运行 cadres validate 检查。',
    ]
    return "\n".join(header + _lines(schemas, schemas.rules[kind], values, 0)) + "\n"


def new_cadre(registry: Registry, unit: str) -> tuple[Path, str]:
    """A person's own file: the unit then writes the person into its round's nomination file (cadres new
    nomination), where the level is said."""
    cadre_id = fresh_id(registry, unit, taken=ids_ever(registry.root))
    path = Path("registry") / "cadres" / unit / f"{cadre_id}.yaml"
    values = {"id": cadre_id, "employment": {"unit": unit}}
    return path, scaffold(registry.schemas, "cadre", values, "../../../schemas/json/cadre.schema.json")


def new_nomination(registry: Registry, unit: Unit, round_: int) -> tuple[Path, str]:
    path = Path("registry") / "nominations" / str(round_) / f"{unit['id']}.yaml"
    values = {"unit": unit["id"], "round": round_, "nominated_by": unit.get("party_org", "")}
    return path, scaffold(registry.schemas, "nomination", values, "../../../schemas/json/nomination.schema.json")
