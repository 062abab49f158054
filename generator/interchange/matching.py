"""Who an imported person is: one record, however often a file comes in.

Every importer asks `People.find` before it makes a new record. It knows every record that can be read, complete
or not (a new person from a form is often incomplete, and an incomplete record is still that person), and the
people this import has already made. A person is found by 身份证号 where the run's key opens the numbers, else by
name and birth month; a name is compared without its spaces (a full-width space, two spaces or a no-break space
inside 孙　杰 are how offices align names). Two records that fit are named and nothing is taken for that person.
"""

from __future__ import annotations

from typing import Any

from generator.registry import acts, sealed
from generator.registry.facts import normal_name
from generator.registry.files import Registry


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
    """The registry's people (and this import's new ones), found by number or by name and birth month."""

    def __init__(self, registry: Registry, unit: str | None = None) -> None:
        self.keys = sealed.keys()
        self.by_number: dict[str, list[dict]] = {}
        self.by_person: dict[tuple[str, str], list[dict]] = {}
        self.unit = unit_of(registry)  # whose folder each record is in (the people made here: the import's unit)
        for cadre, own in records(registry).items():
            if unit is None or self.unit[cadre] == unit:
                self.add(own)

    def add(self, data: dict) -> None:
        """A record the import is making: the next row or form that is the same person finds it."""
        number = self._plain(data.get("id_number"))
        if number:
            self.by_number.setdefault(number, []).append(data)
        key = self._key(data.get("name"), data.get("birth"))
        if key:
            self.by_person.setdefault(key, []).append(data)

    def match(self, fields: dict, unit: str, what: str, notes: list[str]) -> tuple[dict | None, str]:
        """(the record these values are of, or None for a new person; why they are not taken, or ""), for an
        import into `unit` of `what` (这份表, 这一行). The name is kept as compared, without spaces: said in
        `notes` when that changed it."""
        given = fields.get("name")
        if given:  # 孙　杰, 孙  杰: offices align names with spaces; a name has none
            fields["name"] = normal_name(given)
            if fields["name"] != given:
                notes.append(f"姓名「{given}」中的空格已去掉，按「{fields['name']}」导入")
        try:
            existing = self.find(fields)
        except Ambiguous as exc:
            return None, f"{exc}；{what}未导入，请在名册中核对后再导入"
        if existing is not None and self.unit.get(str(existing.get("id")), unit) != unit:
            # which unit it is, and who, is not this unit's business: only that the person is not theirs
            return None, (
                f"这个人已在名册中另一个单位的记录里，不能由「{unit}」导入；{what}未导入："
                "请核对 --unit，调动请与区委组织部联系"
            )
        return existing, ""

    def find(self, fields: dict) -> dict | None:
        """The record these imported values are of, or None (a new person). Ambiguous when two fit."""
        number = self._plain(fields.get("id_number"))
        if number and self.keys.available:
            found = self.by_number.get(number, [])
            if found:
                return _one(found, "身份证号")
        key = self._key(fields.get("name"), fields.get("birth"))
        found = self.by_person.get(key, []) if key else []
        if number and self.keys.available:  # a number that no record has: the same name and month is another person
            found = [d for d in found if not self._plain(d.get("id_number"))]
        return _one(found, "姓名和出生年月") if found else None

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
