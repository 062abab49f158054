"""A district of a few people built in the test, not the demo's people.

The district's own settings (policy.yaml, units.yaml, audiences.yaml, recipients.txt) are the demo's; every
person is written out here, whole (their own values and what the org department's acts say of them), and
`district(...)` lays them out as the registry's files (`migrate.split`, plus the units' nomination files),
checked in memory on an empty registry loaded once. A case changes one value and sees what the checks say.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import shutil
import tempfile
from pathlib import Path

from generator.core.numbers import id_check_char
from generator.interchange import migrate
from generator.interchange.yamlout import dump
from generator.registry.files import Registry, load_registry, with_files
from generator.registry.validate import check

from conftest import AS_OF_DATE, DISTRICT, seal

SETTINGS = ("policy.yaml", "units.yaml", "audiences.yaml", "recipients.txt")
MEETING = {"2025": "2025-06-20", "2023": "2023-06-15", "2026": "2026-05-12"}  # each round's 推荐会


@functools.lru_cache(maxsize=1)
def _empty() -> Registry:
    root = Path(tempfile.mkdtemp(prefix="small-district-"))
    (root / "registry" / "cadres").mkdir(parents=True)
    for name in SETTINGS:
        shutil.copy(DISTRICT / "registry" / name, root / "registry" / name)
    return load_registry(root)


def _number(birth: str, male: bool) -> str:
    first17 = f"340104{birth.replace('-', '')}00{1 if male else 2}"  # birth is YYYY-MM-DD
    return seal(first17 + id_check_char(first17))


@functools.cache
def _sealed(birth: str, male: bool) -> str:
    return _number(birth, male)


def _person(cadre: str, name: str, birth: str, **values) -> dict:
    male = values.pop("sex", "男") == "男"
    person = {
        "id": cadre,
        "name": name,
        "sex": "男" if male else "女",
        "birth": birth,
        "ethnicity": "汉族",
        "native_place": "安徽肥东",
        "political_status": "中共党员",
        "party_joined": f"{int(birth[:4]) + 22}-06",
        "work_started": f"{int(birth[:4]) + 23}-07",
        "health": "健康",
        "id_number": _sealed(f"{birth}-15", male),
        "education": {"full_time": {"level": "大学本科", "degree": "学士", "school": "安徽大学", "major": "财政学"}},
        "specialties": ["经济管理"],
        "training": [{"from": "2026-03", "to": "2026-05", "institution": "区委党校", "program": "科级后备干部培训班"}],
    }
    person.update(values)
    start = int(person["work_started"][:4])
    person.setdefault("assessments", [{"year": y, "grade": "称职"} for y in range(start + 1, AS_OF_DATE.year)])
    return copy.deepcopy(person)


def _admitted(source: str, round_: str, decided: str, unit: str = "caizheng") -> dict:
    reserve = {
        "source": source,
        "status": "在库",
        "decision": {"body": "区委常委会", "date": decided, "ref": f"区委常委会会议纪要〔{round_}〕24号"},
        "entered": decided,
    }
    if source == "民主推荐":
        reserve["nomination"] = f"{round_}/{unit}"
    return reserve


def deputy() -> dict:
    """A 副职 in the pool: 推荐会 2025-06-20, 测评 2025-07, 考察 2025-08, decided 2025-09-16."""
    return _person(
        "cai-0901",
        "赵明",
        "1990-05",
        employment={
            "unit": "caizheng",
            "establishment": "行政编制",
            "in_service": True,
            "post": "区财政局预算科科长",
            "post_since": "2021-03",
            "rank": "副科级",
            "leadership_deputy": False,
        },
        resume=[
            {"from": "2013-07", "to": "2018-02", "post": "区财政局预算科科员", "rank": "科员"},
            {
                "from": "2018-03",
                "to": "2021-02",
                "post": "区财政局预算科副科长",
                "rank": "科员",
                "middle_management": True,
            },
            {"from": "2021-03", "post": "区财政局预算科科长", "rank": "副科级", "middle_management": True},
        ],
        reserve={
            "level": "副职",
            "track": "中期强化",
            "direction": "区直部门副职",
            **_admitted("民主推荐", "2025", "2025-09-16"),
        },
        evaluations=[_evaluation("2025-07")],
        inspection={"date": "2025-08", "by": "区委组织部考察组", "summary": "该同志业务扎实，工作思路清晰。"},
        development_plan="安排到街道挂职锻炼一年",
    )


def chief() -> dict:
    """A 正职 in the pool since 2023-09-19, 区财政局副局长 (班子副职) since 2022-06."""
    return _person(
        "cai-0902",
        "钱进",
        "1985-09",
        employment={
            "unit": "caizheng",
            "establishment": "行政编制",
            "in_service": True,
            "post": "区财政局副局长",
            "post_since": "2022-06",
            "rank": "副科级",
            "leadership_deputy": True,
        },
        resume=[
            {"from": "2008-07", "to": "2016-12", "post": "区财政局办公室科员", "rank": "科员"},
            {
                "from": "2017-01",
                "to": "2022-05",
                "post": "区财政局办公室主任",
                "rank": "科员",
                "middle_management": True,
            },
            {"from": "2022-06", "post": "区财政局副局长", "rank": "副科级"},
        ],
        reserve={
            "level": "正职",
            "track": "近期备用",
            "direction": "区直部门正职",
            **_admitted("民主推荐", "2023", "2023-09-19"),
            "reviewed": "2025-09-16",  # kept in the 2025 round
        },
        evaluations=[_evaluation("2023-07")],
        inspection={"date": "2023-08", "by": "区委组织部考察组", "summary": "该同志统筹能力较强。"},
        development_plan="交流到综合部门轮岗",
    )


def open_selected() -> dict:
    """A 副职 who came in by a 公推竞职 of 2025-04, decided 2025-09-16."""
    person = deputy()
    person.update(id="cai-0903", name="孙悦", id_number=_sealed("1991-03-15", True), birth="1991-03")
    person["reserve"] = {**person["reserve"], **_admitted("公推竞职", "2025", "2025-09-16")}
    person["reserve"].pop("nomination", None)
    person["selection"] = {"kind": "公推竞职", "date": "2025-04", "result": "笔试、面试综合成绩第一名"}
    return person


def candidate() -> dict:
    """A 副职 of the 2026 round, inspected (考察) and not yet decided: judged at the as-of date."""
    person = deputy()
    person.update(id="cai-0904", name="李航", id_number=_sealed("1992-08-15", True), birth="1992-08")
    person["reserve"] = {
        "level": "副职",
        "track": "远期储备",
        "direction": "区直部门副职",
        "source": "民主推荐",
        "nomination": "2026/caizheng",
        "status": "考察",
    }
    person["evaluations"] = [_evaluation("2026-06")]
    person["inspection"] = {"date": "2026-09", "by": "区委组织部考察组", "summary": "该同志作风扎实。"}
    return person


def _evaluation(date: str, kind: str = "民主测评", participants: int = 40, yes: int = 37) -> dict:
    excellent = yes * 2 // 3
    return {
        "date": date,
        "kind": kind,
        "participants": participants,
        "excellent": excellent,
        "competent": yes - excellent,
        "basic": participants - yes,
        "incompetent": 0,
    }


def district(*people: dict) -> Registry:
    """The registry these people make: their own files, the acts, and each round's nomination files."""
    base = _empty()
    units = {u["id"]: u for u in base.units}
    records = [(f"registry/cadres/{p['employment']['unit']}/{p['id']}.yaml", copy.deepcopy(p)) for p in people]
    split = migrate.split(records, "区委常委会", str(AS_OF_DATE.year))
    files = {path: dump(values).encode() for path, values in (split.people | split.acts).items()}
    nominations: dict[str, list] = {}
    for person in people:
        ref = person["reserve"].get("nomination")
        if ref:
            nominations.setdefault(ref, []).append(
                {"cadre": person["id"], "level": person["reserve"]["level"], "votes": 30}
            )
    for ref, candidates in nominations.items():
        round_, unit = ref.split("/")
        meeting = {"date": MEETING[round_], "attended": 40, "eligible": 42}
        nomination = {
            "unit": unit,
            "round": int(round_),
            "nominated_by": units[unit]["party_org"],
            "meeting": meeting,
            "candidates": candidates,
        }
        files[f"registry/nominations/{ref}.yaml"] = dump(nomination).encode()
    return with_files(base, files)


def findings(*people: dict, as_of: dt.date = AS_OF_DATE, codes: str = "RX") -> list[str]:
    """What the checks say about these people, each as 'R03 错误 message' (the person's name taken off)."""
    import re

    registry = district(*people)
    out = []
    for f in check(registry, as_of):
        if f.code[0] not in codes or f.code in ("X15", "X21"):  # no CODEOWNERS here; X21 is about the run
            continue
        message = re.sub(r"^[^：]*（[a-z0-9-]+）：", "", f.message)
        out.append(f"{f.code} {f.severity} {message}")
    return out
