"""Reading the registry: find its files, load each strictly and check it against its schema.

Each file's result (its values and its load and schema findings) depends only
on its bytes and on the schemas, so it is cached by content hash; a change to
any schema, code table, policy.yaml or to any file of this program invalidates
the whole cache. Files not in the cache are loaded on every core when there are many.
"""

from __future__ import annotations

import functools
import hashlib
import marshal
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

from generator.core import cachefile, defaults, parallel
from generator.core.findings import ERROR, UNSEEN, Finding, shown_codes
from generator.registry import acts, sealed
from generator.registry.load import MAX_BYTES, Document, load_bytes, load_file, too_large
from generator.registry.records import (
    AudienceSpec,
    Cadre,
    DecisionAct,
    InspectionAct,
    NominationAct,
    Unit,
    WatchList,
)
from generator.registry.schema import Schemas, read_schemas

CONFIG_FILES = {"policy.yaml": "policy", "units.yaml": "unit", "audiences.yaml": "audiences"}
CONFIG_KINDS = frozenset(CONFIG_FILES.values())
_CADRE = re.compile(r"^cadres/[^/]+/[^/]+\.yaml$")
_NOMINATION = re.compile(r"^nominations/[^/]+/[^/]+\.yaml$")
_INSPECTION = re.compile(r"^inspections/[^/]+/[^/]+\.yaml$")
_DECISION = re.compile(r"^decisions/[^/]+\.yaml$")
ACT_FILES = {"watch.yaml": "watch"}  # optional files of the org department beside the configuration
UNIT_REPOSITORY = "registry/unit-repository.txt"  # in a unit repository (cadres unit-export): the unit's id

D = TypeVar("D")


@dataclass
class Entry(Generic[D]):
    """One file of the registry: where it is and, if it loaded, its values.

    `Entry[Cadre]`, `Entry[DecisionAct]`…: a valid file of that kind, as the Registry's accessors give them
    (generator/registry/records.py); a bare `Entry` is any file, its values whatever YAML it held.
    """

    path: str  # relative to the project root, forward slashes
    kind: str
    data: D  # the loaded YAML values (None when it did not load): a dict for every file that passed its schema
    valid: bool = False  # loaded and passed its schema
    own: Any = None  # a person's file: its own values, when `data` adds what the acts say (acts.assemble)


@dataclass
class Registry:
    root: Path  # the project root, holding registry/ and schemas/
    schemas: Schemas
    entries: list[Entry] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # loading and schema findings
    origins: dict = field(default_factory=dict, repr=False)  # person file -> {derived field: (act file, path)}
    unenrolled: set = field(default_factory=set, repr=False)  # people's valid files that no act names (X22)
    digests: dict = field(default_factory=dict, repr=False)  # file -> its content hash, for each file load_registry saw
    _docs: dict = field(default_factory=dict, repr=False)
    _kinds: dict = field(default_factory=dict, repr=False)
    _by_kind: tuple = field(default=(None, 0, {}), repr=False, compare=False)  # (the entries indexed, count, index)

    def of_kind(self, kind: str, valid_only: bool = True) -> list[Entry[Any]]:
        """The files of a kind (the valid ones, by default), in the registry's order. Indexed once for the
        entries as they are (the list replaced or grown: indexed again): `registry.policy`, `units` and
        `cadres` are read in loops, and a scan of every file per call made R11 quadratic once."""
        made_for, count, index = self._by_kind
        if made_for is not self.entries or count != len(self.entries):
            index = {}
            for entry in self.entries:
                index.setdefault((entry.kind, False), []).append(entry)
                if entry.valid:
                    index.setdefault((entry.kind, True), []).append(entry)
            self._by_kind = (self.entries, len(self.entries), index)
        return list(index.get((kind, valid_only), ()))

    def config(self, kind: str) -> Any:
        """The values of policy.yaml, units.yaml or audiences.yaml, or None when it is missing or invalid."""
        found = self.of_kind(kind)
        return found[0].data if found else None

    @functools.cached_property
    def recipients(self) -> list:
        """The public keys every personal number is sealed to (registry/recipients.txt); SealError without them."""
        return sealed.recipients(self.root)

    @property
    def policy(self) -> dict | None:
        return self.config("policy")

    @property
    def valid_policy(self) -> dict:
        """policy.yaml's values, for the stages after validation (which stops on a missing or broken policy)."""
        policy = self.policy
        if policy is None:
            raise ValueError("registry/policy.yaml 缺失或有错误；请先运行 cadres validate 并改正")
        return policy

    @functools.cached_property
    def scope_unit(self) -> str | None:
        """In a unit repository (`cadres unit-export`), the unit it holds; None in the district's registry."""
        marker = self.root / UNIT_REPOSITORY
        if not marker.is_file() or marker.is_symlink():
            return None
        return scope_of(marker.read_bytes())

    @property
    def units(self) -> list[Unit]:
        data = self.config("unit")
        return data["units"] if data else []

    @property
    def audiences(self) -> list[AudienceSpec]:
        data = self.config("audiences")
        return data["audiences"] if data else []

    @property
    def cadres(self) -> list[Entry[Cadre]]:
        """Every person's valid record, with what the acts derive (acts.assemble)."""
        return cast("list[Entry[Cadre]]", self.of_kind("cadre"))

    @property
    def nominations(self) -> list[Entry[NominationAct]]:
        return cast("list[Entry[NominationAct]]", self.of_kind("nomination"))

    @property
    def inspections(self) -> list[Entry[InspectionAct]]:
        return cast("list[Entry[InspectionAct]]", self.of_kind("inspection"))

    @property
    def decisions(self) -> list[Entry[DecisionAct]]:
        return cast("list[Entry[DecisionAct]]", self.of_kind("decision"))

    @property
    def watch_lists(self) -> list[Entry[WatchList]]:
        """registry/watch.yaml, when it is there and valid: none or one."""
        return cast("list[Entry[WatchList]]", self.of_kind("watch"))

    def origin(self, path: str, field_path: tuple) -> tuple[str, tuple]:
        """The file and field a value of a person's record comes from: an act's, for what the acts derive."""
        return acts.origin(self.origins, path, field_path)

    def kind_at(self, path: str) -> str:
        if not self._kinds:
            self._kinds.update((e.path, e.kind) for e in self.entries)
        return self._kinds[path]

    def locate(self, path: str, field_path: tuple) -> tuple[int, int]:
        """Line and column of a field in a file, read again only when a finding needs it."""
        doc = self._docs.get(path)
        if doc is None:
            doc = load_file(self.root / path, path, self.schemas.types[self.kind_at(path)])
            self._docs[path] = doc
        return doc.mark(field_path)


def load_registry(root: Path | str, *, cache_dir: Path | None = None, jobs: int | None = None) -> Registry:
    """Load every file under root/registry, checked against the repository's schemas or the shipped ones."""
    root = Path(root)
    schemas = read_schemas(defaults.path(root, "schemas"))
    registry = Registry(root, schemas)
    files, stray = _discover(root)
    registry.findings.extend(stray)
    cache = _Cache(cache_dir, _fingerprint(root, schemas)) if cache_dir else None

    todo = []
    with cachefile.collector_paused():  # the cached values: millions of objects, no garbage
        for rel, kind in files:
            with open(os.path.join(root, rel), "rb") as fh:
                raw = fh.read(MAX_BYTES + 1)  # a larger file is refused whatever the rest holds
                if len(raw) > MAX_BYTES:
                    _add(registry, rel, kind, None, [too_large(rel, os.fstat(fh.fileno()).st_size)])
                    registry.digests[rel] = None  # never read: all there is to it is its Y06
                    continue
            digest = hashlib.blake2b(raw, digest_size=16).hexdigest()
            registry.digests[rel] = digest
            # the configuration decides who sees what: read from its file every time, never from a cache
            hit = cache.get(rel, digest) if cache and kind not in CONFIG_KINDS else None
            if hit is not None:
                _add(registry, rel, kind, *hit)
            else:
                todo.append((rel, kind, raw, digest))

    loaded = parallel.fork_map(_load_one, todo, schemas, jobs)
    with cachefile.collector_paused():
        for rel, kind, digest, values in loaded:
            if cache and kind not in CONFIG_KINDS:
                cache.put(rel, digest, values)
            _add(registry, rel, kind, *marshal.loads(values))
    if cache:
        cache.save({rel for rel, _ in files})
    registry.entries.sort(key=lambda e: e.path)
    acts.assemble(registry)
    return registry


# --------------------------------------------------------------------------


def _add(registry: Registry, rel: str, kind: str, data: object, found: list) -> None:
    """Record one loaded file; `found` holds its findings, as Finding objects or as cached tuples."""
    findings = [f if isinstance(f, Finding) else Finding(*f) for f in found]
    registry.findings.extend(findings)
    loaded = data is not None
    valid = loaded and not any(f.severity == ERROR for f in findings)
    registry.entries.append(Entry(rel, kind, data, valid))


def scope_of(raw: bytes | None) -> str | None:
    """The unit a unit repository's marker names (one id on a line of its own; `#` lines are comments)."""
    lines = [ln.strip() for ln in (raw or b"").decode("utf-8", "replace").splitlines()]
    found = [ln for ln in lines if ln and not ln.startswith("#")]
    return found[0] if len(found) == 1 and re.fullmatch(r"[a-z0-9][a-z0-9-]*", found[0]) else None


def with_files(registry: Registry, changes: Mapping[str, bytes | None]) -> Registry:
    """A copy of a loaded registry in which some files hold other bytes, are new, or are gone (None).

    Only the changed files are loaded; everything else is shared with `registry`.
    It checks an edit before it is written: the tests call each check on one
    edited record this way instead of reading the whole registry again.
    """
    out = Registry(registry.root, registry.schemas)
    out.scope_unit = scope_of(changes[UNIT_REPOSITORY]) if UNIT_REPOSITORY in changes else registry.scope_unit
    out.entries = [e for e in registry.entries if e.path not in changes]
    out.findings = [f for f in registry.findings if f.path not in changes and f.code != "X22"]
    out._docs = {path: doc for path, doc in registry._docs.items() if path not in changes}
    for rel, raw in changes.items():
        if raw is None:
            continue
        kind = None if UNSEEN.search(rel) else kind_of(rel)
        if kind is None:
            out.findings.append(_unseen_in_name(rel) if UNSEEN.search(rel) else _stray(rel))
            continue
        doc = load_bytes(raw, rel, registry.schemas.types[kind])
        out._docs[rel] = doc
        _add(out, rel, kind, doc.data, doc.findings or registry.schemas.validate(kind, doc))
    out.entries.sort(key=lambda e: e.path)
    acts.assemble(out)
    return out


def kind_of(rel: str) -> str | None:
    """What a file of the registry is, by its path relative to the project root (None: not a registry file)."""
    inside = rel.removeprefix("registry/")
    if inside in CONFIG_FILES:
        return CONFIG_FILES[inside]
    if inside in ACT_FILES:
        return ACT_FILES[inside]
    if _CADRE.match(inside):
        return "cadre"
    if _NOMINATION.match(inside):
        return "nomination"
    if _INSPECTION.match(inside):
        return "inspection"
    if _DECISION.match(inside):
        return "decision"
    return None


def _x11(rel: str, message: str, hint: str) -> Finding:
    return Finding(rel, 1, 1, ERROR, "X11", "", "", message, hint)


def _stray(rel: str) -> Finding:
    return _x11(
        rel,
        "这个文件不在名册认识的位置，不会被读取",
        "干部记录放在 registry/cadres/<单位编号>/<编号>.yaml，"
        "推荐记录放在 registry/nominations/<年份>/<单位编号>.yaml，"
        "考察记录放在 registry/inspections/<年份>/<单位编号>.yaml，决定放在 registry/decisions/<日期>.yaml，"
        "扩展名用 .yaml",
    )


def _unseen_in_name(rel: str) -> Finding:
    return _x11(
        rel,
        f"文件名或目录名含有看不见的字符（{shown_codes(rel)}：控制字符、方向控制字符或零宽字符），不会被读取",
        "这样的名字能让检查报告和日志显示假的内容：请把它改名，只用字母、数字和连字符（如 kej-0001.yaml）",
    )


def _not_regular(rel: str) -> Finding:
    return _x11(
        rel, "这不是普通文件（是符号链接、管道或设备），不会被读取", "名册只读仓库里的普通文件：请把它换成文件本身"
    )


def _discover(root: Path) -> tuple[list[tuple[str, str]], list[Finding]]:
    base = root / "registry"
    files, stray = [], []
    for name, kind in CONFIG_FILES.items():
        mode = os.lstat(base / name).st_mode if os.path.lexists(base / name) else None
        if mode is not None and not stat.S_ISREG(mode):
            stray.append(_not_regular(f"registry/{name}"))
        elif mode is not None:
            files.append((f"registry/{name}", kind))
        else:
            stray.append(
                Finding(
                    f"registry/{name}",
                    1,
                    1,
                    ERROR,
                    "X10",
                    "",
                    "",
                    "缺少这个文件",
                    "名册需要 policy.yaml、units.yaml 和 audiences.yaml 三个配置文件",
                )
            )
    prefix = len(str(base)) + 1
    for folder, dirs, names in os.walk(base):
        dirs.sort()
        for name in sorted(names):
            rel = os.path.join(folder, name)[prefix:].replace(os.sep, "/")
            if rel in CONFIG_FILES:
                continue
            if UNSEEN.search(rel):
                stray.append(_unseen_in_name(f"registry/{rel}"))
                continue
            found = kind_of(f"registry/{rel}")
            yaml_name = name.lower().endswith((".yaml", ".yml"))
            if (found or yaml_name) and not stat.S_ISREG(os.lstat(os.path.join(folder, name)).st_mode):
                stray.append(_not_regular(f"registry/{rel}"))  # a symlink, a pipe, a device: never opened
            elif found is not None:
                files.append((f"registry/{rel}", found))
            elif yaml_name:
                stray.append(_stray(f"registry/{rel}"))
    return files, stray


def _load_one(schemas: Schemas, item: tuple[str, str, bytes, str]) -> tuple[str, str, str, bytes]:
    """One file loaded and checked against its schema: its values and findings marshalled, as the cache keeps them
    (a worker sends back bytes, cheaper to send and to read than the values themselves)."""
    rel, kind, raw, digest = item
    doc: Document = load_bytes(raw, rel, schemas.types[kind])
    found = doc.findings or schemas.validate(kind, doc)
    data: Any = doc.data  # YAML's values: dicts, lists, texts, numbers, true/false, None
    # format 2 has no back-references, whose presence depends on how objects are shared: same values, same bytes
    return rel, kind, digest, marshal.dumps((data, [f.as_tuple() for f in found]), 2)


def _fingerprint(root: Path, schemas: Schemas) -> str:
    """What every cached result depends on besides its file: schemas, code tables, policy, this program."""
    digest = hashlib.sha256(f"{cachefile.program_fingerprint()}\0{schemas.fingerprint}".encode())
    policy = root / "registry" / "policy.yaml"
    digest.update(policy.read_bytes() if policy.is_file() else b"")
    return digest.hexdigest()


class _Cache:
    """{path: (content hash, values and findings marshalled, seal)} in one marshal file, valid for one fingerprint.

    The seal is a hash of the other two: an entry edited in place, or of the wrong shape, does not match
    it and is discarded (the file is loaded again), so a cache can cost time but never hide an error. It is
    no defence against someone who rewrites the seal too: that is why the configuration is never cached,
    `audit-site` and the publishing job use no cache, and CI keeps a merge request's cache apart from main's.
    Each entry's values are kept as the bytes they were marshalled to, and the seal is a hash of those bytes:
    checking it costs a hash of a few KB, not marshalling the values again.
    """

    def __init__(self, folder: Path, fingerprint: str) -> None:
        self.file = Path(folder) / "validate.marshal"
        self.fingerprint = fingerprint
        self.entries: dict = cachefile.read(self.file, fingerprint)
        self.dirty = False

    def get(self, rel: str, digest: str) -> tuple[Any, list] | None:
        hit = self.entries.get(rel)
        try:
            stored, values, seal = hit  # type: ignore[misc]
            if stored != digest or seal != _seal(stored, values):
                raise ValueError
            data, found = marshal.loads(values)
            if not all(len(f) == 9 for f in found):
                raise ValueError
            return data, found
        except (TypeError, ValueError, EOFError):
            if hit is not None:
                del self.entries[rel]
                self.dirty = True
            return None

    def put(self, rel: str, digest: str, values: bytes) -> None:
        """Keep a file's values and findings, marshalled as _load_one gives them."""
        self.entries[rel] = (digest, values, _seal(digest, values))
        self.dirty = True

    def save(self, present: set) -> None:
        gone = set(self.entries) - present
        for rel in gone:
            del self.entries[rel]
        if self.dirty or gone:
            cachefile.write(self.file, self.fingerprint, self.entries)


def _seal(digest: Any, values: Any) -> str:
    """A hash of one cache entry's content hash and marshalled values (TypeError when they are not text and bytes:
    a forged entry)."""
    seal = hashlib.blake2b(digest.encode(), digest_size=16)
    seal.update(b"\0")
    seal.update(values)
    return seal.hexdigest()
