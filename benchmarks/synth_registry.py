"""A deterministic synthetic registry: the shipped demo district, or one of any size for benchmarks.

    python benchmarks/synth_registry.py                      # the demo: rewrites registry/ (not policy.yaml)
    python benchmarks/synth_registry.py --root /tmp/r10k --pool 10000

Same seed and size, same files. Everyone in it is invented: names are drawn
from common surnames and given-name characters, ID numbers are made up with a
correct GB 11643 check character. At demo size it has, on purpose, a few true
gaps for the site to show: the non-CPC (T13) and party-school training (T14)
targets missed, 2025's yearly practice (T15) short while 2026 meets it, two reviews overdue (R11), one
不称职 year since entry, one 正职 past the age policy.yaml sets, one rule
(R04) waived by a recorded decision; leavers of the 2023 and 2025 rounds, so
`cadres stats --since` has a round to compare.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import shutil
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from generator.core.numbers import id_check_char  # noqa: E402
from generator.interchange import migrate  # noqa: E402
from generator.interchange.yamlout import dump  # noqa: E402
from generator.registry import sealed  # noqa: E402

DEMO_KEY = PROJECT / "benchmarks" / "demo-age-key.txt"  # the invented people's numbers are sealed to it
REF_YEAR, REF_MONTH = 2026, 11  # the demo is "as of" November 2026: no date after it
# the date the demo is current to: the commands count with it when no --as-of is given (core/dates.as_of_for)
DEMO_DATE_FILE = (
    "# 演示名册的数据截至这一天。不写 --as-of 时，cadres 的命令（validate、build、stats……）在这个名册上按这一天计算，\n"
    "# 演示不会因为时间过去而过期。区自己的名册没有这个文件，按当天计算。\n"
    "2026-11-25\n"
)
LATEST_ROUND = 2025  # rounds every two years: 2019, 2021, 2023, 2025
STRENGTHS = ["业务扎实", "善于协调", "文字功底较好", "群众工作经验丰富", "执行力强"]
WEAKNESSES = ["基层经历偏少", "统筹全局能力有待提高", "工作方法有时较简单"]

# id, name, kind, party organization, chief posts, deputy posts, short name for posts
UNITS = [
    ("qwb", "区委办公室", "党政机关", "区委办公室党支部", 1, 3, "区委办"),
    ("zfb", "区政府办公室", "党政机关", "区政府办公室党组", 1, 4, "区政府办"),
    ("jiwei", "区纪委监委机关", "党政机关", "区纪委常委会", 1, 4, "区纪委监委"),
    ("zuzhi", "区委组织部", "党政机关", "区委组织部部务会", 1, 3, "区委组织部"),
    ("xuanchuan", "区委宣传部", "党政机关", "区委宣传部部务会", 1, 3, "区委宣传部"),
    ("tongzhan", "区委统战部", "党政机关", "区委统战部部务会", 1, 2, "区委统战部"),
    ("zhengfa", "区委政法委", "党政机关", "区委政法委员会", 1, 3, "区委政法委"),
    ("fagai", "区发展和改革委员会", "党政机关", "区发展和改革委员会党组", 1, 3, "区发改委"),
    ("jiaoti", "区教育体育局", "党政机关", "区教育体育局党委", 1, 4, "区教体局"),
    ("keji", "区科学技术局", "党政机关", "区科学技术局党组", 1, 2, "区科技局"),
    ("minzheng", "区民政局", "党政机关", "区民政局党组", 1, 3, "区民政局"),
    ("sifa", "区司法局", "党政机关", "区司法局党组", 1, 3, "区司法局"),
    ("caizheng", "区财政局", "党政机关", "区财政局党组", 1, 3, "区财政局"),
    ("renshe", "区人力资源和社会保障局", "党政机关", "区人力资源和社会保障局党组", 1, 3, "区人社局"),
    ("zhujian", "区住房和城乡建设局", "党政机关", "区住房和城乡建设局党组", 1, 4, "区住建局"),
    ("chengguan", "区城市管理局", "党政机关", "区城市管理局党组", 1, 4, "区城管局"),
    ("nongye", "区农业农村水利局", "党政机关", "区农业农村水利局党组", 1, 3, "区农水局"),
    ("shangwu", "区商务局", "党政机关", "区商务局党组", 1, 3, "区商务局"),
    ("weijian", "区卫生健康委员会", "党政机关", "区卫生健康委员会党组", 1, 3, "区卫健委"),
    ("shenji", "区审计局", "党政机关", "区审计局党组", 1, 2, "区审计局"),
    ("shichang", "区市场监督管理局", "党政机关", "区市场监督管理局党组", 1, 4, "区市场监管局"),
    ("dangxiao", "区委党校", "事业单位", "区委党校党支部", 1, 2, "区委党校"),
    ("rongmei", "区融媒体中心", "事业单位", "区融媒体中心党支部", 1, 3, "区融媒体中心"),
    ("tuanqu", "共青团区委", "群团组织", "共青团区委党组", 1, 2, "团区委"),
    ("fulian", "区妇女联合会", "群团组织", "区妇联党组", 1, 2, "区妇联"),
    ("chengdong", "城东街道", "乡镇街道", "城东街道党工委", 2, 6, "城东街道"),
    ("chengxi", "城西街道", "乡镇街道", "城西街道党工委", 2, 6, "城西街道"),
    ("huayuan", "花园街道", "乡镇街道", "花园街道党工委", 2, 6, "花园街道"),
    ("nangang", "南岗镇", "乡镇街道", "南岗镇党委", 2, 6, "南岗镇"),
    ("xiaomiao", "小庙镇", "乡镇街道", "小庙镇党委", 2, 6, "小庙镇"),
]
# the short names people write for a unit (units.yaml `aliases`): search finds the unit's people by them
UNIT_ALIASES = {
    "qwb": ["区委办"],
    "zfb": ["区政府办", "政府办"],
    "jiwei": ["区纪委监委", "纪委监委", "区纪委", "纪委"],
    "zuzhi": ["组织部"],
    "xuanchuan": ["宣传部"],
    "tongzhan": ["统战部"],
    "zhengfa": ["政法委"],
    "fagai": ["区发改委", "发改委"],
    "jiaoti": ["区教体局", "教体局", "教育体育局"],
    "keji": ["区科技局", "科技局"],
    "minzheng": ["民政局"],
    "sifa": ["司法局"],
    "caizheng": ["财政局"],
    "renshe": ["区人社局", "人社局"],
    "zhujian": ["区住建局", "住建局"],
    "chengguan": ["区城管局", "城管局", "城管"],
    "nongye": ["区农水局", "农水局", "农业农村水利局"],
    "shangwu": ["商务局"],
    "weijian": ["区卫健委", "卫健委"],
    "shenji": ["审计局"],
    "shichang": ["区市场监管局", "市场监管局"],
    "dangxiao": ["党校"],
    "rongmei": ["融媒体中心", "区融媒"],
    "tuanqu": ["团区委"],
    "fulian": ["区妇联", "妇联"],
    "chengdong": ["城东街道办事处", "城东办事处"],
    "chengxi": ["城西街道办事处", "城西办事处"],
    "huayuan": ["花园街道办事处", "花园办事处"],
    "nangang": ["南岗镇人民政府", "南岗镇政府"],
    "xiaomiao": ["小庙镇人民政府", "小庙镇政府"],
}
UNIT_PINYIN_PREFIX = {u[0]: u[0][:3] for u in UNITS}

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴孔汤卜刁司兰"
)
MALE = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宁健亮俊峰凯浩宇晨阳睿哲然帆翔东林志文春海永建国庆卫"
FEMALE = "芳娜敏静丽娟艳霞玲燕萍红梅琳雪婷慧莹倩颖洁欣悦璐瑶佳楠晶蕾薇岚菁"
ETHNIC_MINORITIES = ("回族", "满族", "蒙古族", "壮族")
NON_CPC = ("民盟盟员", "九三学社社员", "无党派人士", "民进会员")
SPECIALTIES = ("经济管理", "社会管理", "党务工作", "金融", "城建", "法律")
SCHOOLS = (
    "安徽大学",
    "合肥工业大学",
    "安徽师范大学",
    "安徽农业大学",
    "安徽财经大学",
    "安徽建筑大学",
    "中国科学技术大学",
    "安徽医科大学",
    "南京大学",
    "武汉大学",
    "安徽理工大学",
    "淮北师范大学",
)
MAJORS = {
    "经济管理": "经济学",
    "社会管理": "社会工作",
    "党务工作": "思想政治教育",
    "金融": "金融学",
    "城建": "土木工程",
    "法律": "法学",
}
OFFICES = ("办公室", "综合科", "政策法规科", "规划发展科", "财务科", "人事科", "监督检查科", "业务科")
REGIONS = ("340104", "340102", "340103", "340111", "340121", "340122", "340181", "341302", "340823")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--root",
        type=Path,
        default=PROJECT,
        help="write ROOT/registry (a registry repository of its own: cadres brings the schemas and templates)",
    )
    parser.add_argument("--pool", type=int, default=210, help="reserve cadres in the pool (status 在库)")
    parser.add_argument(
        "--cadres",
        type=int,
        default=None,
        help="about this many cadre records in all (sets --pool: candidates and leavers come on top of the pool)",
    )
    parser.add_argument("--seed", type=int, default=2012)
    args = parser.parse_args(argv)
    pool = pool_for(args.cadres) if args.cadres else args.pool
    count = write_registry(args.root, pool=pool, seed=args.seed)
    print(f"{count} files written under {args.root / 'registry'}")
    return 0


def pool_for(cadres: int) -> int:
    """The pool size whose registry holds about `cadres` records (7 others for every 35 in the pool)."""
    return max(35, round(cadres * 35 / 42))


def write_registry(root: Path, pool: int = 210, seed: int = 2012) -> int:
    """Write a registry of `pool` in-pool cadres (plus candidates and leavers) under root/registry."""
    root = Path(root)
    registry = root / "registry"
    sealer = _Sealer(registry)
    for sub in ("cadres", "nominations", "inspections", "decisions"):
        shutil.rmtree(registry / sub, ignore_errors=True)
    (registry / "watch.yaml").unlink(missing_ok=True)
    registry.mkdir(parents=True, exist_ok=True)
    if root.resolve() != PROJECT:  # a registry repository of its own: the installed program brings the rest
        shutil.copy(PROJECT / "registry" / "policy.yaml", registry / "policy.yaml")
    (registry / "recipients.txt").write_text(sealer.recipients_file(), encoding="utf-8")
    (registry / "demo-date.txt").write_text(DEMO_DATE_FILE, encoding="utf-8")
    district = _District(random.Random(seed), pool, sealer)
    files = district.files()
    for rel, text in files.items():
        path = registry / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return len(files)


class _Sealer:
    """Seals the invented numbers to the demo key, keeping the ciphertext a file already holds for the same
    number: the same seed writes the same files again (age itself never encrypts the same way twice)."""

    def __init__(self, registry: Path) -> None:
        self.keys = sealed.Keys(sealed._identities(DEMO_KEY.read_text(encoding="utf-8"), str(DEMO_KEY)), "demo")
        self.public = [identity.to_public() for identity in self.keys.identities]
        self.kept: dict[tuple[str, str], str] = {}
        for path in sorted((registry / "cadres").rglob("*.yaml")):
            rel = path.relative_to(registry).as_posix()
            for match in sealed.SEALED.finditer(path.read_text(encoding="utf-8")):
                with contextlib.suppress(sealed.SealError):
                    self.kept[rel, self.keys.open(match[0])] = match[0]

    def seal(self, rel: str, plain: str) -> str:
        return self.kept.get((rel, plain)) or sealed.seal(plain, self.public)

    def recipients_file(self) -> str:
        return (
            "# 个人号码（身份证号、联系电话）加密的收件人：区委组织部的 age 公钥，每行一个（cadres keygen 生成）。\n"
            "# 演示名册用 benchmarks/demo-age-key.txt 的公钥；改动后运行 cadres encrypt --rekey。\n"
            + "".join(f"{key}\n" for key in self.public)
        )


def selected(person: dict, year: int) -> None:
    """The competitive selection a person came in by (R10 asks for it on record): that spring, no random draw."""
    source = person["reserve"]["source"]
    if source in ("公开选拔", "公推竞职", "竞争上岗"):
        person["selection"] = {"kind": source, "date": f"{year}-04", "result": "笔试、面试综合成绩第一名"}


def round_meeting(year: int) -> tuple[str, str]:
    """The 区委常委会 meeting that decides a round (one in September), and its minutes' reference."""
    return f"{year}-09-{15 + (year - 2019) % 5:02d}", f"区委常委会会议纪要〔{year}〕{20 + (year - 2019) // 2}号"


def eligible_round(resume: list) -> int:
    """The first round (every two years from 2019, decided in September) by which a 副职's resume meets R03 and R04:
    two years at 科员 level or above, and a middle-management post begun."""

    def index(text: str) -> int:
        return int(text[:4]) * 12 + int(text[5:7]) - 1

    middle = next(index(r["from"]) for r in resume if r.get("middle_management"))
    ready = max(index(resume[0]["from"]) + 24, middle)  # the month by which both hold
    for year in range(2019, LATEST_ROUND + 1, 2):
        if year * 12 + 8 >= ready:  # September of that year
            return year
    return LATEST_ROUND


class _District:
    def __init__(self, rng: random.Random, pool: int, sealer: _Sealer):
        self.rng = rng
        self.pool = pool
        self.sealer = sealer
        self.names: set[str] = set()
        self.ids: dict[str, int] = {}
        self.numbers: set[str] = set()  # 身份证号 given so far
        self.nominations: dict[tuple[int, str], list] = {}

    # -- the whole registry --------------------------------------------------

    def files(self) -> dict[str, str]:
        """Every file: each person's own, the units' nominations, and the org department's acts, made from the
        people's whole records by the same conversion `cadres migrate` uses."""
        files = {"units.yaml": self.units_file(), "audiences.yaml": self.audiences_file()}
        records = []
        for person in self.people():
            rel = f"cadres/{person['employment']['unit']}/{person['id']}.yaml"
            for name in ("id_number", "phone"):
                if person.get(name):
                    person[name] = self.sealer.seal(rel, person[name])
            records.append((f"registry/{rel}", person))
        units = {u[0]: u[1] for u in UNITS}
        result = migrate.split(records, "区委常委会", str(REF_YEAR))
        for path, own in result.people.items():
            files[path.removeprefix("registry/")] = dump(own)
        for path, values in result.acts.items():
            if path.startswith("registry/decisions/") and "ref" not in values:  # a promotion's own meeting
                year, month = int(values["date"][:4]), int(values["date"][5:7])
                ref = {"ref": f"区委常委会会议纪要〔{year}〕{month + 2}号"}
                result.acts[path] = {k: values[k] for k in ("body", "date")} | ref | values
        for path, text in migrate.files(result, units).items():
            files[path.removeprefix("registry/")] = text
        for (year, unit), candidates in sorted(self.nominations.items()):
            files[f"nominations/{year}/{unit}.yaml"] = self.nomination_file(year, unit, candidates)
        return files

    def units_file(self) -> str:
        units = [
            {
                "id": uid,
                "name": name,
                "aliases": UNIT_ALIASES[uid],
                "kind": kind,
                "order": 10 * (i + 1),
                "party_org": org,
                "leadership": {"chief": chief, "deputy": deputy},
                "reviewers": [f"@{uid}-office"],
            }
            for i, (uid, name, kind, org, chief, deputy, _) in enumerate(UNITS)
        ]
        return dump(
            {"units": units}, "单位名录：按官方排序号排列。reviewers 是该单位合并请求的审核人（GitLab 用户名）。"
        )

    def audiences_file(self) -> str:
        audiences = [
            {
                "id": "zuzhibu",
                "title": "区委组织部（全区）",
                "sees": "all",
                "statuses": "all",
                "sensitive": True,
                "reviewers": ["@zuzhibu-ganbuke"],
            },
            {
                "id": "changwei",
                "title": "区委常委",
                "sees": "all",
                "statuses": ["推荐", "考察", "在库", "已使用", "调整出库"],
                "sensitive": False,
                "edits": False,  # leaders read: no edit links, no file paths
            },
            {
                "id": "unit",
                "per_unit": True,
                "title": "{unit_name}（本单位）",
                "sees": "own-unit",
                "levels": ["副职"],
                "statuses": ["推荐", "考察", "在库"],
                "sensitive": False,
            },
        ]
        return dump({"audiences": audiences}, "网站读者：每个读者单独生成一个站点，只含其可见的人员和字段。")

    def nomination_file(self, year: int, unit: str, candidates: list) -> str:
        info = next(u for u in UNITS if u[0] == unit)
        eligible = self.rng.randint(30, 70)
        attended = eligible - self.rng.randint(0, 4)
        month = 6 if year <= LATEST_ROUND else 5  # the 推荐会, then the 测评 and the 考察, then the decision
        rows = [
            {"cadre": cid, "level": level, "votes": self.rng.randint(attended * 6 // 10, attended)}
            for cid, level in candidates
        ]
        return dump(
            {
                "unit": unit,
                "round": year,
                "nominated_by": info[3],
                "meeting": {
                    "date": f"{year}-{month:02d}-{self.rng.randint(3, 20):02d}",
                    "attended": attended,
                    "eligible": eligible,
                },
                "candidates": rows,
            }
        )

    def people(self):
        chiefs = round(self.pool * 90 / 210)
        plan = [("在库", "正职")] * chiefs + [("在库", "副职")] * (self.pool - chiefs)
        extra = max(1, self.pool // 35)
        plan += [("推荐", "副职")] * extra + [("考察", "正职")] * extra + [("考察", "副职")] * extra
        plan += [("已使用", "正职")] * (2 * extra) + [("调整出库", "副职")] * extra + [("关注", "副职")] * extra
        people = [self.person(i, status, level) for i, (status, level) in enumerate(plan)]
        self.deliberate_gaps(people)
        return people

    def deliberate_gaps(self, people: list) -> None:
        """What the demo gets wrong on purpose, so the site has true things to show."""
        pool = [p for p in people if p["reserve"]["status"] == "在库"]
        # two reviews overdue: entered in the 2023 round and not reviewed in 2025
        for person in [p for p in pool if p["reserve"]["entered"].startswith("2023")][:2]:
            person["reserve"].pop("reviewed", None)
        # one 不称职 year since entry: the 2027 round's plan proposes them out (七、建立淘汰机制)
        failing = next(
            p
            for p in pool
            if p["reserve"]["level"] == "副职"
            and p["reserve"]["entered"] < "2024"
            and p["reserve"].get("reviewed")
            and next(u[2] for u in UNITS if u[0] == p["employment"]["unit"]) == "乡镇街道"  # not one who moves
        )
        grade = "不合格" if failing["employment"]["establishment"] == "事业编制" else "不称职"
        failing["assessments"] = [
            dict(a, grade=grade) if a["year"] == REF_YEAR - 1 else a for a in failing["assessments"]
        ]
        # one waived rule: a 副职 from 公开选拔 without middle-management experience (R04)
        deputy = next(p for p in pool if p["reserve"]["level"] == "副职")
        if deputy["reserve"].pop("nomination", None):
            key = (int(deputy["reserve"]["entered"][:4]), deputy["employment"]["unit"])
            self.nominations[key] = [c for c in self.nominations[key] if c[0] != deputy["id"]]
            if not self.nominations[key]:
                del self.nominations[key]
        deputy["reserve"]["source"] = "公开选拔"
        selected(deputy, int(deputy["reserve"]["entered"][:4]))
        for item in deputy["resume"]:
            item.pop("middle_management", None)
            item["post"] = item["post"].replace("副科长", "科员").replace("科长", "科员")
        deputy["employment"]["post"] = deputy["resume"][-1]["post"]
        deputy["exceptions"] = [
            {
                "rule": "R04",
                "reason": "公开选拔考试第一名，专业急需，经研究同意暂缺中层岗位经历，入库后安排任职锻炼",
                "decided_by": "区委常委会",
                "date": deputy["reserve"]["decision"]["date"],
            }
        ]
        self.moves(pool)

    def moves(self, pool: list) -> None:
        """Two deputies moved to another unit in March 2025 with a new post there: the file moves to the new
        unit's folder and keeps its id; the earlier round's nomination stays with the old unit."""
        kinds = {u[0]: (u[2], u[6]) for u in UNITS}
        movers = [
            p
            for p in pool
            if p["reserve"]["level"] == "副职"
            and p["reserve"].get("nomination")
            and p["reserve"]["entered"] < "2024"
            and kinds[p["employment"]["unit"]][0] == "党政机关"
            and p["resume"][-1]["from"] <= "2024-06"
            and p["resume"][-1]["post"].endswith("科长")
            and "副科长" not in p["resume"][-1]["post"]
        ][:2]
        targets = [u[0] for u in UNITS if u[2] == "党政机关"]
        for person in movers:
            old = person["employment"]["unit"]
            new = targets[(targets.index(old) + 3) % len(targets)]
            last = person["resume"][-1]
            post = last["post"].replace(kinds[old][1], kinds[new][1], 1)
            closed = {"from": last["from"], "to": "2025-02", **{k: v for k, v in last.items() if k != "from"}}
            moved = {"from": "2025-03", "post": post, "rank": last["rank"], "middle_management": True}
            person["resume"] = [*person["resume"][:-1], closed, moved]
            person["employment"].update(unit=new, post=post, post_since="2025-03")

    # -- one person --------------------------------------------------------------

    def person(self, i: int, status: str, level: str) -> dict:
        rng = self.rng
        unit = UNITS[(i * 7 + rng.randint(0, 3)) % len(UNITS)] if i % 5 else UNITS[rng.randrange(len(UNITS))]
        uid, _, unit_kind, _, _, _, short = unit
        sex = "女" if rng.random() < 0.29 else "男"
        name = self.name(sex)
        # the policy's age structure: 正职 around 40 (some around 35), 副职 around 35 (some around 30)
        if level == "正职":
            age = rng.choice([38, 39, 40, 40, 41, 42, 39, 41, 35, 36, 34, 43, 44, 45, 37])
        else:
            age = rng.choice([33, 34, 35, 35, 36, 37, 34, 36, 29, 30, 31, 28, 32, 38, 39])
        birth_year, birth_month = REF_YEAR - age - (1 if rng.random() < 0.4 else 0), rng.randint(1, 12)
        birth = f"{birth_year}-{birth_month:02d}"
        if (birth_year, birth_month) > (REF_YEAR - age, REF_MONTH):
            birth = f"{birth_year - 1}-{birth_month:02d}"
        by = int(birth[:4])
        cadre_id = self.cadre_id(uid)

        # education: the higher of full-time and in-service counts
        specialties = rng.sample(SPECIALTIES, rng.choice([1, 1, 2]))
        roll = rng.random()
        if roll < 0.06:
            full = {"level": "大学专科", "degree": None, "school": rng.choice(SCHOOLS), "major": MAJORS[specialties[0]]}
            in_service = (
                {"level": "大学本科", "degree": None, "school": "中共安徽省委党校", "major": "经济管理"}
                if rng.random() < 0.4
                else None
            )
        elif roll < 0.16:
            full = {"level": "研究生", "degree": "硕士", "school": rng.choice(SCHOOLS), "major": MAJORS[specialties[0]]}
            in_service = None
        else:
            full = {
                "level": "大学本科",
                "degree": "学士",
                "school": rng.choice(SCHOOLS),
                "major": MAJORS[specialties[0]],
            }
            in_service = (
                {"level": "研究生", "degree": "硕士", "school": "安徽大学", "major": "公共管理"}
                if rng.random() < 0.06
                else None
            )
        education = {"full_time": {k: v for k, v in full.items() if v is not None}}
        if in_service:
            education["in_service"] = {k: v for k, v in in_service.items() if v is not None}
        start_age = {"大学专科": 21, "大学本科": 22, "研究生": 25}[full["level"]]
        work_year = by + start_age
        work = f"{work_year}-{rng.choice([7, 8, 9]):02d}"

        establishment = {"事业单位": "事业编制"}.get(
            unit_kind, rng.choice(["行政编制"] * 6 + ["参照公务员法管理事业编制"])
        )
        resume, post, rank = self.career(short, unit_kind, level, work)
        since = resume[-1]["from"]

        entered_round = self.round_for(status)
        if status == "在库" and level == "副职":
            entered_round = max(entered_round, eligible_round(resume))  # the conditions held when admitted
        political = "中共党员"
        if rng.random() < 0.03:
            political = rng.choice(NON_CPC)
        elif age < 31 and rng.random() < 0.1:
            political = "中共预备党员"
        person = {
            "id": cadre_id,
            "name": name,
            "sex": sex,
            "birth": birth,
            "ethnicity": rng.choice(ETHNIC_MINORITIES) if rng.random() < 0.02 else "汉族",
            "native_place": rng.choice(
                [
                    "安徽肥东",
                    "安徽肥西",
                    "安徽长丰",
                    "安徽庐江",
                    "安徽巢湖",
                    "安徽六安",
                    "安徽安庆",
                    "安徽桐城",
                    "安徽宿州",
                    "江苏南京",
                ]
            ),
            "birthplace": rng.choice(["安徽合肥", "安徽肥东", "安徽肥西", "安徽六安"]),
            "political_status": political,
        }
        if political in ("中共党员", "中共预备党员"):
            joined = (
                (REF_YEAR - rng.randint(0, 0), rng.randint(1, 9))
                if political == "中共预备党员"
                else (by + rng.randint(19, min(26, REF_YEAR - by - 1)), rng.randint(1, 12))
            )
            person["party_joined"] = f"{joined[0]}-{joined[1]:02d}"
        person.update(
            {
                "work_started": work,
                "health": "健康",
                "id_number": self.id_number(birth, sex),
                "phone": "139" + "".join(str(rng.randint(0, 9)) for _ in range(8)),
                "employment": {
                    "unit": uid,
                    "establishment": establishment,
                    "in_service": True,
                    "post": post,
                    "post_since": since,
                    "rank": rank,
                    "leadership_deputy": level == "正职",
                },
                "education": education,
                "specialties": specialties,
                "expertise": f"熟悉{specialties[0].removesuffix('工作')}工作，{rng.choice(STRENGTHS)}",  # 党务工作
                "resume": resume,
            }
        )
        person["reserve"] = self.reserve(person, status, level, entered_round)
        person["assessments"] = self.assessments(person, establishment, entered_round)
        self.archive(person, status, entered_round)
        return person

    def name(self, sex: str) -> str:
        chars = FEMALE if sex == "女" else MALE
        while True:
            surname = self.rng.choice(SURNAMES)
            given = self.rng.choice(chars) + (self.rng.choice(chars) if self.rng.random() < 0.7 else "")
            if surname + given not in self.names:
                self.names.add(surname + given)
                return surname + given

    def cadre_id(self, uid: str) -> str:
        prefix = UNIT_PINYIN_PREFIX[uid]
        self.ids[prefix] = self.ids.get(prefix, 0) + 1
        return f"{prefix}-{self.ids[prefix]:04d}"

    def id_number(self, birth: str, sex: str) -> str:
        """A valid 身份证号 for the birth month and sex, never one given before (X17: one person, one record)."""
        while True:
            day = self.rng.randint(1, 28)
            seq = self.rng.randint(0, 99) * 10 + self.rng.randrange(1 if sex == "男" else 0, 10, 2)
            first17 = f"{self.rng.choice(REGIONS)}{birth[:4]}{birth[5:7]}{day:02d}{seq:03d}"
            number = first17 + id_check_char(first17)
            if number not in self.numbers:
                self.numbers.add(number)
                return number

    def career(self, short: str, unit_kind: str, level: str, work: str):
        """A resume that meets the policy's conditions for its level (R02–R04)."""
        rng = self.rng
        year, month = int(work[:4]), int(work[5:])
        office = (
            rng.choice(OFFICES)
            if unit_kind != "乡镇街道"
            else rng.choice(["党政办", "经济发展办", "社会事务办", "城市管理办"])
        )
        steps = [(f"{short}{office}科员", "科员", False)]
        if unit_kind == "乡镇街道":
            steps += [(f"{short}{office}副主任", "科员", True), (f"{short}{office}主任", "副科级", True)]
            top = f"{short}{'副镇长' if short.endswith('镇') else '办事处副主任'}"
        else:
            steps += [(f"{short}{office}副科长", "科员", True), (f"{short}{office}科长", "副科级", True)]
            top = f"{short}副{'局长' if short.endswith('局') else '主任'}"
        if level == "正职":
            steps.append((top, "副科级", False))
        months_left = (REF_YEAR - year) * 12 + (REF_MONTH - month) - rng.randint(2, 10)
        shares = [rng.randint(24, 60) for _ in steps]
        scale = months_left / sum(shares)
        lengths = [max(12, int(s * scale)) for s in shares[:-1]]
        resume, cursor = [], year * 12 + month - 1
        for (post, rank, middle), length in zip(steps, [*lengths, None], strict=False):
            item = {"from": f"{cursor // 12}-{cursor % 12 + 1:02d}"}
            if length is not None:
                end = cursor + length - 1
                item["to"] = f"{end // 12}-{end % 12 + 1:02d}"
                cursor = end + 1
            item.update({"post": post, "rank": rank})
            if middle:
                item["middle_management"] = True
            resume.append(item)
        return resume, steps[-1][0], steps[-1][1]

    def round_for(self, status: str) -> int:
        if status in ("推荐", "考察", "关注"):
            return LATEST_ROUND + 1
        if status in ("已使用", "调整出库"):
            return self.rng.choice([2021, 2023])  # left in the 2023 or 2025 round
        return self.rng.choice([2019, 2021, 2023, 2023, 2025, 2025, 2025])

    def reserve(self, person: dict, status: str, level: str, year: int) -> dict:
        rng = self.rng
        source = (
            "民主推荐" if rng.random() < 0.85 else rng.choice(["公开选拔", "竞争上岗", "年度考核连续优秀", "公推竞职"])
        )
        if status == "关注":
            source = "柔性交流"
        elif source == "年度考核连续优秀" and int(person["work_started"][:4]) + 1 > year - 3:
            source = "公开选拔"  # R09: three assessed years before entry are needed
        reserve = {
            "level": level,
            "track": rng.choice(["近期备用", "中期强化", "中期强化", "远期储备"]),
            "direction": "区直部门正职" if level == "正职" else rng.choice(["区直部门副职", "乡镇街道副职"]),
            "source": source,
        }
        if source == "民主推荐":
            reserve["nomination"] = f"{year}/{person['employment']['unit']}"
            self.nominations.setdefault((year, person["employment"]["unit"]), []).append((person["id"], level))
        reserve["status"] = status
        if status in ("在库", "已使用", "调整出库"):
            rng.randint(10, 26), rng.randint(18, 30)  # drawn as before, so every later draw stays the same
            day, ref = round_meeting(year)
            reserve["decision"] = {"body": "区委常委会", "date": day, "ref": ref}
            reserve["entered"] = day
            if year < LATEST_ROUND and status == "在库":
                rng.randint(10, 26)
                reserve["reviewed"] = round_meeting(LATEST_ROUND)[0]
        if status == "已使用":  # a promotion decided by the 区委常委会 at a meeting of its own
            month = rng.randint(1, 12)
            reserve["exit"] = {"date": f"{year + 2}-{month:02d}-{6 + month:02d}", "reason": "提拔使用"}
        elif status == "调整出库":
            reserve["exit"] = {
                "date": round_meeting(year + 2)[0],
                "reason": rng.choice(["工作调动离开本区", "两年一次调整中未再列入"]),
            }
        return reserve

    def assessments(self, person: dict, establishment: str, year: int) -> list:
        good = "合格" if establishment == "事业编制" else "称职"
        streak = person["reserve"]["source"] == "年度考核连续优秀"
        start = max(int(person["work_started"][:4]) + 1, min(REF_YEAR - 9, year - 3) if streak else REF_YEAR - 9)
        rows = []
        for y in range(start, REF_YEAR):
            excellent = self.rng.random() < 0.3 or (streak and year - 3 <= y < year)
            rows.append({"year": y, "grade": "优秀" if excellent else good})
        return rows

    def archive(self, person: dict, status: str, year: int) -> None:
        """民主测评, 考察, 培养方案, 培训, 锻炼, 奖惩: what the archive holds at this status."""
        rng = self.rng
        if status == "关注":  # 跟踪了解: the category and dated observations, no random draw
            person["tracking"] = {
                "category": "“柔性”交流人员",
                "log": [
                    {"date": f"{REF_YEAR}-03", "text": "在交流岗位上熟悉情况快，群众反映较好"},
                    {"date": f"{REF_YEAR}-09", "text": "参与重点项目攻坚，协调能力较强，可列为下一轮推荐人选"},
                ],
            }
            return
        selected(person, year)
        participants = rng.randint(28, 65)
        excellent = rng.randint(participants * 55 // 100, participants * 85 // 100)
        competent = rng.randint(max(0, -(-2 * participants // 3) - excellent), participants - excellent)  # R07: ≥ 2/3
        basic = rng.randint(0, participants - excellent - competent)
        person["evaluations"] = [
            {
                "date": f"{year}-{7 if year <= LATEST_ROUND else 6:02d}",  # after the round's 推荐会
                "kind": "民主测评",
                "participants": participants,
                "excellent": excellent,
                "competent": competent,
                "basic": basic,
                "incompetent": 0,
            }
        ]
        if status == "在库" and year < LATEST_ROUND:  # reviewed in the latest round: its 民主评议, no random draw
            person["evaluations"].append(
                dict(person["evaluations"][0], date=f"{LATEST_ROUND}-07", kind="民主评议", incompetent=0)
            )
        if status == "推荐":
            return
        person["inspection"] = {
            "date": f"{year}-{8 if year <= LATEST_ROUND else 9:02d}",
            "by": "区委组织部考察组",
            "summary": f"该同志政治立场坚定，{rng.choice(['工作思路清晰', '业务能力较强', '敢于担当', '作风扎实'])}，"
            f"{rng.choice(['群众基础较好', '民主测评优秀率较高', '团结同志'])}；不足是{rng.choice(WEAKNESSES)}。",
        }
        person["development_plan"] = rng.choice(
            [
                "安排到街道挂职锻炼一年，参加区委党校中青年干部培训班",
                "交流到综合部门轮岗，参加科级后备干部培训班",
                "参加区委党校科级后备干部培训班，承担重点项目攻坚任务",
            ]
        )
        if status == "考察":
            return
        if rng.random() < 0.95:
            person["training"] = [
                {
                    "from": f"{year + 1}-03",
                    "to": f"{year + 1}-05",
                    "institution": "区委党校",
                    "program": "科级后备干部培训班",
                    "hours": 120,
                }
            ]
            if year + 1 > REF_YEAR or (year + 1 == REF_YEAR and REF_MONTH < 5):
                person.pop("training")
        if rng.random() < 0.45:
            start = rng.randint(year + 1, REF_YEAR)
            month = rng.randint(1, REF_MONTH if start == REF_YEAR else 12)
            end = start * 12 + month - 1 + 11
            practice = {
                "from": f"{start}-{month:02d}",
                "kind": rng.choice(["挂职", "挂职", "柔性流动", "轮岗"]),
                "place": rng.choice([u[1] for u in UNITS if u[2] == "乡镇街道"]) + rng.choice(["", "某社区"]),
                "post": rng.choice(["党工委副书记（挂职）", "社区党委副书记（挂职）", "副主任（挂职）"]),
            }
            if end // 12 * 12 + end % 12 < REF_YEAR * 12 + REF_MONTH - 1:
                practice = {
                    "from": practice["from"],
                    "to": f"{end // 12}-{end % 12 + 1:02d}",
                    **{k: v for k, v in practice.items() if k != "from"},
                }
            person["practice"] = [practice]
        if rng.random() < 0.2:
            person["rewards_punishments"] = [
                {
                    "date": f"{rng.randint(year - 3, min(year + 1, REF_YEAR - 1))}-12",
                    "kind": "奖励",
                    "text": rng.choice(["记三等功", "嘉奖", "优秀共产党员", "先进工作者"]),
                }
            ]
        if status == "在库" and not any(person.get(k) for k in ("training", "practice", "rewards_punishments")):
            # the archive's 培养情况 (X29): a rotation within the unit, no random draw; T14 still misses them
            person["practice"] = [
                {
                    "from": f"{year + 1}-01",
                    "to": f"{year + 1}-06",
                    "kind": "轮岗",
                    "place": next(u[1] for u in UNITS if u[0] == person["employment"]["unit"]),
                    "post": "轮岗交流",
                }
            ]


if __name__ == "__main__":
    sys.exit(main())
