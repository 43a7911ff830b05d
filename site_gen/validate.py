"""Check one parsed actor file against the schema; every problem names its key and line."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from .errors import Problem
from .markdown import MAX_NESTING, nesting
from .model import Term, Vocabularies
from .schema import (
    ACTOR_FIELDS,
    EMAIL_PATTERN,
    IMAGE_SUFFIXES,
    MAX_SLUG_LENGTH,
    MAX_WHOLE_NUMBER,
    SLUG_PATTERN,
    Field,
    Kind,
)
from .text import nearest
from .yamlfile import NumberAsWritten, YamlDocument, describe_path

_SLUG = re.compile(SLUG_PATTERN)
# Characters no text may hold: invisible, and not allowed in XML (the feed) or HTML: C0
# controls but tab and line ends, DEL, C1 controls, lone surrogates and noncharacters.
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(
        f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
    )
    + "]"
)
_EMAIL = re.compile(EMAIL_PATTERN)


class Invalid(Exception):
    """A value that does not fit its field: message plus how to fix it."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint


def _describe(value: Any) -> str:
    match value:
        case None:
            return "nothing"
        case bool():
            return f"the boolean {str(value).lower()}"
        case int() | float():
            return f"the number {value}"
        case str():
            return f"the text {value!r}" if len(value) <= 40 else "a text"
        case list():
            return "a list"
        case dict():
            return "a set of keys"
        case date():
            return f"the date {value.isoformat()}"
    return type(value).__name__


def check_characters(value: str, markdown: bool = False) -> None:
    """Raise Invalid if a text holds a character no page or feed may show, or (Markdown)
    nests deeper than MAX_NESTING."""
    if found := _FORBIDDEN.search(value):
        raise Invalid(
            f"holds the invisible character U+{ord(found[0]):04X} "
            f"(character {found.start() + 1} of the text)",
            "Delete it: it is often pasted from a word processor or a PDF "
            "(written in quotes, YAML spells it \\x.. or \\u....).",
        )
    if markdown and (depth := nesting(value)) > MAX_NESTING:
        raise Invalid(
            f"nests {depth:,} block quotes, lists or HTML elements; the limit is {MAX_NESTING}",
            "Remove the extra `>` or HTML tags: a text never needs so many levels.",
        )


@dataclass
class _Checker:
    doc: YamlDocument
    source: str
    vocabularies: Vocabularies
    problems: list[Problem]

    def report(self, path: tuple, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.source, self.doc.line_of(path), message, hint))

    def mapping(self, data: dict, fields: tuple[Field, ...], path: tuple) -> dict[str, Any]:
        by_name = {f.name: f for f in fields}
        where = f" in {describe_path(path)}" if path else ""
        for key in data:
            if key not in by_name:
                guess = nearest(key, list(by_name))
                hint = (
                    f"Did you mean {guess!r}?"
                    if guess
                    else "Allowed keys: " + ", ".join(by_name) + "."
                )
                self.report((*path, key), f"unknown key {key!r}{where}", hint)
        clean: dict[str, Any] = {}
        for f in fields:
            if f.name not in data or data[f.name] is None:
                if f.required:
                    self.report(
                        path,
                        f"missing required key {f.name!r}{where}",
                        f"Add a line `{f.name}: …` ({f.doc})",
                    )
                continue
            try:
                clean[f.name] = self.value(data[f.name], f, (*path, f.name))
            except Invalid as problem:
                self.report((*path, f.name), f"{f.name}: {problem.message}", problem.hint)
        return clean

    def value(self, value: Any, f: Field, path: tuple) -> Any:
        kind = f.kind
        if kind is Kind.POSITIVE_INTEGER:
            if isinstance(value, NumberAsWritten):
                raise Invalid(
                    f"expected a whole number in plain digits, found {str(value)!r}",
                    f"Write it with the digits 0-9 only, for example: {f.name}: {f.example or 1}",
                )
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise Invalid(
                    f"expected a positive whole number, found {_describe(value)}",
                    f"Write it without quotes, for example: {f.name}: {f.example or 1}",
                )
            if value > MAX_WHOLE_NUMBER:
                raise Invalid(
                    f"{value} is too large; the limit is {MAX_WHOLE_NUMBER:,}",
                    "Use the next free number of the catalogue.",
                )
            return value
        if kind is Kind.BOOLEAN:
            if not isinstance(value, bool):
                raise Invalid(
                    f"expected true or false, found {_describe(value)}",
                    f"Write {f.name}: true (oui) or {f.name}: false (non).",
                )
            return value
        if kind is Kind.DATE:
            return _date(value)
        if kind in (Kind.TEXT_LIST, Kind.TERM_LIST, Kind.OBJECT_LIST, Kind.SLUG_LIST):
            if not isinstance(value, list):
                raise Invalid(
                    f"expected a list, found {_describe(value)}",
                    "Write each item on its own line, starting with '- '.",
                )
            items = tuple(self.item(item, f, (*path, i)) for i, item in enumerate(value))
            if kind is Kind.TERM_LIST:
                self.once_each(items, path)
            return items
        return self.text(value, f)

    def once_each(self, terms: tuple[Term | None, ...], path: tuple) -> None:
        """A term listed twice would list the actor twice on its page."""
        first: dict[Term, int] = {}
        for i, term in enumerate(terms):
            if term is None:
                continue
            if term in first:
                self.report(
                    (*path, i),
                    f"{describe_path((*path, i))}: {term.label!r} is already listed "
                    f"(item {first[term] + 1})",
                    "Remove this line: each term is listed once.",
                )
            first.setdefault(term, i)

    def item(self, item: Any, f: Field, path: tuple) -> Any:
        """One list item; a bad item is reported on its own line and the others still checked."""
        try:
            if f.kind is Kind.OBJECT_LIST:
                if not isinstance(item, dict):
                    keys = ", ".join(s.name + ":" for s in f.fields)
                    raise Invalid(f"expected an entry with keys ({keys}), found {_describe(item)}")
                return self.mapping(item, f.fields, path)
            text = self.text(item, f)
            if f.kind is Kind.TERM_LIST:
                return self.term(text, f.vocabulary or "")
            return text
        except Invalid as problem:
            self.report(path, f"{describe_path(path)}: {problem.message}", problem.hint)
            return None

    def text(self, value: Any, f: Field) -> str:
        if isinstance(value, NumberAsWritten):  # YAML's number, but as the editor wrote it
            raise Invalid(
                f"expected text, found the number {value}",
                f'Put the value in quotes, for example: {f.name}: "{value}"',
            )
        if not isinstance(value, str):
            raise Invalid(
                f"expected text, found {_describe(value)}",
                f'Put the value in quotes, for example: {f.name}: "{value}"',
            )
        value = unicodedata.normalize("NFC", value.strip())  # Île typed as I + ^ is Île
        if not value:
            raise Invalid("must not be empty", "Write a value or remove the line.")
        check_characters(value, markdown=f.kind is Kind.MARKDOWN)
        if f.kind is Kind.PLAIN_TEXT and "\n" in value:
            raise Invalid("must be on one line", "Use `>-` rather than `|` to fold the lines.")
        if f.max_length and len(value) > f.max_length:
            raise Invalid(
                f"is {len(value)} characters long; the limit is {f.max_length}",
                "Shorten it: this one line shows in lists and search engines.",
            )
        if f.kind in (Kind.SLUG, Kind.SLUG_LIST) and value.isdigit():
            raise Invalid(
                f"{value!r} needs at least one letter",
                f"/acteurs/{value}/ is kept for the redirect to actor number {value}.",
            )
        if f.kind in (Kind.SLUG, Kind.SLUG_LIST) and len(value) > MAX_SLUG_LENGTH:
            raise Invalid(
                f"is {len(value)} characters long; the limit is {MAX_SLUG_LENGTH}",
                "Shorten it: it is the end of the page's address.",
            )
        if f.kind in (Kind.SLUG, Kind.SLUG_LIST) and not _SLUG.match(value):
            raise Invalid(
                f"{value!r} is not a valid slug",
                "Use only lower-case letters a-z, digits and single hyphens, "
                "for example: mon-acteur",
            )
        if f.kind is Kind.URL:
            parts = urlsplit(value)
            if parts.scheme not in ("http", "https") or not parts.netloc or " " in value:
                raise Invalid(
                    f"{value!r} is not a web address",
                    "Write the full address, starting with https://",
                )
        if f.kind is Kind.IMAGE:
            _image_path(value)
        if f.kind is Kind.EMAIL and not _EMAIL.match(value):
            raise Invalid(f"{value!r} is not an e-mail address", "Write it as name@domain.fr")
        return value

    def term(self, label: str, vocabulary: str) -> Term:
        terms = self.vocabularies.terms(vocabulary)
        for term in terms:
            if term.label == label:
                return term
        guess = nearest(label, [t.label for t in terms])
        hint = (
            f"Did you mean {guess!r}?"
            if guess
            else "The terms are listed in content/vocabularies.yaml."
        )
        raise Invalid(f"{label!r} is not in the {vocabulary} vocabulary", hint)


def _image_path(value: str) -> None:
    """Only the shape of the path here; actorfile.load_logo checks the file itself."""
    parts = PurePosixPath(value).parts
    if value.startswith(("/", "\\")) or ".." in parts or "\\" in value:
        raise Invalid(
            f"{value!r} must be a path inside the content folder",
            "For example: logos/mon-acteur.png (relative to content/)",
        )
    suffix = PurePosixPath(value).suffix.lower()
    if suffix == ".svg":
        raise Invalid(
            "SVG logos are refused: an SVG file can carry scripts",
            "Export the logo as PNG or WebP instead.",
        )
    if suffix not in IMAGE_SUFFIXES:
        raise Invalid(
            f"{value!r} is not a PNG, JPEG or WebP file",
            "Use an image ending in .png, .jpg or .webp.",
        )


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise Invalid(
        f"expected a date written YYYY-MM-DD, found {_describe(value)}",
        "For example: updated: 2026-11-01",
    )


def check_actor(
    doc: YamlDocument, source: str, vocabularies: Vocabularies, problems: list[Problem]
) -> dict[str, Any] | None:
    """The file's values, cleaned, or None when it cannot be read as an actor at all."""
    if doc.data is None:
        problems.append(
            Problem(
                source, 1, "the file is empty", "An actor file needs at least `id:` and `name:`."
            )
        )
        return None
    if not isinstance(doc.data, dict):
        problems.append(
            Problem(
                source,
                doc.line_of(()),
                f"expected keys such as `id:` and `name:`, found {_describe(doc.data)}",
                "Each line of an actor file starts with a key, e.g. `name: …`",
            )
        )
        return None
    checker = _Checker(doc, source, vocabularies, problems)
    return checker.mapping(doc.data, ACTOR_FIELDS, ())
