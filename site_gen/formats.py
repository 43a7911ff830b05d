"""Problems as text for people, GitHub workflow commands, or JSON for other tools."""

from __future__ import annotations

import json
from collections.abc import Iterable

from site_gen.errors import Problem

FORMATS = ("text", "github", "json")


def as_dict(problem: Problem) -> dict:
    """The fields of `check --format json` and of the preview's overlay."""
    return {
        "severity": problem.severity,
        "file": problem.path,
        "line": problem.line,
        "column": problem.column,
        "message": problem.message,
        "hint": problem.hint,
    }


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
    message = problem.message + (f"\nhint: {problem.hint}" if problem.hint else "")
    command = "warning" if problem.severity == "warning" else "error"
    return f"::{command} {','.join(properties)}::{_escape_data(message)}"


def render(problems: Iterable[Problem], format: str) -> str:
    """All problems in one format, ready to print (no trailing newline)."""
    problems = list(problems)
    if format == "json":
        return json.dumps([as_dict(p) for p in problems], ensure_ascii=False, indent=2)
    if format == "github":
        return "\n".join(github(p) for p in problems)
    return "\n".join(str(p) for p in problems)
