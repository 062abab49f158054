"""`cadres encrypt`: the personal numbers written in clear in the records sealed for registry/recipients.txt
(--rekey: every one opened with the key and sealed again for the recipients now there).

`seal` reads the records and seals them in memory, and says what it could not seal; `write` writes the records
afterwards, all of them or none (a full disk leaves every file as it was). --check stops before writing: a
number in clear makes its exit status 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.core import defaults
from generator.core.errors import UsageError
from generator.interchange import sealing
from generator.registry import sealed
from generator.registry.schema import read_schemas


@dataclass
class Sealed:
    sealing: sealing.Sealing  # the records' new texts, the fields sealed in each, what could not be sealed

    @property
    def status(self) -> int:
        """1 when a number could not be sealed, else 0."""
        return 1 if self.sealing.problems else 0

    @property
    def check_status(self) -> int:
        """--check: 1 when a number is in clear or could not be sealed, else 0."""
        return 1 if self.sealing.sealed or self.sealing.problems else 0


def seal(root: Path, paths: list[Path], *, rekey: bool) -> Sealed:
    """The records under `paths` (default every record) sealed in memory; nothing written. UsageError when
    --rekey has no key to open the numbers with."""
    schemas = read_schemas(defaults.path(root, "schemas"))
    files = sealing.cadre_files(root, paths)
    recipients = sealed.recipients(root)
    keys = sealed.keys()
    if rekey and not keys.available:
        raise UsageError(f"重新加密要先解开原来的密文：请设置环境变量 {sealed.IDENTITY_FILE_ENV}（密钥文件的路径）")
    return Sealed(sealing.seal_records(root, schemas, files, recipients, keys, rekey))


def write(root: Path, done: Sealed) -> None:
    """Write the sealed records; UsageError, every file left as it was, when they cannot be written."""
    try:
        sealing.write(root, done.sealing)
    except OSError as exc:
        raise UsageError(f"写入记录失败（{exc.strerror}）：没写完的文件保持原样；请腾出磁盘空间后重新运行") from None
