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

from site_gen.i18n import _

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
    """Plain data plus where each piece came from (1-based lines, in the original file), and
    the source text of the plain values YAML reads as something other than text."""

    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    written: dict[Path_, str] = field(default_factory=dict)  # `0561000000`, `NO`, `12:30`…

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
    code: str = "yaml-syntax"


def describe_path(path: Path_) -> str:
    """services[2].title — how an editor finds the spot in the file."""
    text = ""
    for part in path:
        text += f"[{part + 1}]" if isinstance(part, int) else ("." if text else "") + part
    return text or _("the file")


def quoted(text: str) -> str:
    """`text` between double quotes, as a YAML value: what to write for it to stay text."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def parse(text: str, first_line: int = 1) -> tuple[YamlDocument | None, list[YamlIssue]]:
    """Parse `text`; line numbers are shifted so the text's first line is `first_line`."""
    loader = _Loader(text)
    offset = first_line - 1
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        return None, [syntax_issue(error, text, offset)]
    except yaml.reader.ReaderError as error:  # a character YAML refuses, by its position
        line = text[: error.position].count("\n") + 1 + offset
        return None, [
            YamlIssue(
                line,
                None,
                _(
                    "the file holds the control character U+{code}, which YAML does not allow"
                ).format(code=f"{error.character:04X}"),
                _("Delete it: it is invisible (often pasted from a word processor or a PDF)."),
                "invisible-character",
            )
        ]
    except yaml.YAMLError:  # pragma: no cover - libyaml always gives a mark
        return None, [YamlIssue(first_line, None, _("this file cannot be read as YAML"))]
    try:
        if node is None:
            return YamlDocument(None), []
        builder = _Builder(loader, offset)
        data = builder.build(node, (), 0)
        return YamlDocument(data, builder.lines, builder.written), (
            builder.issues + builder.alias_issues()
        )
    finally:
        loader.dispose()


_KEY_WITHOUT_SPACE = re.compile(r"^(\s*(?:- )?)([^\s:#'\"][^:]*):(\S.*)$")
_KEY_VALUE = re.compile(r"^(\s*(?:- )?)([^\s:#'\"][^:]*):\s+(.*)$")


def syntax_issue(error: yaml.MarkedYAMLError, text: str, offset: int) -> YamlIssue:
    """The parser's complaint, told in words at the line and column of the fault itself:
    PyYAML often notices a fault a line later (where it expected the missing `:`)."""
    lines = text.split("\n")
    problem, context = error.problem or "", error.context or ""
    mark = error.problem_mark or error.context_mark
    start = error.context_mark or mark

    def at(where: Any, message: str, hint: str, column: int | None = None) -> YamlIssue:
        if column is None:
            column = where.column
        return YamlIssue(where.line + 1 + offset, column + 1, message, hint, "yaml-syntax")

    def source(where: Any) -> str:
        return lines[where.line] if where is not None and where.line < len(lines) else ""

    def indent(line: str) -> int:
        return len(line) - len(line.lstrip(" "))

    bad = source(mark)
    if "\t" in bad[: mark.column + 1] or "tab" in problem:
        return YamlIssue(
            mark.line + 1 + offset,
            (bad.index("\t") if "\t" in bad else mark.column) + 1,
            _("a tab character is used to indent this line"),
            _("YAML indents with spaces only: replace the tab with spaces."),
            "yaml-tab",
        )
    if "could not find expected ':'" in problem and "simple key" in context:
        line = source(start)
        if found := _KEY_WITHOUT_SPACE.match(line):
            lead, key, value = found.groups()
            return at(
                start,
                _("a space is missing after the colon of '{key}:'").format(key=key),
                _("Write instead: {line}").format(line=f"{lead}{key}: {value}".strip()),
                len(lead) + len(key),
            )
        return at(
            start,
            _("this line has no colon: it is neither `key: value` nor a list item `- …`"),
            _(
                "If it continues the text of the line above, indent it like that text; "
                "otherwise write it as `key: value`."
            ),
            indent(line),
        )
    if "mapping values are not allowed" in problem:
        before = bad[: mark.column]
        found = _KEY_VALUE.match(bad)
        if found and ": " in before.strip() + " " and found.end(2) < mark.column:
            lead, key, value = found.groups()
            return at(
                mark,
                _("the value of '{key}' contains ': ', which YAML reads as a new key").format(
                    key=key
                ),
                _("Write instead: {line}").format(line=f"{key}: {quoted(value.strip())}"),
            )
        return at(
            mark,
            _("this line is indented more than the line above, which already has a value"),
            _("Start this line at the same column as the keys above it."),
            indent(bad),
        )
    if "cannot start any token" in problem or "undefined alias" in problem:
        char = bad[mark.column] if mark.column < len(bad) else "?"
        found = _KEY_VALUE.match(bad)
        hint = (
            _("Write instead: {line}").format(line=f"{found[2]}: {quoted(found[3].strip())}")
            if found
            else _("Put the value in double quotes.")
        )
        return at(mark, _("a value cannot start with '{char}'").format(char=char), hint)
    if "quoted scalar" in context:
        return at(
            start,
            _("the quotes opened here are never closed"),
            _("Add the closing quote at the end of the value."),
        )
    if "flow sequence" in context or "flow mapping" in context:
        opening = source(start)[start.column : start.column + 1] or "["
        closing = {"[": "]", "{": "}"}.get(opening, "]")
        return at(
            start,
            _("the '{opening}' opened here is never closed").format(opening=opening),
            _(
                "Close it with '{closing}' on the same line, and separate the items with commas."
            ).format(closing=closing),
        )
    if "expected key" in problem or "expected '-'" in problem or "<block end>" in problem:
        return at(
            mark,
            _("this line is not aligned with the lines above"),
            _(
                "Keys of one level start at the same column, and so do the items (`- `) of "
                "a list; every line of a text is indented at least as much as its first line."
            ),
            indent(bad),
        )
    return at(
        mark,
        _("YAML cannot read this line"),
        _(
            "Check the indentation and the punctuation "
            "(`: ` after each key, `- ` before each item)."
        ),
    )


class _Builder:
    def __init__(self, loader: Any, offset: int):
        self.loader = loader
        self.offset = offset
        self.lines: dict[Path_, int] = {}
        self.written: dict[Path_, str] = {}
        self.issues: list[YamlIssue] = []
        self.seen: set[int] = set()
        self.aliases: list[int] = []  # the lines of the aliases, reported once

    def alias_issues(self) -> list[YamlIssue]:
        """One issue for every alias of the file: on the first, with the lines of the others."""
        if not self.aliases:
            return []
        lines = sorted(set(self.aliases))
        message = _("YAML aliases (*name) are not allowed")
        if len(self.aliases) > 1:
            shown = ", ".join(map(str, lines[:5])) + (", …" if len(lines) > 5 else "")
            message = _(
                "YAML aliases (*name) are not allowed: {count} in this file (lines {lines})"
            ).format(count=len(self.aliases), lines=shown)
        hint = _("Write the value out in full instead of referring to an &anchor.")
        return [YamlIssue(lines[0], None, message, hint, "yaml-alias")]

    def _issue(self, node: yaml.Node, message: str, hint: str, code: str) -> None:
        line = node.start_mark.line + 1 + self.offset
        self.issues.append(YamlIssue(line, node.start_mark.column + 1, message, hint, code))

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
                _("the YAML tag '{tag}' is not allowed").format(tag=tag),
                _("Remove the tag (the part starting with `!`): only plain values are read."),
                "yaml-tag",
            )
            return None
        if depth > MAX_DEPTH:
            self._issue(
                node,
                _("the data is nested too deeply"),
                _("An actor file has at most three levels."),
                "too-deep",
            )
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        if not node.style and node.tag != "tag:yaml.org,2002:str":
            self.written[path] = node.value  # as typed: YAML 1.1 reads 0561000000 as octal
        if node.tag == "tag:yaml.org,2002:int" and not _DECIMAL.fullmatch(node.value):
            return NumberAsWritten(node.value)
        try:
            return self.loader.construct_object(node)
        except (yaml.YAMLError, ValueError, OverflowError, KeyError, AttributeError):
            if node.tag.endswith(":timestamp"):
                message = _("{where}: '{value}' is not a date of the calendar")
                hint = _("Write a real date as YYYY-MM-DD, e.g. 2026-11-01.")
            else:
                message = _("{where}: '{value}' cannot be read")
                hint = _("Write instead: {line}").format(
                    line=f"{path[-1] if path else ''}: {quoted(node.value)}"
                )
            where = describe_path(path)
            self._issue(node, message.format(where=where, value=node.value), hint, "invalid-value")
            return None

    def _mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self._issue(
                    key_node,
                    _("YAML merge keys (<<) are not allowed"),
                    _("Write the keys out in full."),
                    "yaml-merge",
                )
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
                if isinstance(key_node, yaml.ScalarNode):
                    message = _("a key must be a word, not '{key}'").format(key=key_node.value)
                elif isinstance(key_node, yaml.SequenceNode):
                    message = _("a key must be a word, not a list")
                else:
                    message = _("a key must be a word, not a set of keys")
                self._issue(
                    key_node,
                    message,
                    _("Keys are the words of the list of keys, such as name or city."),
                    "invalid-key",
                )
                continue
            key = key_node.value
            if key in result:
                first = self.lines.get((*path, key))
                self._issue(
                    key_node,
                    _("the key '{key}' appears twice (first on line {line})").format(
                        key=key, line=first
                    ),
                    _("Keep only one of them."),
                    "duplicate-key",
                )
                continue
            self.lines[(*path, key)] = key_node.start_mark.line + 1 + self.offset
            result[key] = self.build(value_node, (*path, key), depth + 1)
        return result
