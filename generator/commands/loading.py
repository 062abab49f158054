"""The registry a command works on: loaded (through the cache when a command is given one), refused when the
files every command needs (audiences, units) are missing or broken; a unit a command is asked about, known."""

from __future__ import annotations

from pathlib import Path

from generator.core.errors import UsageError
from generator.registry.files import Registry, load_registry


def registry(root: Path, cache_dir: Path | None) -> Registry:
    """The registry at `root`; UsageError when audiences.yaml or units.yaml is missing or has errors."""
    loaded = load_registry(root, cache_dir=cache_dir)
    if not loaded.audiences or not loaded.units:
        raise UsageError("registry/audiences.yaml 或 units.yaml 缺失或有错误；请先运行 cadres validate")
    return loaded


def known_unit(loaded: Registry, unit: str) -> None:
    """UsageError naming the unit ids there are when `unit` is not one of them."""
    known = [u["id"] for u in loaded.units]
    if unit not in known:
        raise UsageError(f"units.yaml 中没有单位「{unit}」；可用的单位编号：{'、'.join(known)}")
