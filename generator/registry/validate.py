"""Validation: loading and schema findings, then the checks, for the whole registry."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Sequence
from pathlib import Path

from generator.core.findings import ERROR, Finding, sort_unique
from generator.registry.checks import CHECKS, run_checks
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
    registry = load_registry(root, cache_dir=cache_dir, jobs=jobs)
    found = check(registry, as_of)
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


def check(registry: Registry, as_of: _dt.date) -> list[Finding]:
    """Every finding of a loaded registry: loading and schema, the checks and the policy's rules, sorted once.

    The checks read policy.yaml's figures: while it is missing or wrong, its own findings (file, line, field,
    what to write) are what there is to say, and nothing is judged against figures that are not there."""
    if registry.policy is None:
        return sort_unique(registry.findings)
    return sort_unique(registry.findings + run_checks(registry, as_of, CHECKS + RULES))


def reported(root: Path | str, paths: Sequence[str | Path] | None) -> Callable[[str], bool]:
    """Whether a file is among those `paths` asks about (all, when none are given).

    The paths are resolved once; asking about a file looks up it and its folders (a few set lookups),
    so reporting stays linear in the findings however many paths are given.
    """
    if not paths:
        return lambda path: True
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
