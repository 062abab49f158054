"""The leak scanner: built sites checked against the registry, file by file.

For each audience's site: no name, id or ID number of a person outside it
(a deleted person's too, from git) appears in any file; ID numbers and phones
of its own people appear only where the audience is `sensitive`, and nothing
shaped like one (a 身份证号 with its check character, a mobile number) where it
is not, with or without the key; no external URL is loaded (a link to the
git host's edit page is the one address allowed); no raw YAML was copied.
Every file a site serves is read, whatever its name: a workbook or any zip
member by member, a gzip file unpacked. Findings use the validation format,
codes A01–A06; a zip member or unpacked file is named after the file's path.
"""

from __future__ import annotations

import base64
import binascii
import bz2
import gzip
import hashlib
import html
import io
import lzma
import re
import urllib.parse
import zipfile
from collections.abc import Callable, Collection, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import material

from generator.analysis.audiences import expand
from generator.core import numbers
from generator.core.findings import ERROR, Finding
from generator.git.repo import deleted_people
from generator.registry import sealed

if TYPE_CHECKING:
    from generator.registry.files import Registry

UNPACKED_LIMIT = 200 * 1024 * 1024  # an archive that unpacks beyond this is itself a finding
MAX_DEPTH = 8  # archives inside archives: deeper than this is itself a finding
HOST_PART = re.compile(r"""//[^"'\s)>]+""")  # from the // of an address that names a host
LOADED_BY = re.compile(r"""(?:src|href|action|srcset|url)\s*[=(]\s*["']?\s*$""", re.I)  # what stands before it
YAML_MARKS = ("political_status:", "id_number:", "employment:")


def any_of(words: Iterable[str]) -> re.Pattern | None:
    """One regex for many words, factored by common prefixes (a plain alternation of thousands is slow)."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    if not trie:
        return None

    def pattern(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + pattern(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and not ends else "(?:" + "|".join(branches) + ")"
        return body + ("?" if ends else "")

    return re.compile(pattern(trie))


def audit(registry: Registry, site: Path, allowed_hosts: Collection[str] = ()) -> list[Finding]:
    """Every problem found in the built sites under `site` (one folder per audience)."""
    keys = sealed.keys()
    # the numbers in clear text where a key is given; without one, 身份证号 are recognised by their form
    people = [sealed.opened(e.data, keys) if keys.available else e.data for e in registry.cadres]
    deleted = deleted_people(registry.root)
    found: list[Finding] = []
    theme = theme_files()
    externals: dict[bytes, list[str]] = {}
    for audience in expand(registry):
        folder = site / audience.id
        if not folder.is_dir():
            continue
        inside = [d for d in people if audience.sees(d)]
        texts = {d["name"] for d in inside} | {d["employment"]["post"] for d in inside}
        outside = [d for d in people if not audience.sees(d)]
        # a deleted person stays in the change log of the sites that see every record, and nowhere else
        gone = [] if audience.everyone else [(cadre, name) for cadre, name, _ in deleted]
        names = [d["name"] for d in outside] + [name for _, name in gone if name]
        leak = any_of(
            names + [d["id"] for d in outside] + [cadre for cadre, _ in gone] + _clear(d["id_number"] for d in outside)
        )
        # an insider's own name or post that holds an outsider's name (王芳芳, 联系人王芳) is taken out of a text
        # before the outsider's name is looked for: it shields that text only, never the name everywhere
        shields = any_of(sorted({t for t in texts if any(n in t for n in names)}, key=len, reverse=True))
        sensitive = (
            None
            if audience.sensitive
            else Numbers(_clear([d["id_number"] for d in inside] + [d.get("phone") for d in inside]))
        )
        patterns = (
            (leak, "A01", "本站点读者不应看到的人员信息"),
            (sensitive, "A02", "本站点不应显示的身份证号或电话"),
            (None if audience.sensitive else SHAPED, "A02", "本站点不应显示的身份证号或手机号"),
            (SEALED_TEXT, "A02", "加密号码的密文"),
        )
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            rel = path.relative_to(site).as_posix()
            if path.suffix.lower() in (".yaml", ".yml"):
                found.append(_finding(rel, "A05", "站点里有 YAML 文件", "原始记录不应复制进网站；请检查模板和构建"))
                continue
            raw = path.read_bytes()
            digest = hashlib.blake2b(raw, digest_size=16).digest()
            own = digest not in theme  # a file byte for byte the theme's own (scripts, styles) holds no data
            reported: set[tuple[str, str]] = set()
            for where, text, is_text in _contents(rel, raw) if own else [(rel, raw.decode("utf-8", "replace"), True)]:
                if text is None:
                    found.append(
                        _finding(
                            where,
                            "A06",
                            "站点里有打不开的压缩文件（损坏、嵌套太深或解开后太大）",
                            "网站不应有读不了的文件；请删除它，然后重新生成",
                        )
                    )
                    continue
                for pattern, code, what in patterns if own else ():
                    seen = shields.sub("", text) if shields and code == "A01" else text
                    hit = pattern.search(seen) if pattern and (where, code) not in reported else None
                    if hit:
                        reported.add((where, code))  # once a file and code, whichever of its readings shows it
                        found.append(
                            _finding(
                                where,
                                code,
                                # a number is never repeated (the audit's output lands in a CI log): its line
                                # says where
                                f"出现了{what}" + ("" if code == "A02" else f"「{hit[0]}」"),
                                "请检查读者设置和页面模板，然后重新生成",
                                seen.count("\n", 0, hit.start()) + 1,
                            )
                        )
                if not is_text:
                    continue
                key = hashlib.blake2b(text.encode(), digest_size=16).digest()
                if key not in externals:  # the same file in every site is read for addresses once
                    externals[key] = external_addresses(text)
                for url in externals[key]:
                    host = re.sub(r"^(?:https?:)?//", "", url).split("/")[0]
                    if host not in allowed_hosts and not url.startswith(("http://www.w3.org/", "https://www.w3.org/")):
                        found.append(_finding(where, "A03", f"引用了外部地址 {url}", "内网站点不能从外部加载任何内容"))
                        break
                if any(mark in text for mark in YAML_MARKS) and where.lower().endswith((".html", ".htm", ".json")):
                    found.append(_finding(where, "A04", "页面里有原始 YAML 内容", "请检查模板：只显示整理过的字段"))
    return sorted(found)


def _contents(rel: str, raw: bytes, depth: int = 0) -> list[tuple[str, str | None, bool]]:
    """(where, text, whether it is text) for what a file holds: an archive (zip: a workbook, a document; gzip,
    bzip2, xz) unpacked member by member, a `data:` address's base64 read too, anything else as text (UTF-8, or
    UTF-16 with its mark; a binary file's bytes decoded too, never skipped), each in every form a reader could
    get it in (_readings). Text None: an archive that cannot be opened, nested deeper than MAX_DEPTH, or
    unpacking beyond UNPACKED_LIMIT."""
    kind = _archive(raw)
    if kind:
        if depth >= MAX_DEPTH:
            return [(rel, None, False)]
        try:
            members = _unpacked(kind, raw)
        except (
            zipfile.BadZipFile,
            zipfile.LargeZipFile,
            NotImplementedError,
            RuntimeError,
            OSError,
            EOFError,
            lzma.LZMAError,
            ValueError,
        ):
            return [(rel, None, False)]
        if members is None:
            return [(rel, None, False)]
        return [c for name, inner in members for c in _contents(f"{rel}!{name}", inner, depth + 1)]
    text, is_text = _text(raw)
    out: list[tuple[str, str | None, bool]] = [(rel, reading, is_text) for reading in _readings(text)]
    for n, payload in enumerate(_DATA_URI.findall(text)):  # an image or file carried inside a page
        try:
            inner = base64.b64decode(payload, validate=False)
        except (ValueError, binascii.Error):
            continue
        out += [c for c in _contents(f"{rel}!data{n + 1}", inner, depth + 1) if c[1] is None or c[1]]
    return out


def _archive(raw: bytes) -> str | None:
    if raw[:2] == b"\x1f\x8b":
        return "gzip"
    if raw[:3] == b"BZh":
        return "bzip2"
    if raw[:6] == b"\xfd7zXZ\x00":
        return "xz"
    if b"PK\x03\x04" in raw[:1024] or (b"PK\x05\x06" in raw[-65557:] and zipfile.is_zipfile(io.BytesIO(raw))):
        return "zip"  # a zip may have bytes before it (a self-extracting file) and still open
    return None


_OPENERS: dict[str, Callable[..., Any]] = {"gzip": gzip.open, "bzip2": bz2.open, "xz": lzma.open}


def _unpacked(kind: str, raw: bytes) -> list[tuple[str, bytes]] | None:
    """The members of an archive ([(name, bytes)]), None when it unpacks beyond UNPACKED_LIMIT."""
    if kind == "zip":
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            if sum(m.file_size for m in members) > UNPACKED_LIMIT:
                return None
            return [(m.filename, archive.read(m)) for m in members]
    with _OPENERS[kind](io.BytesIO(raw), "rb") as unpacked:
        inner = unpacked.read(UNPACKED_LIMIT + 1)
    return None if len(inner) > UNPACKED_LIMIT else [("", inner)]


def _text(raw: bytes) -> tuple[str, bool]:
    """A file's bytes as text, and whether they were text (UTF-8, or UTF-16 with its byte-order mark)."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return raw.decode("utf-16"), True
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8"), True
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="replace"), False


_ESCAPES = re.compile(
    r"\\u\{([0-9a-fA-F]{1,6})\}|\\u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})|\\([0-9a-fA-F]{1,6}) ?|%([0-9a-fA-F]{2})"
)
_DATA_URI = re.compile(r"data:[^,;\s\"')]*;base64,([A-Za-z0-9+/=]+)")
_TAG = re.compile(r"<[^<>]*>")


def _readings(text: str) -> list[str]:
    """The forms a text reaches a reader in: as written, with every escape written out (character references
    &#21306; as a workbook writes every Chinese character, JavaScript's \\u…, \\u{…} and \\x…, CSS's \\…,
    percent-encoding in an address), and with markup taken out (孟<b></b>敏霞 reads 孟敏霞)."""
    out = [text]
    decoded = html.unescape(text) if "&" in text else text
    if "\\" in decoded or "%" in decoded:
        decoded = _unescaped(decoded)
    if decoded != text:
        out.append(decoded)
    if "<" in decoded:
        out.append(_TAG.sub("", decoded))
    return out


def _unescaped(text: str) -> str:
    def one(match: re.Match) -> str:
        if match[5] is not None:  # %E5%AD%9F: a byte of UTF-8; the run is decoded as a whole below
            return match[0]
        code = int(next(g for g in match.groups()[:4] if g is not None), 16)
        return chr(code) if 0 < code < 0x110000 else match[0]

    text = _ESCAPES.sub(one, text)
    return urllib.parse.unquote(text) if "%" in text else text


def _clear(numbers: Iterable[str | None]) -> list[str]:
    """The numbers known in clear text (without a key, sealed ones are found by their form: SHAPED)."""
    return [n for n in numbers if n and not sealed.is_sealed(n)]


SEALED_TEXT = re.compile(r"ENC\[age,")  # a ciphertext belongs in the registry, never on a page


class _Shaped:
    """Anything that is surely a personal number, whoever's: core.numbers.shaped."""

    def search(self, text: str) -> re.Match | None:
        return numbers.shaped(text)


SHAPED = _Shaped()


class Numbers:
    """Personal numbers (身份证号, phones) found by the runs of digits in a text: a set lookup per run is
    several times faster over a 12 MB site than one alternation of hundreds of numbers."""

    def __init__(self, numbers: Iterable[str]) -> None:
        self.numbers = set(numbers)
        self.lengths = sorted({len(n) for n in self.numbers})
        # the runs of digits (and X) as long as the shortest number at least: a page's thousands of shorter ones
        # (coordinates, dates, counts) are passed over by the regular expression, not looked at one by one
        self.runs = re.compile(rf"\d[\dXx]{{{self.lengths[0] - 1},}}") if self.lengths else None

    def search(self, text: str) -> re.Match | None:
        for run in self.runs.finditer(text) if self.runs else ():
            digits = run[0]
            for length in self.lengths:
                for i in range(len(digits) - length + 1):
                    if digits[i : i + length] in self.numbers:
                        return re.compile(re.escape(digits[i : i + length])).search(text, run.start() + i)
        return None


def external_addresses(text: str) -> list[str]:
    """Every `src=`, `href=`, `action=`, `srcset=` or `url(` address with a host: `//` is looked for first,
    then what stands before it (one regex that starts with the attribute names was ten times slower)."""
    found = []
    at = text.find("//")
    while at != -1:
        start = at
        for scheme in ("https:", "http:"):
            if text[max(0, at - len(scheme)) : at].lower() == scheme:
                start = at - len(scheme)
                break
        rest = HOST_PART.match(text, at)
        if rest and LOADED_BY.search(text, max(0, start - 24), start):
            found.append(text[start : rest.end()])
        at = text.find("//", at + 2)
    return found


def theme_files() -> set[bytes]:
    """Hashes of the files the installed Material theme ships (its scripts, styles and images)."""

    assets = Path(material.__file__).parent / "templates" / "assets"
    return {hashlib.blake2b(p.read_bytes(), digest_size=16).digest() for p in assets.rglob("*") if p.is_file()}


def _finding(path: str, code: str, message: str, hint: str, line: int = 1) -> Finding:
    return Finding(path, line, 1, ERROR, code, "", "", message, hint)
