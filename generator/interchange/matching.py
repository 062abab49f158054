"""Who an imported person is: one record, however often a file comes in.

Every importer asks `People.find` before it makes a new record. It knows every record that can be read, complete
or not (a new person from a form is often incomplete, and an incomplete record is still that person), and the
people this import has already made. A person is found by 身份证号 where the run's key opens the numbers, else by
name and birth month; a name is compared without its spaces (a full-width space, two spaces or a no-break space
inside 孙　杰 are how offices align names). Two records that fit are named and nothing is taken for that person.
"""

from __future__ import annotations

import re
from typing import Any

from generator.registry import acts, sealed
from generator.registry.checks import id_number_problems
from generator.registry.facts import normal_name
from generator.registry.files import Registry
from generator.registry.vocabulary import FEMALE, MALE


def records(registry: Registry) -> dict[str, dict]:
    """{id: the person's own values} of every record that can be read, complete or not."""
    out: dict[str, dict] = {}
    for entry in registry.of_kind("cadre", valid_only=False):
        data = entry.data
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            out.setdefault(data["id"], acts.own(entry) if entry.valid else dict(data))
    return out


def unit_of(registry: Registry) -> dict[str, str]:
    """{id: the unit whose folder holds the record} (an incomplete record may not say its unit itself)."""
    out: dict[str, str] = {}
    for entry in registry.of_kind("cadre", valid_only=False):
        if isinstance(entry.data, dict) and isinstance(entry.data.get("id"), str):
            out.setdefault(entry.data["id"], entry.path.split("/")[-2])
    return out


class Ambiguous(Exception):
    """More than one record fits: the message names them (ids only)."""


class People:
    """The registry's people (and this import's new ones), found by number, by name and birth month, or by
    name alone when the file gives no birth month; each person taken once in one import."""

    def __init__(self, registry: Registry, unit: str | None = None) -> None:
        self.keys = sealed.keys()
        self.by_number: dict[str, list[dict]] = {}
        self.by_person: dict[tuple[str, str], list[dict]] = {}
        self.by_name: dict[str, list[dict]] = {}
        self.unit = unit_of(registry)  # whose folder each record is in (the people made here: the import's unit)
        self.taken: dict[str, str] = {}  # id -> the row or file of this import that already took the person
        for cadre, own in records(registry).items():
            if unit is None or self.unit[cadre] == unit:
                self.add(own)

    def add(self, data: dict, where: str = "", unit: str = "") -> None:
        """A record the import is making (`where`: its row or file; `unit`: the import's): the next row or form
        that is the same person finds it, and is refused as the same person twice."""
        number = self._plain(data.get("id_number"))
        if number:
            self.by_number.setdefault(number, []).append(data)
        key = self._key(data.get("name"), data.get("birth"))
        if key:
            self.by_person.setdefault(key, []).append(data)
        if normal_name(data.get("name")):
            self.by_name.setdefault(normal_name(data.get("name")), []).append(data)
        if where:
            self.taken[str(data.get("id"))] = where
            self.unit.setdefault(str(data.get("id")), unit)

    def match(self, fields: dict, unit: str, what: str, notes: list[str], where: str = "") -> tuple[dict | None, str]:
        """(the record these values are of, or None for a new person; why they are not taken, or ""), for an
        import into `unit` of `what` (这份表, 这一行) found at `where`. The name is kept as compared, without
        spaces: said in `notes` when that changed it. A person this import already took is refused."""

        given = fields.get("name")
        if given:  # 孙　杰, 孙  杰: offices align names with spaces; a name has none
            fields["name"] = normal_name(given)
            if fields["name"] != given:
                notes.append(f"姓名「{given}」中的空格已去掉，按「{fields['name']}」导入")
        number = fields.get("id_number")
        if isinstance(number, str) and number and not sealed.is_sealed(number):  # checked as cadres encrypt does
            whole = re.fullmatch(r"[0-9]{17}[0-9X]", number)
            birth = fields.get("birth") or (f"{number[6:10]}-{number[10:12]}" if whole else "")
            sex = fields.get("sex") or (FEMALE if whole and int(number[16]) % 2 == 0 else MALE)
            wrong = id_number_problems(number, birth, sex)
            if wrong:  # said without the number's digits
                return None, f"{wrong[0][0]}；{what}未导入，请改正后再导入（{wrong[0][1]}）"
        try:
            existing = self.find(fields, unit)
        except Ambiguous as exc:
            return None, f"{exc}；{what}未导入，请在名册中核对后再导入"
        if existing is None:
            other = self._same_but_number(fields, unit)
            if other:
                return None, (
                    f"姓名和出生年月与本单位的 {other} 相同，身份证号却不同；{what}未导入：是同一人的，"
                    "请核对身份证号；确是另一人的，请区委组织部核对后录入"
                )
            return None, ""
        cadre = str(existing.get("id"))
        if self.unit.get(cadre, unit) != unit:
            # which unit it is, and who, is not this unit's business: only that the person is not theirs
            return None, (
                f"这个人已在名册中另一个单位的记录里，不能由「{unit}」导入；{what}未导入："
                "请核对 --unit，调动请与区委组织部联系"
            )
        if cadre in self.taken:
            return None, f"与{self.taken[cadre]}是同一人（{cadre}）：同一人在一次导入中只能出现一次；{what}未导入"
        if where:
            self.taken[cadre] = where
        return existing, ""

    def find(self, fields: dict, unit: str | None = None) -> dict | None:
        """The record these imported values are of, or None (a new person). Ambiguous when two fit. Without a
        birth month, a name the import's `unit` holds once is that person."""
        number = self._plain(fields.get("id_number"))
        if number and self.keys.available:
            found = self.by_number.get(number, [])
            if found:
                return _one(found, "身份证号")
        key = self._key(fields.get("name"), fields.get("birth"))
        if key and not key[1]:  # a file with no 出生年月: the name within the unit
            named = [d for d in self.by_name.get(key[0], []) if unit is None or self.unit.get(str(d.get("id"))) == unit]
            return _one(named, "姓名（这份文件没有出生年月）") if named else None
        found = self.by_person.get(key, []) if key else []
        if number and self.keys.available:  # a number that no record has: the same name and month is another person
            found = [d for d in found if not self._plain(d.get("id_number"))]
        return _one(found, "姓名和出生年月") if found else None

    def _same_but_number(self, fields: dict, unit: str) -> str | None:
        """A record of the unit with this name and birth month and another number (with the key): refused, not
        made twice."""
        number = self._plain(fields.get("id_number"))
        key = self._key(fields.get("name"), fields.get("birth"))
        if not (number and self.keys.available and key and key[1]):
            return None
        others = [
            str(d.get("id"))
            for d in self.by_person.get(key, [])
            if self.unit.get(str(d.get("id"))) == unit and self._plain(d.get("id_number")) not in ("", number)
        ]
        return others[0] if others else None

    def _plain(self, value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            return ""
        if sealed.is_sealed(value):
            if not self.keys.available:
                return ""
            try:
                return self.keys.open(value).strip().upper()
            except sealed.SealError:
                return ""
        return value.strip().upper()

    @staticmethod
    def _key(name: Any, birth: Any) -> tuple[str, str] | None:
        name = normal_name(name)
        return (name, str(birth or "")[:7]) if name else None


def _one(found: list[dict], by: str) -> dict:
    ids = sorted({str(d.get("id")) for d in found})
    if len(ids) > 1:
        raise Ambiguous(f"名册中有 {len(ids)} 个记录的{by}与它相同（{'、'.join(ids)}），无法确定是谁")
    return found[0]
