"""One cache file: a marshalled mapping valid for one fingerprint, read with the collector paused, written whole.

A cache that cannot be read starts afresh; one that cannot be written only costs time.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import marshal
import os
from collections.abc import Iterator
from pathlib import Path

import generator


@functools.cache
def program_fingerprint() -> str:
    """A hash of the package's version and of every file of the installed package (code and data).

    Every cached result depends on the program that made it: any change to any
    module, however small, or a new version, throws every cache away.
    """
    package = Path(generator.__file__).parent
    digest = hashlib.sha256(f"cadres {generator.__version__}".encode())
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".pyo"):
            digest.update(f"\0{path.relative_to(package).as_posix()}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No garbage collection inside: unmarshalling 10,000 records makes millions of objects, none of them garbage,
    and would otherwise trigger many useless collections, each walking all that was made before it."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def read(file: Path | None, fingerprint: str) -> dict:
    """The stored mapping, or {} when there is none, it is unreadable, or it was made for another fingerprint."""
    if file is None:
        return {}
    try:
        raw = Path(file).read_bytes()
        with collector_paused():
            stored = marshal.loads(raw)
        entries = stored["entries"] if stored.get("fingerprint") == fingerprint else {}
        return entries if isinstance(entries, dict) else {}  # a cache of the wrong shape starts afresh
    except (OSError, EOFError, ValueError, TypeError, KeyError, AttributeError):
        return {}


def write(file: Path | None, fingerprint: str, entries: dict) -> None:
    if file is None:
        return
    file = Path(file)
    tmp = file.with_suffix(f".{os.getpid()}.tmp")
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(marshal.dumps({"fingerprint": fingerprint, "entries": entries}))
        os.replace(tmp, file)
    except OSError:  # a full disk: the half-written file goes too, so failures do not pile up
        tmp.unlink(missing_ok=True)
