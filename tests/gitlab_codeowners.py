"""CODEOWNERS as GitLab reads it: the rules of gitlabhq ee/lib/gitlab/code_owners/file.rb, in Python.

- A section header is `[name]` (`^[name]` optional, `[name][N]` N approvals), with default owners after it.
- Sections whose names differ only in case are one section (`find_section_name`: `casecmp?`), except that the
  first header after the unnamed default section is taken as written.
- An entry without owners takes its section's default owners; `\\#` and `\\ ` are unescaped.
- Patterns: `*` is every file; one not starting with `/` matches in any folder (`/**/` is put before it); one
  ending in `/` is everything below (`**/*` is put after it); matched with FNM_PATHNAME | FNM_DOTMATCH.
- In each section the last matching entry decides; a matching `!` exclusion (17.10) leaves the file out of
  that section whatever the order.
"""

import re

DEFAULT = "codeowners"
HEADER = re.compile(r"^(\^)?\[(.*?)\](?:\[(\d*?)\])?(.*)$")


def parse(text: str) -> dict[str, list[tuple[str, list[str], bool]]]:
    """{section: [(normalised pattern, owners, is an exclusion)]}, in file order."""
    sections: dict[str, list] = {DEFAULT: []}
    defaults: dict[str, list[str]] = {DEFAULT: []}
    current = DEFAULT
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        header = HEADER.match(line) if line.startswith(("[", "^[")) else None
        if header:
            name = header[2]
            last = list(sections)[-1]
            if last != DEFAULT:
                name = next((k for k in sections if k.casefold() == name.casefold()), name)
            current = name
            sections.setdefault(current, [])
            defaults[current] = header[4].split()
            continue
        parts = re.split(r"(?<!\\)\s+", line, maxsplit=1)
        pattern, owners = parts[0], parts[1] if len(parts) > 1 else ""
        exclusion = pattern.startswith("!")
        sections[current].append(
            (_normalise(pattern.removeprefix("!")), owners.split() or defaults[current], exclusion)
        )
    return sections


def approvers(text: str, path: str) -> dict[str, list[str]]:
    """{section: owners} whose approval a change to `path` (relative to the repository root) needs."""
    path = "/" + path.lstrip("/")
    out = {}
    for section, entries in parse(text).items():
        if any(exclusion and _matches(pattern, path) for pattern, _, exclusion in entries):
            continue
        found = [owners for pattern, owners, exclusion in entries if not exclusion and _matches(pattern, path)]
        if found:
            out[section] = found[-1]
    return out


def _normalise(pattern: str) -> str:
    pattern = re.sub(r"^\\#", "#", pattern)
    pattern = re.sub(r"\\\s+", " ", pattern)
    if pattern == "*":
        return "/**/*"
    if not pattern.startswith("/"):
        pattern = f"/**/{pattern}"
    if pattern.endswith("/"):
        pattern = f"{pattern}**/*"
    return pattern


def _matches(pattern: str, path: str) -> bool:
    """Ruby's File.fnmatch? with FNM_PATHNAME | FNM_DOTMATCH: `*` and `?` stop at `/`, `**/` is any folders."""
    regex = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            regex, i = regex + "(?:[^/]*/)*", i + 3
        elif pattern[i] == "*":
            regex, i = regex + "[^/]*", i + 1
        elif pattern[i] == "?":
            regex, i = regex + "[^/]", i + 1
        else:
            regex, i = regex + re.escape(pattern[i]), i + 1
    return re.fullmatch(regex, path) is not None
