"""One cache file: a marshalled mapping valid for one fingerprint, read with the garbage collector paused, written whole.

A cache that cannot be read starts afresh; one that cannot be written only costs time.
"""

from __future__ import annotations

import gc
import marshal
import os
from pathlib import Path


def read(file: Path | None, fingerprint: str) -> dict:
    """The stored mapping, or {} when there is none, it is unreadable, or it was made for another fingerprint."""
    if file is None:
        return {}
    try:
        raw = Path(file).read_bytes()
        gc.disable()  # unmarshalling 10,000 records would otherwise trigger many useless collections
        try:
            stored = marshal.loads(raw)
            gc.freeze()  # and later collections need not walk them again
        finally:
            gc.enable()
        return stored["entries"] if stored.get("fingerprint") == fingerprint else {}
    except (OSError, EOFError, ValueError, TypeError, KeyError, AttributeError):
        return {}


def write(file: Path | None, fingerprint: str, entries: dict) -> None:
    if file is None:
        return
    file = Path(file)
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        tmp = file.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(marshal.dumps({"fingerprint": fingerprint, "entries": entries}))
        os.replace(tmp, file)
    except OSError:
        pass
