"""`cadres build`: validate, withhold only the people a keyed error is about, build every audience's site (in this
project's checkout, with the demo's change log: benchmarks/demo_history.py)."""

from __future__ import annotations

import datetime as _dt
import importlib.util
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.core import defaults
from generator.core.findings import Finding
from generator.git.repo import brought_by
from generator.registry.files import with_files
from generator.registry.validate import validate, withheld
from generator.site.build import build


@dataclass
class Built:
    errors: list[Finding] = field(default_factory=list)  # the registry's errors: nothing built
    findings: list[Finding] = field(default_factory=list)  # every finding, for the count line
    withheld: list[tuple[Finding, str]] = field(default_factory=list)  # keyed errors and who brought each
    sites: list[str] = field(default_factory=list)  # the audiences built


def run(
    root: Path,
    output: Path,
    *,
    as_of: _dt.date,
    only: Sequence[str] | None,
    jobs: int | None,
    cache_dir: Path,
    progress: Callable[[str], object],
) -> Built:
    """Validate; with errors build nothing (the previous sites stay); errors only the key finds (X17, R12, X20 on
    a number) withhold their people, named with the merge request that brought them, and everyone else is
    built. In this project's checkout, `demo_history` makes the change log's repository (benchmarks/): the
    sites show a district's history, not the program's development. BuildError when a build fails."""
    registry, found = validate(root, as_of=as_of, cache_dir=cache_dir)
    errors, keyed = withheld(found)
    if errors:
        return Built(errors=errors + keyed, findings=found)
    out = Built(findings=found, withheld=[(f, brought_by(root, f.path)) for f in keyed])
    if keyed:
        registry = with_files(registry, {f.path: None for f in keyed})
    history_root = demo_history(root).history_repo(registry, cache_dir) if defaults.is_checkout(root) else None
    out.sites = build(
        registry,
        output,
        as_of=as_of,
        only=only,
        jobs=jobs,
        progress=progress,
        cache_dir=cache_dir,
        history_root=history_root,
    )
    return out


def demo_history(root: Path) -> Any:
    """benchmarks/demo_history.py of this project's checkout, beside the demo generator (not installed)."""
    if "demo_history" in sys.modules:
        return sys.modules["demo_history"]
    spec = importlib.util.spec_from_file_location("demo_history", root / "benchmarks" / "demo_history.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["demo_history"] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module
