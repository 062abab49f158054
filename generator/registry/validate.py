"""Validation: loading and schema findings, then the checks, for the whole registry."""

from __future__ import annotations

import datetime as _dt
import hashlib
import marshal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from generator.core import cachefile
from generator.core.findings import ERROR, Finding, sort_unique
from generator.registry import codeowners, sealed
from generator.registry.checks import CHECKS
from generator.registry.engine import post_words_file, run_checks
from generator.registry.files import Registry, load_registry
from generator.registry.rules import RULES


def validate(
    root: Path | str,
    *,
    as_of: _dt.date,
    paths: Sequence[str | Path] | None = None,
    cache_dir: Path | None = None,
    jobs: int | None = None,
) -> tuple[Registry, list[Finding]]:
    """Every finding in the registry under `root`, sorted and de-duplicated.

    `paths` narrows what is reported (files or folders, relative to root or
    absolute), not what is checked: cross-record checks always see the whole registry.
    An error is reported wherever it is, as the merge request's pipeline, which checks
    every file, would fail on it: a change to one file can make another wrong (a person
    taken out of a nomination breaks the org department's record of them), and the
    pre-commit hook, which passes the changed files, judges what the pipeline judges.
    """
    with cachefile.collector_paused():  # loading makes millions of objects and no garbage (workers collect theirs)
        registry = load_registry(root, cache_dir=cache_dir, jobs=jobs)
        found = check(registry, as_of, cache_dir=cache_dir)
    if paths:
        asked = reported(root, paths)
        found = [f for f in found if f.code in RUN_NOTES or f.severity == ERROR or asked(f.path)]
    return registry, found


# findings about the run, not a file: said however the run is narrowed (a check that did not run is never silent)
RUN_NOTES = frozenset({"X21"})


# errors only a run with the key can find (the numbers themselves): a merge request's pipeline cannot see them
KEYED = frozenset({"X17", "X20"})


def withheld(found: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    """(the errors that stop a build, the errors that only the key could find before the merge).

    A number error that reached main (X17, X20, R12 on 身份证号: the merge request's pipeline had no key)
    withholds the records it is about from the sites, and the rest is published; any other error stops
    the build, and the sites already published stay.
    """
    errors = [f for f in found if f.severity == ERROR]
    keyed = [f for f in errors if f.code in KEYED or (f.code == "R12" and f.field == "id_number")]
    return [f for f in errors if f not in keyed], keyed


def check(registry: Registry, as_of: _dt.date, *, cache_dir: Path | None = None) -> list[Finding]:
    """Every finding of a loaded registry: loading and schema, the checks and the policy's rules, sorted once.

    The checks read policy.yaml's figures: while it is missing or wrong, its own findings (file, line, field,
    what to write) are what there is to say, and nothing is judged against figures that are not there.
    With `cache_dir`, the findings of the last run are given again when nothing they depend on has changed
    (_Checked)."""
    if registry.policy is None:
        return sort_unique(registry.findings)
    table = CHECKS + RULES
    key = inputs(registry, as_of) if cache_dir else None
    # the checks that never read a number run with no key at all: the same findings whoever runs them, kept
    found = _kept(
        cache_dir,
        key,
        "checks",
        lambda: run_checks(registry, as_of, [c for c in table if not c.numbers], keys=sealed.Keys()),
    )
    # those that do (X17, X20, X21, R12 on 身份证号) run with the run's key, and are kept only without one
    numbers = [c for c in table if c.numbers]
    if _keyed():
        found = found + run_checks(registry, as_of, numbers)
    else:
        found = found + _kept(cache_dir, key, "numbers", lambda: run_checks(registry, as_of, numbers))
    return sort_unique(registry.findings + found)


def _keyed() -> bool:
    """This run has a key to the sealed numbers (a key that cannot be read: said by X21, as without one)."""
    try:
        return sealed.keys().available
    except sealed.SealError:
        return True  # not kept: the message is the run's


def _kept(cache_dir: Path | None, key: str | None, part: str, run: Callable[[], list[Finding]]) -> list[Finding]:
    """`run()`'s findings, or the kept ones of the last run when nothing they depend on has changed (`key`)."""
    cache = _Checked(cache_dir, key, part) if cache_dir else None
    found = cache.get() if cache else None
    if found is None:
        found = run()
        if cache:
            cache.put(found)
    return found


class _Checked:
    """The findings of the last run over the whole registry, kept while nothing they depend on changes.

    The checks judge the registry as a whole: any change anywhere can change any finding. So one result is
    kept, under a key made of everything the checks read: this program and the Python running it, the
    schemas and code tables, the as-of date, every file of the registry by its content hash (the
    configuration included) and every loading finding (a stray file, one too large), the unit repository's
    marker, recipients.txt, CODEOWNERS and post_words.yaml. A change to any of them is another key: the
    checks run again. Two parts are kept apart (`part`): the checks that never read a number, run with no
    key at all, and those that do, kept only from a run without a key (nothing opened with one is written to
    disk). A registry not read whole by load_registry (with_files) has no key. Sealed as the files' cache is:
    a result edited in place, or of the wrong shape, is discarded and the checks run.
    """

    def __init__(self, folder: Path, key: str | None, part: str) -> None:
        self.file = Path(folder) / f"{part}.marshal"
        self.key = key  # inputs(): None, never kept

    def get(self) -> list[Finding] | None:
        if self.key is None:
            return None
        stored = cachefile.read(self.file, self.key)
        try:
            found, seal = stored["findings"], stored["seal"]
            if seal != _seal(found) or not all(_is_finding(f) for f in found):
                return None
            return [Finding(*f) for f in found]
        except (KeyError, TypeError, ValueError):
            return None

    def put(self, found: list[Finding]) -> None:
        if self.key is not None:
            tuples = [f.as_tuple() for f in found]
            cachefile.write(self.file, self.key, {"findings": tuples, "seal": _seal(tuples)})


def inputs(registry: Registry, as_of: _dt.date) -> str | None:
    """A hash of everything the checks read besides this program's code (None: the result is not to be kept)."""
    if any(entry.path not in registry.digests for entry in registry.entries):
        return None  # a registry with files changed in memory (with_files)
    root = Path(registry.root)
    parts = (
        ("checks", 2, sys.version),  # 2: kept in two parts, with and without the numbers
        cachefile.program_fingerprint(),
        registry.schemas.fingerprint,
        as_of.isoformat(),
        [(e.path, e.kind, registry.digests[e.path]) for e in registry.entries],
        sorted(f.as_tuple() for f in registry.findings),
        registry.scope_unit,
        *(_content(path) for path in (root / sealed.RECIPIENTS, root / codeowners.FILE)),
        _content(post_words_file(registry.schemas.folder)),
    )
    digest = hashlib.sha256()
    for part in parts:
        digest.update(marshal.dumps(part, 2))
    return digest.hexdigest()


def _content(path: Path) -> tuple:
    """A file's bytes as the key holds them: what a check would read, or why it could not."""
    try:
        return ("bytes", path.read_bytes())
    except OSError as exc:
        return ("unreadable", type(exc).__name__)


def _seal(found: list) -> str:
    return hashlib.blake2b(marshal.dumps(found, 2), digest_size=16).hexdigest()


_FINDING_TYPES = (str, int, int, str, str, str, str, str, str)


def _is_finding(value: object) -> bool:
    return (
        isinstance(value, tuple)
        and len(value) == len(_FINDING_TYPES)
        and all(type(v) is t for v, t in zip(value, _FINDING_TYPES, strict=True))
    )


def reported(root: Path | str, paths: Sequence[str | Path] | None) -> Callable[[str], bool]:
    """Whether a file is among those `paths` asks about (all, when none are given).

    The paths are resolved once; asking about a file looks up it and its folders (a few set lookups),
    so reporting stays linear in the findings however many paths are given.
    """
    if not paths:
        return lambda _path: True
    wanted = {_relative(root, given).rstrip("/") for given in paths}

    def asked(path: str) -> bool:
        parts = path.split("/")
        return any("/".join(parts[:n]) in wanted for n in range(len(parts), 0, -1))

    return asked


def _relative(root: Path | str, path: str | Path) -> str:
    path = Path(path)
    if path.is_absolute():
        try:
            return path.resolve().relative_to(Path(root).resolve()).as_posix()
        except ValueError:
            return path.as_posix()
    return path.as_posix().removeprefix("./")
