"""`cadres keygen`: the org department's age key, written to a new file only its owner can read (never over
one already there: the numbers it sealed would be lost), and its public key for registry/recipients.txt."""

from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path

from pyrage import x25519

from generator.core.errors import UsageError


def run(output: Path) -> str:
    """Write a new key to `output`; its public key. UsageError when the file is there or cannot be written."""
    identity = x25519.Identity.generate()
    public = identity.to_public()
    try:
        fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise UsageError(f"{output} 已经存在，没有覆盖：密钥丢失后它加密的号码再也打不开") from None
    except OSError as exc:
        raise UsageError(f"无法写入 {output}（{exc.strerror}）") from None
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(f"# cadres keygen {_dt.date.today().isoformat()}：区委组织部的解密密钥，不要提交到仓库\n")
        fh.write(f"# 公钥：{public}\n{identity}\n")
    return str(public)
