"""Writing an existing record again with only its changed values changed (ruamel.yaml's round-trip mode).

An import changes a few fields of a file a clerk may have written by hand. Comments, the order of keys,
quoting, flow or block style and the `$schema` line of everything that did not change stay as they were.
A changed or new value is written the registry's way (yamlout: text YAML could misread is quoted).
"""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from generator.interchange.yamlout import scalar


def _yaml() -> YAML:
    yaml = YAML()  # round-trip
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long 简历 line
    yaml.indent(mapping=2, sequence=4, offset=2)  # as the registry's files are written
    return yaml


def rewrite(text: str, data: dict) -> str:
    """`text` (a record's YAML) with its values made those of `data`; what did not change keeps its form."""
    yaml = _yaml()
    document = yaml.load(text)
    if not isinstance(document, CommentedMap):
        raise ValueError("not a mapping")
    _update(document, data)
    out = io.StringIO()
    yaml.dump(document, out)
    return out.getvalue()


def _update(node: CommentedMap, data: dict) -> None:
    for key in [k for k in node if k not in data]:
        del node[key]
    for position, (key, value) in enumerate(data.items()):
        if key in node:
            current = node[key]
            if isinstance(current, CommentedMap) and isinstance(value, dict):
                _update(current, value)
            elif _plain(current) != value:
                node[key] = _fresh(value, current)
        else:
            node.insert(min(position, len(node)), key, _fresh(value, None))


def _fresh(value: Any, like: Any) -> Any:
    """A new value as ruamel should write it: text quoted where the registry quotes it; a mapping in flow style
    when the one it replaces was (a list item `{from: …, to: …}` stays on one line)."""
    if isinstance(value, dict):
        out = CommentedMap((k, _fresh(v, None)) for k, v in value.items())
        if isinstance(like, CommentedMap) and like.fa.flow_style():
            out.fa.set_flow_style()
        elif not any(isinstance(v, (dict, list)) for v in value.values()):
            out.fa.set_flow_style()  # the registry writes short flat mappings on one line
        return out
    if isinstance(value, list):
        items = list(like) if isinstance(like, CommentedSeq) else []
        out_list = CommentedSeq(_fresh(v, items[i] if i < len(items) else None) for i, v in enumerate(value))
        if value and all(not isinstance(v, (dict, list)) for v in value):
            out_list.fa.set_flow_style()
        return out_list
    if isinstance(value, str) and scalar(value).startswith('"'):
        return DoubleQuotedScalarString(value)
    return value


def _plain(value: Any) -> Any:
    """A loaded value as plain Python (ruamel's mappings, lists and quoted strings compare as their contents)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value
