"""`cadres import lrmx`: 干部任免审批表 files (lrmx.parse reads one), each a person of one unit.

The same 身份证号 updates a record (of this unit only); otherwise a new record with a fresh id. Without a key the
numbers cannot be compared: the same name and birth month in this unit is the match. A form's photo is kept beside
the record only where policy.yaml allows it (rules.photos_allowed).
"""

from __future__ import annotations

from pathlib import Path

from generator.interchange import incoming, lrmx
from generator.interchange.incoming import Intake, Reading
from generator.registry.files import Registry


def read(registry: Registry, paths: list[Path], unit: str) -> Reading:
    """The records the forms make for `unit`; a form that cannot be taken is a problem, the others go on."""
    intake = Intake(registry, unit, incoming.FORM)
    photos_allowed = (registry.policy or {}).get("rules", {}).get("photos_allowed")
    out = Reading()
    for path in paths:
        try:
            values, skipped = lrmx.parse(path.read_bytes(), path.name, registry.schemas.codes)
        except (lrmx.LrmxError, OSError) as exc:
            out.problems.append(str(exc))
            continue
        photo = values.pop("_photo", None)
        said: list[str] = []
        data, problem = intake.take(values, "这份表", path.name, said)
        out.notes += [f"{path.name}：{note}" for note in said]
        if data is None:
            out.problems.append(f"{path.name}：{problem}")
            continue
        if photo:
            if photos_allowed:
                data["_photo"], data["photo"] = photo, f"{data['id']}.jpg"
            else:
                skipped.append("<ZhaoPian>（照片）未保存：policy.yaml 没有允许保存照片（rules.photos_allowed）")
        out.notes += [f"{path.name}：{note}" for note in skipped]
        out.records.append(data)
    return out
