"""`cadres encrypt`: seal the personal numbers of records where they stand, after checking them.

Only the line of each sealed field changes: comments, order and every other
line stay as written. A clear number is checked first (its format; a
身份证号's check digit, birth date and sex against the record), since after
sealing only a key holder can check it. A value already sealed is left as
it is (a new ciphertext would change the file for nothing), unless
`rekey` asks for every value to be opened and sealed again to the current
recipients (after a key is added or withdrawn).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from generator.core import dates, numbers
from generator.interchange.yamlout import scalar
from generator.registry import sealed
from generator.registry.checks import id_number_problems
from generator.registry.load import MAX_BYTES, load_bytes
from generator.registry.schema import Schemas
from generator.registry.vocabulary import FEMALE, MALE


@dataclass
class Sealing:
    changed: dict[str, str] = field(default_factory=dict)  # path -> the file's new text
    sealed: dict[str, list[str]] = field(default_factory=dict)  # path -> the labels of the fields sealed
    problems: list[str] = field(default_factory=list)  # 'path:line: what — what to do', never a number


def cadre_files(root: Path, paths: list[Path]) -> list[str]:
    """The cadre records under `paths` (files or folders; all of registry/cadres when none), relative to root."""
    found = []
    for given in paths or [root / "registry" / "cadres"]:
        if not given.is_absolute():  # as `cadres validate` reads it: from the repository's root, else from here
            given = root / given if (root / given).exists() else Path.cwd() / given
        files = sorted(given.rglob("*.yaml")) if given.is_dir() else [given]
        for file in files:
            try:
                rel = file.resolve().relative_to(root.resolve()).as_posix()
            except ValueError:
                rel = file.as_posix()
            found.append(rel)
    return found


def seal_records(
    root: Path, schemas: Schemas, files: list[str], recipients: list, keys: sealed.Keys, rekey: bool
) -> Sealing:
    out = Sealing()
    for rel in files:
        path = root / rel
        if not rel.startswith("registry/cadres/") or not path.is_file() or path.is_symlink():
            out.problems.append(f"{rel}: 不是名册中的干部记录文件（registry/cadres/<单位>/<编号>.yaml），未处理")
            continue
        with open(path, "rb") as fh:
            raw = fh.read(MAX_BYTES + 1)  # a larger file is refused by the loader, as validation refuses it
        _seal_one(rel, raw, schemas, recipients, keys, rekey, out)
    return out


def _seal_one(
    rel: str, raw: bytes, schemas: Schemas, recipients: list, keys: sealed.Keys, rekey: bool, out: Sealing
) -> None:
    doc = load_bytes(raw, rel, schemas.types["cadre"])
    if not isinstance(doc.data, dict):
        out.problems.append(f"{rel}: 文件本身有错误，未加密：请先运行 cadres validate {rel} 并改正")
        return
    lines = raw.decode("utf-8").splitlines(keepends=True)
    done = []
    for name in sorted(schemas.vocabulary.sensitive):
        value = doc.data.get(name)
        if not isinstance(value, str) or not value:
            continue
        line = doc.marks[(name,)][0]
        label = schemas.label("cadre", (name,))
        where = f"{rel}:{line}: {label} ({name})"
        if sealed.is_sealed(value):
            if not rekey:
                continue
            try:
                plain = keys.open(value)
            except sealed.SealError as exc:
                out.problems.append(f"{where}: {exc}")
                continue
        else:
            plain = value
            wrong = _problems(schemas, name, plain, doc.data)
            if wrong:
                out.problems += [f"{where}: {message} — {hint}，改正后再加密" for message, hint in wrong]
                continue
        edited = _replace(lines[line - 1], name, scalar(sealed.seal(plain, recipients)))
        if edited is None:
            out.problems.append(f'{where}: 这一行的写法无法自动加密：请写成「{name}: "号码"」，一行一个字段')
            continue
        lines[line - 1] = edited
        done.append(label)
    if done:
        out.changed[rel] = "".join(lines)
        out.sealed[rel] = done


def _problems(schemas: Schemas, name: str, plain: str, data: dict) -> list[tuple[str, str]]:
    rules = schemas.field_rules("cadre", (name,))
    if name == "id_number":
        birth, sex = data.get("birth"), data.get("sex")
        if isinstance(birth, str) and isinstance(sex, str) and sex in (MALE, FEMALE) and dates.parse(birth):
            return id_number_problems(plain, birth, sex)
    if re.fullmatch(rules["regex"].removesuffix("$"), plain) is None:
        return [("格式不对", rules.get("meta", {}).get("hint", "请核对"))]
    if name != "id_number" and numbers.valid_id(plain):
        return [("这是一个身份证号，不是这个字段的号码", "身份证号写在 id_number 里；这里请写本人的电话")]
    return []


def _replace(line: str, name: str, value: str) -> str | None:
    """The line `name: <old value>  # comment` with the new value, or None when the line is not written so."""
    match = re.fullmatch(
        rf"""(\s*{name}\s*:[ \t]*)("[^"]*"|'[^']*'|[^\s#'"][^#\r\n]*?)([ \t]*(?:#[^\r\n]*)?)(\r?\n?)""", line
    )
    if match is None:
        return None
    return f"{match[1]}{value}{match[3]}{match[4]}"


def write(root: Path, sealing: Sealing) -> None:
    """Each changed file replaced whole (a new file renamed over the old): never half written."""
    for rel, text in sealing.changed.items():
        path = root / rel
        tmp = path.with_name(f".{path.name}.sealing")
        try:
            tmp.write_text(text, encoding="utf-8", newline="")
            tmp.replace(path)
        except OSError:  # a full disk: the record stays as it was, and no half-written copy is left
            tmp.unlink(missing_ok=True)
            raise
