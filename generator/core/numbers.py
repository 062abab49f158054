"""Personal numbers wherever they stand: a 身份证号 (18 digits, or the old 15) or a mobile number, however it is
typed: ASCII or full-width digits, with spaces or hyphens between groups (3401 0419 8803 1200 12,
138-0013-8000), a lowercase x, a word before it (Tel13800138000).

One reading serves every place a number must not leak: masking in reports (findings, the pool diff), X32
on free text, and audit-site on built sites.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"

_DIGIT = "[0-9０-９]"
_SEPARATOR = "[ \\-－\u3000\u00a0]"  # one space or hyphen (ASCII or full-width) between groups of digits
# groups of two digits or more (3401 0419 8803 1200 12, 138-0013-8000): single digits apart (an SVG path's
# "4 4 0 0 0") are never read as one number
# (a last group of one digit before the check character X: 1200 1X)
_X = "[XxＸｘ]"
SHORTEST = 11  # a mobile number's digits: a run of fewer characters holds no personal number
RUN = re.compile(
    rf"(?<![0-9０-９]){_DIGIT}{{2,}}(?:{_SEPARATOR}(?:{_DIGIT}{{2,}}|{_DIGIT}(?={_SEPARATOR}?{_X})))"
    rf"{{0,8}}(?:{_SEPARATOR}?{_X})?(?![0-9０-９])"
)
# where a run of RUN as long as a mobile number's digits can lie: the digits, separators and Xs from a digit on,
# SHORTEST characters or more (a page's thousands of short runs, coordinates and dates, are never matches)
_LONG = re.compile(rf"{_DIGIT}(?:{_DIGIT}|{_SEPARATOR}|{_X}){{{SHORTEST - 1},}}")
_ASCII = str.maketrans("０１２３４５６７８９Ｘｘx", "0123456789XXX")
_MOBILE = re.compile(r"1[3-9][0-9]{9}")


def id_check_char(first17: str) -> str:
    """GB 11643: the 18th character of a 身份证号 from its first 17 digits."""
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=False)) % 11]


def digits_of(text: str) -> str:
    """A run as its ASCII digits (and a final X), without separators."""
    return re.sub(r"[^0-9X]", "", text.translate(_ASCII))


def kind_of(run: str) -> str | None:
    """身份证号 or 手机号 for a run of RUN that is one, or holds one in some of its groups (a date typed before a
    number: 2021 05 13800138000); None for another number (a date, a count)."""
    if len(run) < SHORTEST:  # fewer characters than a mobile number's digits: a date, a count (most runs)
        return None
    groups = [digits_of(g) for g in re.split(_SEPARATOR, run)]
    groups = [g for g in groups if g]
    whole = _kind("".join(groups))
    if whole or len(groups) == 1:
        return whole
    for kind in map(_kind, groups):  # one group that is a number by itself, before groups taken together
        if kind:
            return kind
    for start in range(len(groups)):
        for end in range(len(groups), start, -1):
            kind = _kind("".join(groups[start:end]))
            if kind:
                return kind
    return None


def _kind(digits: str) -> str | None:
    if len(digits) == 18 or (len(digits) == 15 and digits.isdigit()):
        return "身份证号" if digits[:17].isdigit() else None
    if len(digits) == 11 and _MOBILE.fullmatch(digits):
        return "手机号"
    return None


def valid_id(run: str) -> bool:
    """An 18-character 身份证号 whose check character is right (whoever's it is)."""
    if len(run) < 18:
        return False
    digits = digits_of(run)
    return len(digits) == 18 and digits[:17].isdigit() and id_check_char(digits[:17]) == digits[17]


def masked(text: str) -> str:
    """`text` with every personal number masked (3401**********0012, 138****5678): a report, a log or an
    artifact never repeats a number typed into the wrong field."""

    def hide(match: re.Match) -> str:
        kind = kind_of(match[0])
        if kind is None:
            return match[0]
        digits = digits_of(match[0])  # the whole run: a date typed before the number is masked with it
        head, tail = (4, 4) if kind == "身份证号" else (3, 4)
        return digits[:head] + "*" * (len(digits) - head - tail) + digits[-tail:]

    return RUN.sub(hide, text)


def long_runs(text: str) -> Iterator[re.Match]:
    """The runs of RUN in `text` that are long enough to be a personal number (SHORTEST characters or more), in
    order: RUN is searched only inside the stretches of digits and separators that long (`_LONG`), where the
    characters around a stretch are what RUN sees around it in the whole text."""
    for stretch in _LONG.finditer(text):
        for match in RUN.finditer(text, stretch.start(), stretch.end()):
            if len(match[0]) >= SHORTEST:
                yield match


def kind_in(text: str) -> str | None:
    """The first kind of personal number `text` holds (身份证号 or 手机号), None when none."""
    return next((kind for match in long_runs(text) if (kind := kind_of(match[0]))), None)


def shaped(text: str) -> re.Match | None:
    """The first run that is surely a personal number, whoever's: a 身份证号 with its right check character, or
    a mobile number (for audit-site, where a date or a count must not be taken for one)."""
    for match in long_runs(text):
        if valid_id(match[0]) or kind_of(match[0]) == "手机号":
            return match
    return None
