"""The shapes the registry stage hands on: a person's record, a unit, an audience entry and the acts of a round.

Each is a `TypedDict` over the values a file holds once it has passed its schema (schemas/*.yaml), so mypy names
a field a reader gets wrong. The schema decides what a file may hold; these types say what the later stages
may read. A new field goes in both: the schema (with its label), then here (optional, `NotRequired`, unless the
schema requires it).

`Cadre` is a person's record as `acts.assemble` gives it: the person's own fields (registry/cadres/, the unit's
file) and what the org department's acts derive (`acts.DERIVED`: `reserve`, `evaluations`, `inspection`,
`development_plan`, `selection`, `tracking`, `exceptions`). Dates are the texts the files hold (YYYY-MM or
YYYY-MM-DD), as `core.dates` reads them.

This module imports nothing of the program: every stage may use it.
"""

from typing import NotRequired, TypedDict

# -- a person's own file (schemas/cadre.yaml) ----------------------------------------------------------------


class Employment(TypedDict):
    """现任职情况."""

    unit: str  # the unit's id (units.yaml)
    establishment: str
    in_service: bool
    post: str
    post_since: str
    rank: str
    leadership_deputy: bool


class Schooling(TypedDict):
    """One of a person's two educations: 全日制教育 or 在职教育."""

    level: str
    degree: NotRequired[str | None]
    school: str
    major: NotRequired[str]


class Education(TypedDict, total=False):
    """学历学位: at least one of the two (the schema says so)."""

    full_time: Schooling
    in_service: Schooling


# "from" is a keyword: these are written in the functional form
ResumeLine = TypedDict(
    "ResumeLine",
    {
        "from": str,
        "to": NotRequired[str],  # none for the present post
        "post": str,
        "rank": NotRequired[str],
        "middle_management": NotRequired[bool],
    },
)
"""One line of a person's 简历."""

Training = TypedDict(
    "Training",
    {"from": str, "to": NotRequired[str], "institution": str, "program": str, "hours": NotRequired[int]},
)
"""理论培训."""

Practice = TypedDict(
    "Practice",
    {"from": str, "to": NotRequired[str], "kind": str, "place": str, "post": NotRequired[str]},
)
"""实践锻炼."""


class Assessment(TypedDict):
    """年度考核."""

    year: int
    grade: str


class RewardPunishment(TypedDict):
    """奖惩情况."""

    date: str
    kind: str  # 奖励 or 惩戒
    text: str


# -- what the acts derive (acts.assemble) --------------------------------------------------------------------


class DecisionRef(TypedDict):
    """The decision that admitted a person: its body, date and 文号."""

    body: str
    date: str
    ref: NotRequired[str]


class Exit(TypedDict):
    """出库: the decision's date and the reason."""

    date: str
    reason: str


class Reserve(TypedDict):
    """后备情况 as the acts make it. Level, source and status are always there in a valid record (X22 otherwise);
    the track once admitted, used or left; the rest as the acts say."""

    level: str
    source: str
    status: str  # vocabulary's statuses: 关注, 推荐, 考察, 在库, 已使用, 调整出库
    track: NotRequired[str]
    direction: NotRequired[str]
    nomination: NotRequired[str]  # "<round>/<unit>": the nomination file that named the person
    decision: NotRequired[DecisionRef]
    entered: NotRequired[str]
    reviewed: NotRequired[str]
    exit: NotRequired[Exit]


class Evaluation(TypedDict):
    """民主测评 or 民主评议: the votes."""

    date: str
    kind: str
    participants: int
    excellent: int
    competent: int
    basic: int
    incompetent: int


class Inspection(TypedDict):
    """考察情况."""

    date: str
    by: str
    summary: str


class Selection(TypedDict):
    """竞争性选拔: how, when and the result."""

    kind: str
    date: str
    result: str


class LogLine(TypedDict):
    """One dated observation of the 关注 list."""

    date: str
    text: str


class Tracking(TypedDict, total=False):
    """跟踪了解: the category and the observations (the org department's alone)."""

    category: str
    log: list[LogLine]


class Waiver(TypedDict):
    """例外批准 as a person's record holds it: the rule waived, why, by whom and when."""

    rule: str
    reason: str
    decided_by: str
    date: str


# -- the record ------------------------------------------------------------------------------------------


class Cadre(TypedDict):
    """A person's record as every stage after the registry reads it (registry.cadres' entries' data).

    The personal numbers (id_number, phone) are sealed (ENC[age,…]) and an audience that may not see them gets the
    record without them (analysis.audiences.visible): never count on them being there.
    """

    id: str
    name: str
    sex: str
    birth: str
    ethnicity: str
    native_place: str
    birthplace: NotRequired[str]
    political_status: str
    party_joined: NotRequired[str]
    work_started: str
    health: str
    id_number: NotRequired[str]  # required in the file; removed from the view of an audience that may not see it
    phone: NotRequired[str]
    photo: NotRequired[str]
    employment: Employment
    education: Education
    specialties: NotRequired[list[str]]
    expertise: NotRequired[str]
    resume: list[ResumeLine]
    assessments: NotRequired[list[Assessment]]
    training: NotRequired[list[Training]]
    practice: NotRequired[list[Practice]]
    rewards_punishments: NotRequired[list[RewardPunishment]]
    # derived from the acts
    reserve: Reserve
    evaluations: NotRequired[list[Evaluation]]
    inspection: NotRequired[Inspection]
    development_plan: NotRequired[str]
    selection: NotRequired[Selection]
    tracking: NotRequired[Tracking]
    exceptions: NotRequired[list[Waiver]]


# -- the configuration (units.yaml, audiences.yaml) ------------------------------------------------------


class Leadership(TypedDict):
    """班子职数."""

    chief: int
    deputy: int


class Unit(TypedDict):
    """One unit of registry/units.yaml."""

    id: str
    name: str
    aliases: NotRequired[list[str]]
    kind: str  # 党政机关, 事业单位, 乡镇街道, 群团组织
    order: int
    party_org: str
    leadership: Leadership
    reviewers: list[str]


class AudienceSpec(TypedDict):
    """One entry of registry/audiences.yaml, as written (analysis.audiences.expand makes it `Audience`s)."""

    id: str
    title: str
    per_unit: NotRequired[bool]
    sees: str  # all or own-unit
    levels: NotRequired[list[str]]
    statuses: NotRequired[str | list[str]]  # "all" or a list
    sensitive: bool
    edits: NotRequired[bool]
    reviewers: NotRequired[list[str]]


# -- the acts of a round ---------------------------------------------------------------------------------


class Meeting(TypedDict):
    """民主推荐会."""

    date: str
    attended: int
    eligible: int


class Nominee(TypedDict):
    cadre: str
    level: str
    votes: int


class NominationAct(TypedDict):
    """registry/nominations/<yyyy>/<unit>.yaml: a unit's 民主推荐."""

    unit: str
    round: int
    nominated_by: str
    meeting: Meeting
    candidates: list[Nominee]


class Candidate(TypedDict):
    """One person the org department takes up in a round: the path, the proposal and what it found."""

    cadre: str
    source: str
    level: str
    track: str
    direction: NotRequired[str]
    evaluations: NotRequired[list[Evaluation]]
    inspection: NotRequired[Inspection]
    development_plan: NotRequired[str]
    selection: NotRequired[Selection]


class InspectionAct(TypedDict):
    """registry/inspections/<yyyy>/<unit>.yaml: the org department's 考察 of a unit's candidates in a round."""

    unit: str
    round: int
    candidates: list[Candidate]


class Admitted(TypedDict):
    cadre: str
    level: NotRequired[str]  # the inspection's, unless the decision says otherwise
    track: NotRequired[str]


class Reviewed(TypedDict):
    cadre: str


class Left(TypedDict):
    cadre: str
    status: str  # 已使用 or 调整出库
    reason: str


class WaiverAct(TypedDict):
    """例外批准 as a decision writes it (a person's record holds it as a `Waiver`)."""

    cadre: str
    rule: str
    reason: str


class DecisionAct(TypedDict):
    """registry/decisions/<yyyy-mm-dd>.yaml: one meeting of the 区委常委会."""

    body: str
    date: str
    ref: NotRequired[str]
    admitted: NotRequired[list[Admitted]]
    reviewed: NotRequired[list[Reviewed]]
    left: NotRequired[list[Left]]
    waivers: NotRequired[list[WaiverAct]]


class Watched(TypedDict):
    """One person of the 关注 list."""

    cadre: str
    source: str
    level: str
    track: str
    direction: NotRequired[str]
    category: NotRequired[str]
    log: NotRequired[list[LogLine]]


class WatchList(TypedDict):
    """registry/watch.yaml: the org department's 关注 list."""

    watched: list[Watched]
