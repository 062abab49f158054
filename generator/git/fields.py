"""The field-level difference of two versions of a record: what the change log, the pool diff and an
import's plan say changed (data: FieldChange), formatted at the edge."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

LIST_KEYS = {
    "resume": "from",
    "assessments": "year",
    "evaluations": "date",
    "training": "from",
    "practice": "from",
    "rewards_punishments": "date",
    "exceptions": "rule",
}


@dataclass(frozen=True)
class FieldChange:
    """One field's change between two versions of a record, as data; `text` says it in the change log's words."""

    top: str  # the record's top-level field (employment for 现任职务)
    label: str  # the field as a person reads it (现任职务, 简历 2022-06)
    kind: str  # 新增 | 删除 | 修改
    old: str = ""
    new: str = ""

    @property
    def text(self) -> str:
        if self.kind == "删除":
            return f"{self.label}: 删除 {self.old}"
        if self.kind == "新增":
            return f"{self.label}: 新增 {self.new}"
        return f"{self.label}: {self.old or '（空）'} → {self.new or '（空）'}"

    @property
    def removes(self) -> bool:
        """Whether it takes a value away (what an import writes only when asked to)."""
        return self.kind == "删除" or (self.kind == "修改" and not self.new)


def field_changes(
    before: Mapping[str, Any], after: Mapping[str, Any], label: Callable[[tuple], str]
) -> list[FieldChange]:
    """Every field's change between two versions of a record, in field order."""
    out: list[FieldChange] = []
    _diff(before, after, (), label, out)
    return out


def differences(
    before: Mapping[str, Any], after: Mapping[str, Any], label: Callable[[tuple], str], sensitive: Collection[str] = ()
) -> list[tuple[str, str]]:
    """[(top-level field, '现任职务: A → B')] between two versions of a record, in field order.

    A `sensitive` field (身份证号, phone) is said as 「身份证号: 已修改」, never with its values, clear or sealed.
    """
    return [
        (c.top, f"{c.label}: 已修改" if c.top in sensitive else c.text) for c in field_changes(before, after, label)
    ]


def _show(value: object) -> str:
    if isinstance(value, dict):
        return "，".join(_show(v) for v in value.values() if not isinstance(v, (dict, list)))
    if isinstance(value, list):
        return "、".join(_show(v) for v in value)
    if value is True:
        return "是"
    if value is False:
        return "否"
    return "" if value is None else str(value)


def _diff(a: object, b: object, path: tuple, label: Callable[[tuple], str], out: list) -> None:
    top = str(path[0]) if path else ""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in list(a) + [k for k in b if k not in a]:
            name = _last(label((*path, key)))
            if key not in b:
                out.append(FieldChange(top or key, name, "删除", old=_show(a[key])))
            elif key not in a:
                out.append(FieldChange(top or key, name, "新增", new=_show(b[key])))
            elif a[key] != b[key]:
                _diff(a[key], b[key], (*path, key), label, out)
        return
    key = LIST_KEYS.get(path[-1]) if path and len(path) == 1 else None
    if isinstance(a, list) and isinstance(b, list) and key and all(isinstance(x, dict) for x in a + b):
        old = {str(x.get(key)): x for x in a}
        new = {str(x.get(key)): x for x in b}
        name = label(path)
        for k in list(old) + [k for k in new if k not in old]:
            if k not in new:
                out.append(
                    FieldChange(top, f"{name} {k}", "删除", old=_show({f: v for f, v in old[k].items() if f != key}))
                )
            elif k not in old:
                out.append(
                    FieldChange(top, f"{name} {k}", "新增", new=_show({f: v for f, v in new[k].items() if f != key}))
                )
            elif old[k] != new[k]:
                for f in list(old[k]) + [f for f in new[k] if f not in old[k]]:
                    if old[k].get(f) != new[k].get(f):
                        field = f"{name} {k} {_last(label((*path, 0, f)))}"
                        out.append(FieldChange(top, field, "修改", _show(old[k].get(f)), _show(new[k].get(f))))
        return
    out.append(FieldChange(top, _last(label(path)), "修改", _show(a), _show(b)))


def _last(label: str) -> str:
    """后备情况·状态 -> 状态: a field is named by its own label."""
    return label.rsplit("·", 1)[-1]
