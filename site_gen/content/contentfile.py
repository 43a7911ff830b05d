"""One file of the content folder → its text (UTF-8, BOM, CRLF), its YAML, or a .md file's
en-tête (the keys between two `---` lines) and body; what stands in the way is reported as a
Problem, never raised."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from site_gen.content.schema import MAX_FILE_BYTES
from site_gen.content.yamlfile import YamlDocument, parse
from site_gen.errors import Problem, display_path
from site_gen.i18n import _, number


def read_text(path: Path, root: Path, problems: list[Problem]) -> str | None:
    """The file as text (UTF-8, BOM and CRLF accepted), or None after reporting why not."""
    source = display_path(path)
    # Only a link can lead outside the folder (its parents were checked by the caller).
    resolved = path.resolve() if path.is_symlink() else path
    if resolved is not path and not resolved.is_relative_to(root.resolve()):
        problems.append(
            Problem(
                source,
                None,
                _("this file is a link to a place outside the content folder"),
                _("Copy the file into the folder instead."),
                code="link-outside",
            )
        )
        return None
    raw = _read_regular(resolved, source, problems)
    if raw is None:
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        problems.append(_not_utf8(source, raw[: error.start].count(b"\n") + 1))
        return None
    if "\0" in text:
        if _looks_like_utf16(raw):
            problems.append(_not_utf8(source, 1))
            return None
        before = text[: text.index("\0")]
        problems.append(
            Problem(
                source,
                before.count("\n") + 1,
                _("the file holds a NUL character (an invisible character, byte 0)"),
                _("Delete it: save the file again from a text editor, in UTF-8."),
                len(before) - before.rfind("\n"),
                code="nul-character",
            )
        )
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _read_regular(path: Path, source: str, problems: list[Problem]) -> bytes | None:
    """The bytes of a regular file, at most MAX_FILE_BYTES; a FIFO or a device (which would
    block, or never end) is reported, never read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        problems.append(
            Problem(
                source,
                None,
                _("the file cannot be read: {reason}").format(reason=error.strerror),
                code="unreadable",
            )
        )
        return None
    with os.fdopen(fd, "rb") as file:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            problems.append(
                Problem(
                    source,
                    None,
                    _("not a regular file (a pipe, a device or a socket)"),
                    _("Only text files belong in the content folder: remove it."),
                    code="not-a-file",
                )
            )
            return None
        if info.st_size > MAX_FILE_BYTES:
            problems.append(_too_big(source, info.st_size))
            return None
        raw = file.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:  # grew since
        problems.append(_too_big(source, len(raw)))
        return None
    return raw


def _too_big(source: str, size: int) -> Problem:
    return Problem(
        source,
        None,
        _("the file is {size} bytes; the limit is {limit}").format(
            size=number(size), limit=number(MAX_FILE_BYTES)
        ),
        _("An actor file is text only: shorten it."),
        code="file-too-big",
    )


def _not_utf8(source: str, line: int) -> Problem:
    return Problem(
        source,
        line,
        _("the file is not UTF-8 text"),
        _("Save it with the UTF-8 encoding (in most editors: File > Save with encoding > UTF-8)."),
        code="not-utf8",
    )


def _looks_like_utf16(raw: bytes) -> bool:
    """Text saved as UTF-16 without its mark: every other byte is 0."""
    return len(raw) >= 2 and max(raw[0::2].count(0), raw[1::2].count(0)) * 2 >= len(raw) // 2


def parse_yaml(
    text: str, source: str, problems: list[Problem], first_line: int = 1
) -> YamlDocument | None:
    doc, issues = parse(text, first_line)
    problems.extend(
        Problem(source, i.line, i.message, i.hint, i.column, code=i.code) for i in issues
    )
    return doc


def split_front_matter(
    text: str, source: str, problems: list[Problem]
) -> tuple[str, str, int] | None:
    """(YAML text, Markdown body, line where the body starts) of a .md actor file."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        problems.append(
            Problem(
                source,
                1,
                _("a .md actor file must start with a line `---`"),
                _("Put the keys between two `---` lines (the en-tête), then the text."),
                code="no-header",
            )
        )
        return None
    for index, line in enumerate(lines[1:], start=1):
        if line.rstrip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    expected = _closing_line(lines)
    problems.append(
        Problem(
            source,
            expected,
            _(
                "the en-tête opened by `---` on line 1 is never closed: "
                "a line `---` is expected here"
            ),
            _("Add a line `---` after the last key (line {line}), before the text.").format(
                line=expected - 1
            ),
            code="header-unclosed",
        )
    )
    return None


_YAML_LINE = re.compile(r"^(\s|#|- |[^\s:#][^:]*:(\s|$))")


def _closing_line(lines: list[str]) -> int:
    """Where the `---` closing an en-tête was expected: after its last line of keys, before
    the first line that is not one (a blank line, then text)."""
    last_key = 1
    for position, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        if not _YAML_LINE.match(line):
            break
        last_key = position
    return last_key + 1
