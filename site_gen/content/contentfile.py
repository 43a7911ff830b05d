"""One file of the content folder → its text (UTF-8, BOM, CRLF), its YAML, or a .md file's
front matter and body; what stands in the way is reported as a Problem, never raised."""

from __future__ import annotations

from pathlib import Path

from site_gen.content.schema import MAX_FILE_BYTES
from site_gen.content.yamlfile import YamlDocument, parse
from site_gen.errors import Problem, display_path


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
                "this file is a link to a place outside the content folder",
                "Copy the file into the folder instead.",
            )
        )
        return None
    size = resolved.stat().st_size
    if size > MAX_FILE_BYTES:
        problems.append(
            Problem(
                source,
                None,
                f"the file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}",
                "An actor file is text only: shorten it.",
            )
        )
        return None
    raw = resolved.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problems.append(
            Problem(
                source,
                line,
                "the file is not UTF-8 text",
                "Save it with the UTF-8 encoding (in most editors: "
                "File > Save with encoding > UTF-8).",
            )
        )
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_yaml(
    text: str, source: str, problems: list[Problem], first_line: int = 1
) -> YamlDocument | None:
    doc, issues = parse(text, first_line)
    problems.extend(Problem(source, i.line, i.message, i.hint, i.column) for i in issues)
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
                "a .md actor file must start with a line `---`",
                "Put the keys between two `---` lines, then the text.",
            )
        )
        return None
    for index, line in enumerate(lines[1:], start=1):
        if line.rstrip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    problems.append(
        Problem(
            source,
            1,
            "the front matter opened by `---` on line 1 is never closed",
            "Add a line `---` after the last key.",
        )
    )
    return None
