"""Audiences: who sees which records and which fields (registry/audiences.yaml).

`expand` turns the file into concrete audiences (a `per_unit` entry becomes
one audience per unit, `unit-<unit id>`); `visible` gives an audience's
records, each a copy with the fields it may not see removed. Every later
stage works on that view only, so nothing of anyone else can reach a build.
An audience that sees the personal numbers gets them opened (registry/sealed.py):
only there, and only with a key, does a number exist in clear text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from generator.registry import sealed
from generator.registry.records import Cadre
from generator.registry.vocabulary import TRACKED

if TYPE_CHECKING:
    from generator.registry.files import Registry


@dataclass(frozen=True)
class Audience:
    id: str  # the site's folder: site/<id>/
    title: str
    whole_pool: bool  # sees every unit: pool-wide figures, 人选方案
    unit: str | None  # the one unit it sees, when not the whole pool
    levels: tuple[str, ...]
    statuses: tuple[str, ...]
    sensitive: bool  # 身份证号 and phone are shown
    everyone: bool  # sees every record of the registry (whatever its unit, level or status)
    hidden: frozenset[str]  # the fields removed from its records: the sensitive ones, unless it is sensitive
    edits: bool = True  # keeps records (the org department, a unit): its pages show edit links and file paths

    def sees(self, data: Cadre) -> bool:
        reserve = data["reserve"]
        return (
            (self.whole_pool or data["employment"]["unit"] == self.unit)
            and reserve["level"] in self.levels
            and reserve["status"] in self.statuses
        )

    @property
    def tracked(self) -> bool:
        """Sees the 关注 list (优秀干部苗子): the org department only, as audiences.yaml says."""
        return TRACKED in self.statuses


def expand(registry: Registry) -> list[Audience]:
    """Every audience of audiences.yaml, per-unit entries made one per unit in official order."""
    words = registry.schemas.vocabulary
    units = sorted(registry.units, key=lambda u: u["order"])
    out = []
    for entry in registry.audiences:
        written = entry.get("statuses", [s for s in words.statuses if s != TRACKED])  # 关注 only where it says so
        statuses = words.statuses if written == "all" else tuple(s for s in words.statuses if s in written)
        levels = tuple(entry.get("levels", words.levels))
        sensitive = bool(entry.get("sensitive", False))
        common: dict[str, Any] = {
            "levels": levels,
            "statuses": statuses,
            "sensitive": sensitive,
            "hidden": frozenset() if sensitive else words.sensitive,
            "edits": bool(entry.get("edits", True)),
        }
        complete = set(statuses) == set(words.statuses) and set(levels) == set(words.levels)
        if entry.get("per_unit"):
            for unit in units:
                out.append(
                    Audience(
                        id=f"{entry['id']}-{unit['id']}",
                        unit=unit["id"],
                        whole_pool=False,
                        everyone=False,
                        title=entry["title"].replace("{unit_name}", unit["name"]),
                        **common,
                    )
                )
        else:
            whole = entry.get("sees", "all") == "all"
            out.append(
                Audience(
                    id=entry["id"],
                    title=entry["title"],
                    whole_pool=whole,
                    unit=None,
                    everyone=whole and complete,
                    **common,
                )
            )
    return out


def without_numbers(audience: Audience, cadres: list[Cadre], sensitive: frozenset[str]) -> list[Cadre]:
    """The records this audience may see, without the personal numbers (`sensitive`: the schema's sensitive
    fields) whoever it is: for what shows no number (the 名册 workbook), which then never opens one."""
    return [
        cast(Cadre, {key: value for key, value in data.items() if key not in sensitive})
        for data in cadres
        if audience.sees(data)
    ]


def visible(audience: Audience, cadres: list[Cadre]) -> list[Cadre]:
    """The records this audience may see, without the fields it may not see (later stages only read them).

    For an audience that sees the personal numbers, they are opened with the run's key (sealed.SealError
    without one): its pages and workbooks show the numbers, never their ciphertexts.
    """
    out = []
    keys = sealed.keys() if not audience.hidden else None
    for data in cadres:
        if audience.sees(data):
            if audience.hidden:
                # the hidden fields are the sensitive ones, each NotRequired in a Cadre for this
                data = cast(Cadre, {key: value for key, value in data.items() if key not in audience.hidden})
            else:
                data = sealed.opened(data, keys)
            out.append(data)
    return out
