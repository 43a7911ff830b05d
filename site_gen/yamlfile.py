"""Read one YAML document safely into plain data, remembering the line of every key and item.

Only the standard YAML types are built (safe loader). Tags (`!!python/...`), aliases and
duplicate keys are refused: editors never need them, and refusing aliases means no
"billion laughs" expansion can ever happen downstream.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("map", "seq", "str", "int", "float", "bool", "null", "timestamp")
}
MAX_DEPTH = 20
_DECIMAL = re.compile(r"[-+]?(0|[1-9][0-9]*)")  # not 0445: octal for YAML 1.1


class NumberAsWritten(str):
    """A whole number YAML would read from other than decimal digits (0x1389, 5_001,
    1:23:21 in base 60, 0445 in octal), kept as the editor wrote it: the checks refuse it
    rather than take another number than the one the editor sees."""


Path_ = tuple[str | int, ...]


@dataclass
class YamlDocument:
    """Plain data plus where each piece came from (1-based lines, in the original file)."""

    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def line_of(self, path: Path_) -> int | None:
        """Line of the value at `path`, or of its nearest parent that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get(())


@dataclass(frozen=True)
class YamlIssue:
    line: int | None
    column: int | None
    message: str
    hint: str = ""


def describe_path(path: Path_) -> str:
    """services[2].title — how an editor finds the spot in the file."""
    text = ""
    for part in path:
        text += f"[{part + 1}]" if isinstance(part, int) else ("." if text else "") + part
    return text or "the file"


def parse(text: str, first_line: int = 1) -> tuple[YamlDocument | None, list[YamlIssue]]:
    """Parse `text`; line numbers are shifted so the text's first line is `first_line`."""
    loader = _Loader(text)
    offset = first_line - 1
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        return None, [_syntax_issue(error, text, offset)]
    except yaml.reader.ReaderError as error:  # a character YAML refuses, by its position
        line = text[: error.position].count("\n") + 1 + offset
        return None, [
            YamlIssue(
                line,
                None,
                f"the file holds the control character U+{error.character:04X}, "
                "which YAML does not allow",
                "Delete it: it is invisible (often pasted from a word processor or a PDF).",
            )
        ]
    except yaml.YAMLError as error:  # pragma: no cover - libyaml always gives a mark
        return None, [YamlIssue(first_line, None, f"YAML error: {error}")]
    try:
        if node is None:
            return YamlDocument(None), []
        builder = _Builder(loader, offset)
        data = builder.build(node, (), 0)
        return YamlDocument(data, builder.lines), builder.issues + builder.alias_issues()
    finally:
        loader.dispose()


def _syntax_issue(error: yaml.MarkedYAMLError, text: str, offset: int) -> YamlIssue:
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 + offset if mark else None
    column = mark.column + 1 if mark else None
    problem = error.problem or "syntax error"
    if error.context:
        problem = f"{error.context}, {problem}"
    hint = "Check the indentation and the punctuation (`:` after each key, `- ` before each item)."
    if mark is not None:
        source_lines = text.splitlines()
        bad_line = source_lines[mark.line] if mark.line < len(source_lines) else ""
        if "\t" in bad_line or "\t" in (error.problem or ""):
            hint = "YAML does not allow tab characters for indentation: indent with spaces."
        elif ": " in bad_line.split(":", 1)[-1]:
            hint = 'A value containing ": " must be quoted, for example: summary: "Ville : projet"'
    return YamlIssue(line, column, f"YAML syntax error: {problem}", hint)


def _written(node: yaml.Node) -> str:
    """A key as the editor wrote it: the text of a scalar, else what kind of value it is."""
    if isinstance(node, yaml.ScalarNode):
        return repr(node.value)
    return "a list" if isinstance(node, yaml.SequenceNode) else "a set of keys"


class _Builder:
    def __init__(self, loader: Any, offset: int):
        self.loader = loader
        self.offset = offset
        self.lines: dict[Path_, int] = {}
        self.issues: list[YamlIssue] = []
        self.seen: set[int] = set()
        self.aliases: list[int] = []  # the lines of the aliases, reported once

    def alias_issues(self) -> list[YamlIssue]:
        """One issue for every alias of the file: on the first, with the lines of the others."""
        if not self.aliases:
            return []
        lines = sorted(set(self.aliases))
        message = "YAML aliases (*name) are not allowed"
        if len(self.aliases) > 1:
            shown = ", ".join(map(str, lines[:5])) + (", …" if len(lines) > 5 else "")
            message += f": {len(self.aliases)} in this file (line(s) {shown})"
        hint = "Write the value out in full instead of referring to an &anchor."
        return [YamlIssue(lines[0], None, message, hint)]

    def _issue(self, node: yaml.Node, message: str, hint: str = "") -> None:
        line = node.start_mark.line + 1 + self.offset
        self.issues.append(YamlIssue(line, node.start_mark.column + 1, message, hint))

    def build(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        self.lines.setdefault(path, node.start_mark.line + 1 + self.offset)
        if id(node) in self.seen:  # the composer hands back the anchored node for an alias
            self.aliases.append(self.lines[path])
            return None
        self.seen.add(id(node))
        if node.tag not in _STANDARD_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            self._issue(
                node,
                f"YAML tag {tag!r} is not allowed",
                "Remove the tag (the part starting with `!`): only plain values are read.",
            )
            return None
        if depth > MAX_DEPTH:
            self._issue(node, "the data is nested too deeply")
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        if node.tag == "tag:yaml.org,2002:int" and not _DECIMAL.fullmatch(node.value):
            return NumberAsWritten(node.value)
        try:
            return self.loader.construct_object(node)
        except (yaml.YAMLError, ValueError, OverflowError, KeyError, AttributeError) as error:
            reason = getattr(error, "problem", None) or str(error)
            hint = (
                "Write a real date as YYYY-MM-DD, e.g. 2026-11-01."
                if node.tag.endswith(":timestamp")
                else "Put the value in quotes if it is meant as text."
            )
            self._issue(
                node, f"{describe_path(path)}: invalid value {node.value!r}: {reason}", hint
            )
            return None

    def _mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self._issue(
                    key_node,
                    "YAML merge keys (<<) are not allowed",
                    "Write the keys out in full in this entry instead of merging in another.",
                )
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
                self._issue(
                    key_node,
                    f"a key must be a plain word, not {_written(key_node)}",
                    "Write a word followed by `:`, e.g. `name: …`; quote a number or a date "
                    'meant as a key ("2024": …).',
                )
                continue
            key = key_node.value
            if key in result:
                first = self.lines.get((*path, key))
                self._issue(
                    key_node,
                    f"key {key!r} appears twice (first on line {first})",
                    "Keep only one of them.",
                )
                continue
            self.lines[(*path, key)] = key_node.start_mark.line + 1 + self.offset
            result[key] = self.build(value_node, (*path, key), depth + 1)
        return result
