"""An actor file in its canonical form (`fmt`): the schema's key order, texts of several lines
as `|-` blocks, long lines never folded, lists indented under their key, UTF-8, no tags.
What the web editor writes (its YAML library folds long texts) reads like an editor's file
again, and the values stay exactly what they were: the result is read back and compared."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from site_gen.content.contentfile import parse_yaml, read_text, split_front_matter
from site_gen.content.schema import ACTOR_FIELDS, Field, Kind
from site_gen.errors import Problem, display_path


class _Block(str):
    """A Markdown text: always a `|-` block, as editors write them, even on one line."""


class _Quoted(str):
    """A text the schema's example shows in quotes (a phone number): kept in "…"."""


class _Dumper(yaml.SafeDumper):
    """Lists indented under their key (`  - item`), as the sample's files write them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = None
    if isinstance(value, _Block) or "\n" in value.strip("\n"):
        style = "|"
    elif isinstance(value, _Quoted):
        style = '"'
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style=style)


_Dumper.add_representer(str, _text)
_Dumper.add_representer(_Block, _text)
_Dumper.add_representer(_Quoted, _text)


def _ordered(data: Any, fields: tuple[Field, ...]) -> Any:
    """`data` with the schema's keys first, in its order, then any other key as it came;
    keys given no value (`key:` or `key: ""`) are dropped, as `check` reads them as absent."""
    if not isinstance(data, dict):
        return data
    by_name = {f.name: f for f in fields}
    names = [f.name for f in fields if f.name in data] + [k for k in data if k not in by_name]
    ordered = {}
    for name in names:
        value = data[name]
        if value is None or value == "":
            continue
        field = by_name.get(name)
        if field is not None and field.fields and isinstance(value, list):
            value = [_ordered(item, field.fields) for item in value]
        elif field is not None and field.kind is Kind.MARKDOWN and isinstance(value, str):
            value = _Block(value)
        elif field is not None and field.example.startswith('"') and isinstance(value, str):
            value = _Quoted(value)
        ordered[name] = value
    return ordered


def _dump(data: dict) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**9)


def canonical(path: Path, problems: list[Problem]) -> str | None:
    """The canonical text of the actor file `path`, or None (with problems) if it cannot be
    read, or if it holds comments, which a rewrite would lose: those are left to the editor."""
    source = display_path(path)
    text = read_text(path, path.parent, problems)
    if text is None:
        return None
    body = None
    header = text
    if path.suffix == ".md":
        parts = split_front_matter(text, source, problems)
        if parts is None:
            return None
        header, body, _ = parts
    doc = parse_yaml(header, source, problems)
    if doc is None or not isinstance(doc.data, dict):
        if doc is not None:
            problems.append(Problem(source, 1, "expected keys such as `name:`"))
        return None
    if any(line.lstrip().startswith("#") for line in header.splitlines()):
        problems.append(
            Problem(
                source,
                1,
                "has comments: left as it is (rewriting it would lose them)",
                "Remove the comments, or put the file in order by hand.",
            )
        )
        return None
    data = _ordered(doc.data, ACTOR_FIELDS)
    result = _dump(data)
    if yaml.safe_load(result) != data:  # never change a value
        problems.append(Problem(source, 1, "could not be rewritten without changing a value"))
        return None
    if body is None:
        return result
    return f"---\n{result}---\n{body}"
