"""Problems found in content or settings, and the exceptions that carry them to the CLI."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# What a terminal would act on or show wrongly: control characters (a newline, the escape
# that starts a terminal command), the bytes of a name that is not UTF-8 (decoded by Python
# as lone surrogates) and the marks that reorder text.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u200e\u200f\u2028-\u202e\u2066-\u2069]")

_UNPRINTABLE_TEXT = re.compile(_UNPRINTABLE.pattern.replace("\x00-\x1f", "\x00-\x08\x0b-\x1f"))


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8, as os.fsdecode gives it
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, lines: bool = False) -> str:
    """`text` safe to print: what a terminal would act on written as escapes (\\x1b);
    with `lines`, line breaks and tabs are kept (a message of several lines)."""
    return (_UNPRINTABLE_TEXT if lines else _UNPRINTABLE).sub(_escape, text)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one file, phrased for the editor who has to fix it."""

    path: str
    line: int | None
    message: str
    hint: str = ""
    column: int | None = None
    severity: str = "error"  # or "warning": worth a look, but the site is still built
    code: str = ""  # stable name of the kind of problem, for tools: "unknown-key"…

    def sort_key(self) -> tuple:
        """File, then line (problems about a whole file first), then message."""
        return (self.path, self.line or 0, self.column or 0, self.message)

    def location(self) -> str:
        where = printable(self.path)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def __str__(self) -> str:
        """Untranslated labels, for logs; editors read formats.as_text."""
        label = "warning: " if self.severity == "warning" else ""
        text = f"{self.location()}: {label}{printable(self.message, lines=True)}"
        if self.hint:
            text += f"\n    hint: {printable(self.hint, lines=True)}"
        return text


class SiteGenError(Exception):
    """Base of every error the CLI reports as a message rather than a traceback."""

    exit_status = 1


class ContentError(SiteGenError):
    """The content has problems; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=Problem.sort_key)
        super().__init__(f"{len(self.problems)} problem(s) in the content")


class UsageError(SiteGenError):
    """The command line or the environment is wrong (bad folder, bad option)."""

    exit_status = 2


def display_path(path: Path, root: Path | None = None) -> str:
    """A path as the user would type it: relative to the working directory when possible.

    Only lexical: resolving every path costs several system calls per file, and the
    user's own spelling of a path (relative, or through a link) is what they recognise.
    """
    if not path.is_absolute():
        return str(path)
    for base in (root, Path.cwd()):
        if base is not None and path.is_relative_to(base):
            return str(path.relative_to(base))
    return str(path)
