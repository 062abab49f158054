"""Audiences: who sees which records and which fields (registry/audiences.yaml).

`expand` turns the file into concrete audiences (a `per_unit` entry becomes
one audience per unit, `unit-<unit id>`); `visible` gives an audience's
records, each a copy with the fields it may not see removed. Every later
stage works on that view only, so nothing of anyone else can reach a build.
"""

from __future__ import annotations

from dataclasses import dataclass

ALL_STATUSES = ("关注", "推荐", "考察", "在库", "已使用", "调整出库")
DEFAULT_STATUSES = ("推荐", "考察", "在库", "已使用", "调整出库")  # 关注 only where the file says so
SENSITIVE = ("id_number", "phone")


@dataclass(frozen=True)
class Audience:
    id: str  # the site's folder: site/<id>/
    title: str
    whole_pool: bool  # sees every unit: pool-wide figures, 人选方案
    unit: str | None  # the one unit it sees, when not the whole pool
    levels: tuple[str, ...]
    statuses: tuple[str, ...]
    sensitive: bool  # 身份证号 and phone are shown

    def sees(self, data: dict) -> bool:
        reserve = data["reserve"]
        return ((self.whole_pool or data["employment"]["unit"] == self.unit)
                and reserve["level"] in self.levels and reserve["status"] in self.statuses)

    @property
    def everyone(self) -> bool:
        """Sees every record of the registry (whatever its unit, level or status)."""
        return self.whole_pool and set(self.statuses) == set(ALL_STATUSES) and set(self.levels) == {"正职", "副职"}

    @property
    def tracked(self) -> bool:
        """Sees the 关注 list (优秀干部苗子): the org department only, as audiences.yaml says."""
        return "关注" in self.statuses


def expand(registry) -> list[Audience]:
    """Every audience of audiences.yaml, per-unit entries made one per unit in official order."""
    units = sorted(registry.units, key=lambda u: u["order"])
    out = []
    for entry in registry.audiences:
        statuses = entry.get("statuses", DEFAULT_STATUSES)
        statuses = ALL_STATUSES if statuses == "all" else tuple(s for s in ALL_STATUSES if s in statuses)
        levels = tuple(entry.get("levels", ("正职", "副职")))
        common = {"levels": levels, "statuses": statuses, "sensitive": bool(entry.get("sensitive", False))}
        if entry.get("per_unit"):
            for unit in units:
                out.append(Audience(id=f"{entry['id']}-{unit['id']}", unit=unit["id"], whole_pool=False,
                                    title=entry["title"].replace("{unit_name}", unit["name"]), **common))
        else:
            whole = entry.get("sees", "all") == "all"
            out.append(Audience(id=entry["id"], title=entry["title"], whole_pool=whole, unit=None, **common))
    return out


def visible(audience: Audience, cadres: list[dict]) -> list[dict]:
    """The records this audience may see, without the fields it may not see (later stages only read them)."""
    out = []
    for data in cadres:
        if audience.sees(data):
            if not audience.sensitive:
                data = {key: value for key, value in data.items() if key not in SENSITIVE}
            out.append(data)
    return out
