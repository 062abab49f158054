"""What an importer does to every text it reads, before anything else looks at it.

Excel writes a line break typed in a cell as `_x000D_` or `_x000B_` where another program saved the file;
offices paste no-break spaces from web pages and type full-width digits in dates (１９８８-０６). A value
keeps its words, with these made plain, so that a post, a name or a date reads as it was meant.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from pathlib import Path

from generator.core import dates

MAX_ROWS = (
    5000  # rows a workbook import takes: a district has a few hundred reserve cadres; a unit's sheet, a few dozen
)
MAX_CELL = 10000  # characters a cell may hold: a long 简历 is about 2,000

_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")  # OOXML's escape of a character XML cannot hold
_BREAKS = re.compile(r"\r\n|\r|\x0b|\u2028|\u2029")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\ufeff]")
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９．－／", "0123456789.-/")
DATE_TEXT = re.compile(r"^\s*([0-9]{4})\s*[.\-/年]\s*([0-9]{1,2})\s*(?:[.\-/月]\s*([0-9]{1,2})\s*日?)?\s*月?\s*$")


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


def too_long(value: object) -> str | None:
    """Why a cell is refused for its length (over MAX_CELL characters), or None."""
    if isinstance(value, str) and len(value) > MAX_CELL:
        return f"内容有 {len(value)} 个字，超过上限 {MAX_CELL} 个字；请检查是否误粘贴了大段内容"
    return None


def unreadable_workbook(path: Path) -> str:
    """What is said of a file openpyxl cannot open as a workbook."""
    return (
        f"{path.name} 读不出来：不是 Excel 工作簿（.xlsx），或文件已损坏、没有复制完"
        "（CSV、Word 文档改了扩展名的也不行）；请用 Excel 或 WPS 打开它，“另存为”Excel 工作簿（.xlsx）后再导入"
    )


def date(value: object) -> tuple[str | None, str | None]:
    """A date cell as ('YYYY-MM[-DD]', None), or (None, why it cannot be a date): a real date cell, text in the
    usual wordings, 1985.03 or 198503 typed as a number; never an Excel serial number or an ambiguous 2007.1."""
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        # Excel turns a typed month (2021-12, 2021/12) into the 1st of it: the month is what was meant
        return (value.strftime("%Y-%m") if value.day == 1 else value.isoformat()), None
    if isinstance(value, float) and 1900 <= value < 2100:  # 1985.03 typed into a General cell: year.month
        typed = repr(value)
        whole, _, fraction = typed.partition(".")
        if fraction == "1":
            return None, (
                f"写成了数字 {typed}：可能是 {whole} 年 1 月，也可能是 10 月（Excel 把 {whole}.10 存成了 {typed}）；"
                f"请把这一列设为“文本”格式，写成 {whole}-10 或 {whole}-01"
            )
        if len(fraction) <= 2 and 1 <= int(fraction) <= 12:
            return f"{whole}-{int(fraction):02d}", None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        whole = str(int(value))
        value = whole if len(whole) in (6, 8) else value  # 198503 or 19850315 typed as a number (a serial: 5 digits)
    if isinstance(value, str) and (compact := re.fullmatch(r"\s*([0-9]{4})([0-9]{2})([0-9]{2})?\s*", digits(value))):
        text = "-".join(x for x in compact.groups() if x)
        if dates.parse(text) is None:
            return None, f"「{value}」不是有效的日期；请写成 2012-07 或 2012-07-15"
        return text, None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return None, (
            f"写成了数字 {value:g}（Excel 的日期序列号），看不出是哪一天；"
            f"请把这一列设为“文本”格式，写成 2012-07 或 2012-07-15"
        )
    m = DATE_TEXT.match(digits(clean(str(value))))
    if not m:
        return None, f"「{value}」不是日期；请写成 2012-07 或 2012-07-15"
    year, month, day = int(m[1]), int(m[2]), int(m[3]) if m[3] else None
    text = f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")
    if dates.parse(text) is None:
        return None, f"「{value}」不是有效的日期"
    return text, None
