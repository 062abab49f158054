"""What an importer does to every text it reads, before anything else looks at it.

Excel writes a line break typed in a cell as `_x000D_` or `_x000B_` where another program saved the file;
offices paste no-break spaces from web pages and type full-width digits in dates (１９８８-０６). A value
keeps its words, with these made plain, so that a post, a name or a date reads as it was meant.
"""

from __future__ import annotations

import re
import unicodedata

_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")  # OOXML's escape of a character XML cannot hold
_BREAKS = re.compile(r"\r\n|\r|\x0b|\u2028|\u2029")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\ufeff]")
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９．－／", "0123456789.-/")


def clean(value: str) -> str:
    """Excel's escapes as the characters they stand for, every line break as `\\n`, a no-break space as a
    space, zero-width characters gone."""
    text = _ESCAPE.sub(lambda m: chr(int(m[1], 16)), value)
    text = _BREAKS.sub("\n", text).replace("\u00a0", " ").replace("\u202f", " ")
    return _INVISIBLE.sub("", text)


def one_line(text: str) -> str:
    """A one-line value (a post, a place) typed over two lines of a cell: the lines joined, with a space only
    between two Latin letters or digits (区财政局预算科 / 副科长 -> 区财政局预算科副科长)."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    out = lines[0] if lines else ""
    for line in lines[1:]:
        latin = out[-1].isascii() and out[-1].isalnum() and line[0].isascii() and line[0].isalnum()
        out += (" " if latin else "") + line
    return out


def digits(text: str) -> str:
    """Full-width digits and the date separators typed with them (１９８８．０６) as plain ones."""
    return text.translate(_FULL_WIDTH_DIGITS)


def normal(text: object) -> str:
    """A header or value as compared: NFKC (full-width letters, digits and brackets as plain ones), no spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", clean(str(text or ""))))


def id_number(value: object) -> tuple[str | None, str | None]:
    """(a 身份证号 as the registry keeps it: plain digits, a capital X; None) or (None, why it cannot be taken).

    A number Excel stored as a number has lost its last digits (3.40124198503121e+17): it is refused by name,
    never sealed as it reads."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return None, ("身份证号被 Excel 当成了数字，末几位已经丢失；请把这一列设为“文本”格式，重新输入完整的 18 位号码")
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", clean(str(value)))).upper(), None
