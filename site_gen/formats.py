"""Problems as text for people, GitHub workflow commands, or JSON for other tools."""

from __future__ import annotations

import json
from collections.abc import Iterable

from site_gen.errors import Problem
from site_gen.i18n import _, ngettext

FORMATS = ("text", "github", "json")
GROUP_FROM = 6  # warnings of one kind, at least this many, print as one entry
GROUP_SHOWN = 5  # the files such an entry names


def as_dict(problem: Problem) -> dict:
    """The fields of `check --format json` and of the preview's overlay."""
    return {
        "severity": problem.severity,
        "code": problem.code,
        "file": problem.path,
        "line": problem.line,
        "column": problem.column,
        "message": problem.message,
        "hint": problem.hint,
    }


def as_text(problem: Problem) -> str:
    """`file:line:column: message`, then the hint, for a terminal."""
    text = f"{problem.location()}: "
    if problem.severity == "warning":
        text += _("warning: ")
    text += problem.message
    if problem.hint:
        text += "\n    " + _("hint: ") + problem.hint
    return text


def grouped(problems: Iterable[Problem]) -> list[tuple[Problem, list[Problem]]]:
    """Each problem with the others of its kind it stands for: the warnings of one kind
    (GROUP_FROM or more) become their first one, followed by the rest."""
    problems = list(problems)
    by_kind: dict[str, list[Problem]] = {}
    for problem in problems:
        if problem.severity == "warning" and problem.code:
            by_kind.setdefault(problem.code, []).append(problem)
    result = []
    for problem in problems:
        same = by_kind.get(problem.code, []) if problem.severity == "warning" else []
        if len(same) < GROUP_FROM:
            result.append((problem, []))
        elif same[0] is problem:
            result.append((problem, same[1:]))
    return result


def grouped_text(problems: Iterable[Problem]) -> str:
    """The text of the problems, repeated warnings once each with a count and where."""
    entries = []
    for problem, others in grouped(problems):
        text = as_text(problem)
        if others:
            places = ", ".join(p.location() for p in others[: GROUP_SHOWN - 1])
            more = ngettext(
                "the same warning in {count} other place: {places}",
                "the same warning in {count} other places, among them: {places}",
                len(others),
            )
            text += "\n    " + more.format(count=len(others), places=places)
            text += "\n    " + _("(--warnings all prints each of them)")
        entries.append(text)
    return "\n".join(entries)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github(problem: Problem) -> str:
    """`::error file=…,line=…,col=…::message`: GitHub shows it on that line of a pull request.

    Escaped as GitHub's own toolkit does (actions/toolkit, command.ts): %, CR and LF in the
    message; the same plus `:` and `,` in properties.
    """
    properties = [f"file={_escape_property(problem.path)}"]
    if problem.line is not None:
        properties.append(f"line={problem.line}")
        if problem.column is not None:
            properties.append(f"col={problem.column}")
    hint = "\n" + _("hint: ") + problem.hint if problem.hint else ""
    command = "warning" if problem.severity == "warning" else "error"
    return f"::{command} {','.join(properties)}::{_escape_data(problem.message + hint)}"


def render(problems: Iterable[Problem], format: str, group: bool = False) -> str:
    """All problems in one format, ready to print (no trailing newline); `group`: repeated
    warnings once each, in the text format (the others list every problem)."""
    problems = list(problems)
    if format == "json":
        return json.dumps([as_dict(p) for p in problems], ensure_ascii=False, indent=2)
    if format == "github":
        return "\n".join(github(p) for p in problems)
    if group:
        return grouped_text(problems)
    return "\n".join(as_text(p) for p in problems)
