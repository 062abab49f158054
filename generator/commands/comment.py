"""`cadres comment`: the pool diff's summary (cadres diff --format markdown) written as the merge request's
comment, made or updated, from GitLab CI; without a token it only says so."""

from __future__ import annotations

from pathlib import Path

from generator.core.errors import UsageError
from generator.repository.gitlab import NoteError, post_summary


def run(file: Path) -> str:
    """Post the summary in `file`; what was done, in Chinese. UsageError when the file cannot be read or GitLab
    refuses the comment."""
    try:
        text = file.read_text(encoding="utf-8")
        return post_summary(text)
    except OSError as exc:
        raise UsageError(f"读不到 {file}：{exc.strerror}") from None
    except NoteError as exc:
        raise UsageError(f"没有写评论：{exc}") from None
