"""Personal numbers sealed with age: `id_number: ENC[age,<base64>]` in the YAML, opened only where a key is given.

The sensitive fields of a record (身份证号, 联系电话: `meta: {sensitive: true}` in schemas/cadre.yaml) are
kept in git only as age ciphertexts to the org department's recipients (registry/recipients.txt, public
keys). Whoever holds an identity (a secret key) gives it through the environment, never as an option
value that would land in shell history:

- CADRES_AGE_IDENTITY_FILE: a file holding one or more `AGE-SECRET-KEY-1…` lines (a GitLab "File" variable);
- CADRES_AGE_IDENTITY: the key text itself.

Without one, the checks that need a number are reported as not run, and the audiences that see the numbers
cannot be built. A value is sealed once: re-sealing it would change the file on every run, so a command
that writes a record keeps the ciphertext of every value that did not change.
"""

from __future__ import annotations

import base64
import binascii
import functools
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

import pyrage
from pyrage import x25519

from generator.core import parallel
from generator.core.errors import CadresError

IDENTITY_FILE_ENV = "CADRES_AGE_IDENTITY_FILE"
IDENTITY_ENV = "CADRES_AGE_IDENTITY"
RECIPIENTS = "registry/recipients.txt"
SEALED = re.compile(r"ENC\[age,([A-Za-z0-9+/]+={0,2})\]")
R = TypeVar("R", bound=Mapping[str, Any])  # a record: what `opened` is given, it gives back
# the same, for the schemas (Cerberus and JSON Schema): a field holds either its clear form or this


class SealError(CadresError):
    """A key or a recipient that cannot be used, or a value that cannot be opened: said in Chinese."""


def is_sealed(value: object) -> bool:
    return isinstance(value, str) and SEALED.fullmatch(value) is not None


AGE_HEADER = b"age-encryption.org/v1\n"


def ciphertext(value: str) -> bytes:
    """The bytes a sealed value holds; SealError for base64 that is cut or altered (a value written differently
    from how `cadres encrypt` writes it, even one whose unused bits were flipped, is not its own)."""
    match = SEALED.fullmatch(value)
    body = match[1] if match else ""
    try:
        raw = base64.b64decode(body, validate=True)
    except binascii.Error:
        raise SealError("密文不是完整的 base64：被截断或改动过") from None
    if base64.b64encode(raw).decode() != body:
        raise SealError("密文的 base64 写法被改动过（与 cadres encrypt 写出的不同）")
    return raw


_TAGS = 32  # an age payload: a 16-byte nonce, then each chunk of up to 64 KiB with its 16-byte tag


def shape(value: str) -> tuple[int, int]:
    """(recipients, length of the clear text) of a sealed value, read without a key from age's header and
    payload; SealError saying what is wrong with a value truncated, altered or not age at all."""
    raw = ciphertext(value)
    if not raw.startswith(AGE_HEADER):
        raise SealError("不是 age 密文（开头不是 age-encryption.org/v1）：被截断、改动过，或不是 cadres encrypt 写的")
    lines = iter(raw[len(AGE_HEADER) :].split(b"\n"))
    at, recipients = len(AGE_HEADER), 0
    for line in lines:
        at += len(line) + 1
        if line.startswith(b"--- "):  # the header's MAC: the payload follows
            break
        if not line.startswith(b"-> "):
            raise SealError("密文的头部格式不对：被改动过")
        recipients += line.split(b" ")[1:2] == [b"X25519"]
        for body in lines:  # a stanza's body: lines of 64 base64 characters, the last one shorter
            at += len(body) + 1
            if len(body) < 64:
                break
    else:
        raise SealError("密文不完整：在头部被截断")
    clear = len(raw) - at - _TAGS
    if at > len(raw) or clear < 0:
        raise SealError("密文不完整：内容被截断")
    return recipients, clear


def seal(plain: str, recipients: Iterable[x25519.Recipient]) -> str:
    return f"ENC[age,{base64.b64encode(pyrage.encrypt(plain.encode(), list(recipients))).decode()}]"


@dataclass
class Keys:
    """The identities given to this run (none: nothing can be opened) and what they have opened."""

    identities: list = field(default_factory=list)
    source: str = ""  # where they came from, for messages: an environment variable's name
    _opened: dict = field(default_factory=dict, repr=False)

    @property
    def available(self) -> bool:
        return bool(self.identities)

    def open_many(self, values: Iterable[object]) -> None:
        """Open many sealed values ahead, on every core (about 0.15 ms each: a keyed validation of 10,000 records
        opens 20,000). The clear texts stay in this process's memory; one that does not open is left to `open`,
        which says so."""
        todo = sorted({v for v in values if isinstance(v, str) and is_sealed(v) and v not in self._opened})
        if not self.identities or not todo:
            return
        for value, plain in zip(todo, parallel.fork_map(_try_open, todo, self.identities), strict=True):
            if plain is not None:
                self._opened[value] = plain

    def open(self, value: str) -> str:
        """The clear text of a sealed value (a clear value is returned as it is)."""
        if not is_sealed(value):
            return value
        if value not in self._opened:
            if not self.identities:
                raise SealError(f"没有解密密钥：请设置环境变量 {IDENTITY_FILE_ENV}（密钥文件的路径）")
            match = SEALED.fullmatch(value)
            assert match is not None
            try:
                self._opened[value] = pyrage.decrypt(base64.b64decode(match[1]), self.identities).decode()
            except (pyrage.DecryptError, binascii.Error, UnicodeDecodeError, ValueError):
                raise SealError(
                    f"无法用 {self.source} 中的密钥解密：密文已损坏，或加密时没有用到这个密钥对应的收件人"
                ) from None
        return self._opened[value]


def opened(data: R, given: Keys | None = None) -> R:
    """A copy of a record whose sealed values are in clear text (SealError when no key opens them)."""
    if not any(is_sealed(value) for value in data.values()):
        return data
    given = given or keys()
    if not given.available:
        raise SealError(
            f"显示或导出身份证号和联系电话需要解密密钥：请设置环境变量 {IDENTITY_FILE_ENV}（密钥文件的路径）"
        )
    return cast(R, {key: given.open(value) if is_sealed(value) else value for key, value in data.items()})


def _try_open(identities: list, value: str) -> str | None:
    match = SEALED.fullmatch(value)
    try:
        return pyrage.decrypt(base64.b64decode(match[1]), identities).decode() if match else None
    except (pyrage.DecryptError, binascii.Error, UnicodeDecodeError, ValueError):
        return None


def keys() -> Keys:
    """The identities the environment gives, read once per value of the two variables."""
    return _keys(os.environ.get(IDENTITY_FILE_ENV) or None, os.environ.get(IDENTITY_ENV) or None)


@functools.cache
def _keys(file: str | None, text: str | None) -> Keys:
    if file is not None:
        try:
            content = Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise SealError(
                f"环境变量 {IDENTITY_FILE_ENV} 指向的密钥文件读不出来（{type(exc).__name__}）：请检查路径和权限"
            ) from None
        return Keys(_identities(content, IDENTITY_FILE_ENV), IDENTITY_FILE_ENV)
    if text is not None:
        return Keys(_identities(text, IDENTITY_ENV), IDENTITY_ENV)
    return Keys()


def _identities(text: str, source: str) -> list:
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            found.append(x25519.Identity.from_str(line))
        except pyrage.IdentityError:
            raise SealError(
                f"{source} 的第 {number} 行不是 age 私钥（应以 AGE-SECRET-KEY-1 开头）：请用 age-keygen 生成的密钥文件"
            ) from None
    if not found:
        raise SealError(f"{source} 里没有 age 私钥（以 AGE-SECRET-KEY-1 开头的行）")
    return found


def recipients(root: Path) -> list:
    """The public keys in registry/recipients.txt, which every sealed value must be opened by."""
    path = root / RECIPIENTS
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SealError(
            f"缺少 {RECIPIENTS}：请区委组织部用 age-keygen 生成密钥，把公钥（age1 开头）写进这个文件"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SealError(f"{RECIPIENTS} 读不出来（{type(exc).__name__}）") from None
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        try:
            found.append(x25519.Recipient.from_str(line))
        except pyrage.RecipientError:
            raise SealError(f"{RECIPIENTS}:{number}: 不是 age 公钥（应以 age1 开头）：请检查这一行") from None
    if not found:
        raise SealError(f"{RECIPIENTS} 里没有公钥：请写入区委组织部的 age 公钥（age1 开头），每行一个")
    return found
