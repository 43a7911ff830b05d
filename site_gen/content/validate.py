"""Check one parsed actor file against the schema; every problem names its key and line."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import yaml

from site_gen.content.markdown import MAX_NESTING, nesting
from site_gen.content.model import Term, Vocabularies
from site_gen.content.schema import (
    ACTOR_FIELDS,
    EMAIL_PATTERN,
    IMAGE_SUFFIXES,
    MAX_SLUG_LENGTH,
    MAX_WHOLE_NUMBER,
    SLUG_PATTERN,
    Field,
    Kind,
)
from site_gen.content.yamlfile import NumberAsWritten, YamlDocument, describe_path, quoted
from site_gen.errors import Problem
from site_gen.i18n import _, number
from site_gen.text import fold, nearest, slugify

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
    """A value that does not fit its field: message, how to fix it, and the kind's code."""

    def __init__(self, message: str, hint: str = "", code: str = "invalid-value"):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.code = code


def _describe(value: Any, written: str | None = None) -> str:
    """What the editor wrote, in words: quoted from the file when YAML read it otherwise."""
    if written is not None and value is not None:
        match value:
            case bool():
                return _("'{text}', which YAML reads as yes or no").format(text=written)
            case int() | float() if written != str(value):
                return _("'{text}', which YAML reads as a number").format(text=written)
            case date():
                return _("'{text}', which YAML reads as a date").format(text=written)
    match value:
        case None:
            return _("nothing")
        case bool():
            return _("true or false")
        case int() | float():
            return _("the number {number}").format(number=value)
        case str():
            return _("the text '{text}'").format(text=value) if len(value) <= 40 else _("a text")
        case list():
            return _("a list")
        case dict():
            return _("a set of keys")
        case date():
            return _("the date {date}").format(date=value.isoformat())
    return type(value).__name__


def _as_text(name: str, value: Any, written: str | None) -> str:
    """The line to write for `value` to be read as text, from what the editor typed."""
    text = written if written is not None else str(value)
    digits = text.replace(" ", "").replace(".", "")
    if name == "phone" and digits.isdigit() and len(digits) == 10:
        text = " ".join(digits[i : i + 2] for i in range(0, 10, 2))  # 05 61 00 00 00
    return f"{name}: {quoted(text)}"


def check_characters(value: str, markdown: bool = False) -> None:
    """Raise Invalid if a text holds a character no page or feed may show, or (Markdown)
    nests deeper than MAX_NESTING."""
    if found := _FORBIDDEN.search(value):
        raise Invalid(
            _("holds the invisible character U+{code} (character {position} of the text)").format(
                code=f"{ord(found[0]):04X}", position=found.start() + 1
            ),
            _(
                "Delete it: it is often pasted from a word processor or a PDF "
                "(written in quotes, YAML spells it \\x.. or \\u....)."
            ),
            "invisible-character",
        )
    if markdown and (depth := nesting(value)) > MAX_NESTING:
        raise Invalid(
            _("nests {depth} block quotes, lists or HTML elements; the limit is {limit}").format(
                depth=number(depth), limit=MAX_NESTING
            ),
            _("Remove the extra `>` or HTML tags: a text never needs so many levels."),
            "too-deep",
        )


@dataclass
class _Checker:
    doc: YamlDocument
    source: str
    vocabularies: Vocabularies
    problems: list[Problem]

    def report(self, path: tuple, message: str, hint: str = "", code: str = "") -> None:
        self.problems.append(Problem(self.source, self.doc.line_of(path), message, hint, code=code))

    def mapping(self, data: dict, fields: tuple[Field, ...], path: tuple) -> dict[str, Any]:
        by_name = {f.name: f for f in fields}
        where = describe_path(path) if path else ""
        for key in data:
            if key not in by_name:
                guess = meant_key(str(key), fields)
                if guess:
                    hint = _("Did you mean '{key}'?").format(key=guess)
                else:
                    hint = _("Allowed keys: {keys}.").format(keys=", ".join(by_name))
                if where:
                    message = _("unknown key '{key}' in {where}").format(key=key, where=where)
                else:
                    message = _("unknown key '{key}'").format(key=key)
                self.report((*path, key), message, hint, "unknown-key")
        clean: dict[str, Any] = {}
        for f in fields:
            if f.name not in data or data[f.name] is None:
                if f.required:
                    if where:
                        message = _("missing required key '{key}' in {where}")
                    else:
                        message = _("missing required key '{key}'")
                    self.report(
                        path,
                        message.format(key=f.name, where=where),
                        _("Add a line `{key}: …` ({doc})").format(key=f.name, doc=f.doc),
                        "missing-key",
                    )
                continue
            try:
                clean[f.name] = self.value(data[f.name], f, (*path, f.name))
            except Invalid as problem:
                message = _("{where}: {problem}").format(where=f.name, problem=problem.message)
                self.report((*path, f.name), message, problem.hint, problem.code)
        return clean

    def value(self, value: Any, f: Field, path: tuple) -> Any:
        kind = f.kind
        written = self.doc.written.get(path)
        if kind is Kind.POSITIVE_INTEGER:
            if isinstance(value, NumberAsWritten):  # 0x1389, 5_001, 0445: refused below
                written, value = str(value), yaml.safe_load(str(value))
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise Invalid(
                    _("expected a positive whole number, found {found}").format(
                        found=_describe(value, written)
                    ),
                    _("Write it without quotes, for example: {key}: {example}").format(
                        key=f.name, example=f.example or 1
                    ),
                    "not-a-number",
                )
            if written is not None and not (written.isdigit() and written[0] != "0"):
                # YAML 1.1 reads 012 as 10 (octal), 0x1F and 12:30 as numbers too
                fixed = written.lstrip("0") if written.isdigit() else ""
                raise Invalid(
                    _("'{text}' is read by YAML as the number {number}").format(
                        text=written, number=value
                    ),
                    _("Write instead: {line}").format(line=f"{f.name}: {fixed}")
                    if fixed
                    else _(
                        "Write the number with the digits 0 to 9 only, "
                        "for example: {key}: {example}"
                    ).format(key=f.name, example=f.example or 1),
                    "reinterpreted-value",
                )
            if value > MAX_WHOLE_NUMBER:
                raise Invalid(
                    _("{value} is too large; the limit is {limit}").format(
                        value=value, limit=number(MAX_WHOLE_NUMBER)
                    ),
                    _("Use the next free number of the catalogue."),
                    "too-large",
                )
            return value
        if kind is Kind.BOOLEAN:
            if not isinstance(value, bool):
                raise Invalid(
                    _("expected true or false, found {found}").format(
                        found=_describe(value, written)
                    ),
                    _("Write {key}: true (oui) or {key}: false (non).").format(key=f.name),
                    "not-a-boolean",
                )
            return value
        if kind is Kind.DATE:
            return _date(value, written)
        if kind in (Kind.TEXT_LIST, Kind.TERM_LIST, Kind.OBJECT_LIST, Kind.SLUG_LIST):
            if not isinstance(value, list):
                raise Invalid(
                    _("expected a list, found {found}").format(found=_describe(value, written)),
                    _("Write each item on its own line, starting with '- '."),
                    "not-a-list",
                )
            items = tuple(self.item(item, f, (*path, i)) for i, item in enumerate(value))
            if kind is Kind.TERM_LIST:
                self.once_each(items, path)
            return items
        return self.text(value, f, written)

    def once_each(self, terms: tuple[Term | None, ...], path: tuple) -> None:
        """A term listed twice would list the actor twice on its page."""
        first: dict[Term, int] = {}
        for i, term in enumerate(terms):
            if term is None:
                continue
            if term in first:
                self.report(
                    (*path, i),
                    _("{where}: '{term}' is already listed (item {item}, line {line})").format(
                        where=describe_path((*path, i)),
                        term=term.label,
                        item=first[term] + 1,
                        line=self.doc.line_of((*path, first[term])),
                    ),
                    _("Remove this line: each term is listed once."),
                    "listed-twice",
                )
            first.setdefault(term, i)

    def item(self, item: Any, f: Field, path: tuple) -> Any:
        """One list item; a bad item is reported on its own line and the others still checked."""
        try:
            if f.kind is Kind.OBJECT_LIST:
                if not isinstance(item, dict):
                    keys = ", ".join(s.name + ":" for s in f.fields)
                    raise Invalid(
                        _("expected an entry with keys ({keys}), found {found}").format(
                            keys=keys, found=_describe(item, self.doc.written.get(path))
                        ),
                        _("Write the keys of the entry under its '- ', indented."),
                        "not-an-entry",
                    )
                return self.mapping(item, f.fields, path)
            text = self.text(item, f, self.doc.written.get(path))
            if f.kind is Kind.TERM_LIST:
                return self.term(text, f.vocabulary or "")
            return text
        except Invalid as problem:
            message = _("{where}: {problem}").format(
                where=describe_path(path), problem=problem.message
            )
            self.report(path, message, problem.hint, problem.code)
            return None

    def text(self, value: Any, f: Field, written: str | None = None) -> str:
        if isinstance(value, NumberAsWritten):  # YAML's number, but as the editor wrote it
            raise Invalid(
                _("expected text, found {found}").format(
                    found=_("'{text}', which YAML reads as a number").format(text=value)
                ),
                _("Write instead: {line}").format(line=_as_text(f.name, value, str(value))),
                "reinterpreted-value",
            )
        if not isinstance(value, str):
            if isinstance(value, list | dict) or value is None:
                hint = _("Write the value on the same line as the key: {key}: …").format(key=f.name)
            else:
                hint = _("Write instead: {line}").format(line=_as_text(f.name, value, written))
            raise Invalid(
                _("expected text, found {found}").format(found=_describe(value, written)),
                hint,
                "reinterpreted-value" if written is not None else "not-a-text",
            )
        value = unicodedata.normalize("NFC", value.strip())  # Île typed as I + ^ is Île
        if not value:
            raise Invalid(
                _("must not be empty"), _("Write a value or remove the line."), "empty-value"
            )
        check_characters(value, markdown=f.kind is Kind.MARKDOWN)
        if f.kind is Kind.PLAIN_TEXT and "\n" in value:
            raise Invalid(
                _("must be on one line"),
                _("Use `>-` rather than `|` to fold the lines."),
                "not-one-line",
            )
        if f.max_length and len(value) > f.max_length:
            raise Invalid(
                _("is {length} characters long; the limit is {limit}").format(
                    length=len(value), limit=f.max_length
                ),
                _("Shorten it: this one line shows in lists and search engines."),
                "too-long",
            )
        if f.kind in (Kind.SLUG, Kind.SLUG_LIST) and value.isdigit():
            raise Invalid(
                _("'{slug}' needs at least one letter").format(slug=value),
                _("/acteurs/{slug}/ is kept for the redirect to actor number {slug}.").format(
                    slug=value
                ),
                "invalid-slug",
            )
        if f.kind in (Kind.SLUG, Kind.SLUG_LIST) and len(value) > MAX_SLUG_LENGTH:
            raise Invalid(
                _("is {length} characters long; the limit is {limit}").format(
                    length=len(value), limit=MAX_SLUG_LENGTH
                ),
                _("Shorten it: it is the end of the page's address."),
                "too-long",
            )
        if f.kind in (Kind.SLUG, Kind.SLUG_LIST) and not _SLUG.match(value):
            raise Invalid(
                _("'{slug}' is not a valid slug").format(slug=value),
                _(
                    "Use only lower-case letters a-z, digits and single hyphens, "
                    "for example: {example}"
                ).format(example=slugify(value) or "mon-acteur"),
                "invalid-slug",
            )
        if f.kind is Kind.URL:
            parts = urlsplit(value)
            if parts.scheme not in ("http", "https") or not parts.netloc or " " in value:
                hint = _("Write the full address, starting with https://")
                if not parts.scheme and "." in value and " " not in value:
                    hint = _("Write instead: {line}").format(line=f"{f.name}: https://{value}")
                raise Invalid(
                    _("'{url}' is not a web address").format(url=value), hint, "not-a-url"
                )
        if f.kind is Kind.IMAGE:
            _image_path(value)
        if f.kind is Kind.EMAIL and not _EMAIL.match(value):
            raise Invalid(
                _("'{email}' is not an e-mail address").format(email=value),
                _("Write it as name@domain.fr"),
                "not-an-email",
            )
        return value

    def term(self, label: str, vocabulary: str) -> Term:
        terms = self.vocabularies.terms(vocabulary)
        for term in terms:
            if term.label == label:
                return term
        guess = nearest(label, [t.label for t in terms])
        if guess:
            hint = _("Did you mean '{term}'?").format(term=guess)
        else:
            hint = _("The terms are listed in content/vocabularies.yaml.")
        raise Invalid(
            _("'{term}' is not in the {vocabulary} vocabulary").format(
                term=label, vocabulary=vocabulary
            ),
            hint,
            "not-in-vocabulary",
        )


def meant_key(key: str, fields: tuple[Field, ...]) -> str | None:
    """The key an editor most likely meant: its French name (nom → name), else the nearest
    spelling of one."""
    words = _key_words(key)
    for f in fields:
        if words in (_key_words(synonym) for synonym in f.synonyms):
            return f.name
    return nearest(key, [f.name for f in fields])


def _key_words(key: str) -> str:
    return " ".join(fold(key).replace("_", " ").replace("-", " ").split())


def _image_path(value: str) -> None:
    """Only the shape of the path here; actorfile.load_logo checks the file itself."""
    parts = PurePosixPath(value).parts
    if value.startswith(("/", "\\")) or ".." in parts or "\\" in value:
        raise Invalid(
            _("'{path}' must be a path inside the content folder").format(path=value),
            _("For example: logos/mon-acteur.png (relative to content/)"),
            "logo-outside",
        )
    suffix = PurePosixPath(value).suffix.lower()
    if suffix == ".svg":
        raise Invalid(
            _("SVG logos are refused: an SVG file can carry scripts"),
            _("Export the logo as PNG or WebP instead."),
            "logo-svg",
        )
    if suffix not in IMAGE_SUFFIXES:
        raise Invalid(
            _("'{path}' is not a PNG, JPEG or WebP file").format(path=value),
            _("Use an image ending in .png, .jpg or .webp."),
            "logo-format",
        )


def _date(value: Any, written: str | None) -> date:
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
        _("expected a date written YYYY-MM-DD, found {found}").format(
            found=_describe(value, written)
        ),
        _("For example: updated: 2026-11-01"),
        "not-a-date",
    )


def check_actor(
    doc: YamlDocument, source: str, vocabularies: Vocabularies, problems: list[Problem]
) -> dict[str, Any] | None:
    """The file's values, cleaned, or None when it cannot be read as an actor at all."""
    if doc.data is None:
        problems.append(
            Problem(
                source,
                1,
                _("the file is empty"),
                _("An actor file needs at least `id:` and `name:`."),
                code="empty-file",
            )
        )
        return None
    if not isinstance(doc.data, dict):
        problems.append(
            Problem(
                source,
                doc.line_of(()),
                _("expected keys such as `id:` and `name:`, found {found}").format(
                    found=_describe(doc.data, doc.written.get(()))
                ),
                _("Each line of an actor file starts with a key, e.g. `name: …`"),
                code="not-keys",
            )
        )
        return None
    checker = _Checker(doc, source, vocabularies, problems)
    return checker.mapping(doc.data, ACTOR_FIELDS, ())
