"""`cadres init`: a new repository that holds only a district's registry (the program, its rules and templates
come with the installed `cadres`); no file already there is written over."""

from __future__ import annotations

from pathlib import Path

from generator.core.errors import UsageError
from generator.repository.init import InitError, init


def run(directory: Path, tool_repo: str, tool_rev: str) -> list[str]:
    """Make `directory` a registry repository using the program at `tool_repo`, `tool_rev`; the files written.
    UsageError when the folder cannot be one."""
    try:
        return init(directory, tool_repo, tool_rev)
    except InitError as exc:
        raise UsageError(str(exc)) from None
