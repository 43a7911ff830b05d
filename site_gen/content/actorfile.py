"""One actor file → an Actor: its keys checked against the schema, its Markdown text, the
slug made from its name, its clients' names and its logo file; or None, with every problem."""

from __future__ import annotations

import hashlib
import sys
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import Any

from site_gen.cache import digest
from site_gen.content.contentfile import parse_yaml, read_text, split_front_matter
from site_gen.content.images import NotAnImage, inspect_image
from site_gen.content.model import Actor, Experience, Logo, Service, Vocabularies
from site_gen.content.schema import MAX_IMAGE_BYTES, MAX_SLUG_LENGTH
from site_gen.content.validate import Invalid, check_actor, check_characters
from site_gen.content.yamlfile import YamlDocument, describe_path
from site_gen.errors import Problem, display_path
from site_gen.i18n import _, number
from site_gen.text import client_key, slugify


def load_actor(
    path: Path,
    root: Path,
    vocabularies: Vocabularies,
    problems: list[Problem],
    text: str | None = None,
) -> Actor | None:
    """One actor file → an Actor, or None with the reasons appended to `problems`.
    `text`: the file's text, if read_text read it already."""
    source = display_path(path)
    before = len(problems)
    if text is None:
        text = read_text(path, root, problems)
    if text is None:
        return None
    body, body_line = "", 0
    if path.suffix == ".md":
        parts = split_front_matter(text, source, problems)
        if parts is None:
            return None
        text, body, body_line = parts
    doc = parse_yaml(text, source, problems, first_line=2 if path.suffix == ".md" else 1)
    if doc is None:
        return None
    values = check_actor(doc, source, vocabularies, problems)
    if values is None:
        return None
    if body.strip():
        if "about" in values:
            problems.append(
                Problem(
                    source,
                    body_line,
                    _("`about` is given twice: as a key and as the text after the en-tête"),
                    _("Keep only one: remove the line `about:` (line {line}) or the text.").format(
                        line=doc.line_of(("about",))
                    ),
                    code="about-twice",
                )
            )
        values["about"] = unicodedata.normalize("NFC", body.strip())
        try:
            check_characters(values["about"], markdown=True)
        except Invalid as problem:
            line = body_line + body[: len(body) - len(body.lstrip())].count("\n")
            problems.append(Problem(source, line, f"about: {problem.message}", problem.hint))
    if "slug" not in values and "name" in values:
        values["slug"] = slugify(values["name"])
        if not values["slug"] or values["slug"].isdigit():
            problems.append(
                Problem(
                    source,
                    doc.line_of(("name",)),
                    _("no address can be made from this name"),
                    _("Add a `slug:` key, e.g. slug: mon-acteur"),
                    code="no-slug",
                )
            )
        elif len(values["slug"]) > MAX_SLUG_LENGTH:
            problems.append(
                Problem(
                    source,
                    doc.line_of(("name",)),
                    _(
                        "the address made from this name is {length} characters long; "
                        "the limit is {limit}"
                    ).format(length=len(values["slug"]), limit=MAX_SLUG_LENGTH),
                    _("Add a shorter `slug:` key, e.g. slug: mon-acteur"),
                    code="too-long",
                )
            )
    _check_client_names(values, doc, source, problems)
    if "logo" in values:
        values["logo"] = load_logo(values["logo"], root, source, doc.line_of(("logo",)), problems)
    if len(problems) > before:
        return None
    # interned: the same few keys for every actor, shared once pickled together
    lines = {sys.intern(path[0]): line for path, line in doc.lines.items() if len(path) == 1}
    lines.setdefault("slug", lines.get("name", 1))
    actor = _actor(values, source, lines)
    return replace(actor, digest=digest(actor))


def _check_client_names(
    values: dict[str, Any], doc: YamlDocument, source: str, problems: list[Problem]
) -> None:
    """A client's page address comes from its name: a name of punctuation alone has none;
    and a client named twice in `clients` (up to case, accents, punctuation) would show
    twice on the profile."""
    named = [(("clients", i), name) for i, name in enumerate(values.get("clients") or ())]
    first: dict[str, tuple] = {}
    for path, name in named:
        key = client_key(name) if name else ""
        if key in first:
            line = doc.line_of(first[key][0])
            problems.append(
                Problem(
                    source,
                    doc.line_of(path),
                    _("{where}: '{name}' is the client '{first}' of line {line} again").format(
                        where=describe_path(path), name=name, first=first[key][1], line=line
                    ),
                    _("Remove one of the two lines (line {line} or this one).").format(line=line),
                    code="duplicate-client",
                )
            )
        elif key:
            first[key] = (path, name)
    named += [
        (("experiences", i, "client"), entry["client"])
        for i, entry in enumerate(values.get("experiences") or ())
        if entry and entry.get("client")
    ]
    for path, name in named:
        if name and len(client_key(name)) > MAX_SLUG_LENGTH:
            problems.append(
                Problem(
                    source,
                    doc.line_of(path),
                    f"{describe_path(path)}: the name is {len(name)} characters long, too "
                    "long to make the address of the client's page",
                    "Write the client's usual name; add the details to the description.",
                )
            )
        elif name and not client_key(name):
            problems.append(
                Problem(
                    source,
                    doc.line_of(path),
                    _("{where}: '{name}' is not a name").format(
                        where=describe_path(path), name=name
                    ),
                    _("Write the client's name in letters, e.g. Ville de Nantes."),
                    code="not-a-name",
                )
            )


def load_logo(
    relative: str, root: Path, source: str, line: int | None, problems: list[Problem]
) -> Logo | None:
    """The logo file, checked: inside content/, a real PNG/JPEG/WebP, not too heavy."""
    path = root / relative
    problem = None
    hint = _(
        "Put the image under content/logos/ and write its path, "
        "e.g. logo: logos/mon-acteur.png (500 KB at most)."
    )
    if not relative.isprintable() or len(relative.encode("utf-8", "replace")) > 255:
        problem = _("'{path}' is not a usable file name")  # NUL, control characters, too long
    elif not path.resolve().is_relative_to(root.resolve()):
        problem = _("'{path}' is outside the content folder")
    elif not path.is_file():
        problem = _("there is no file '{path}' in the content folder")
        inside = relative.split("/", 1)
        if len(inside) == 2 and inside[0] == root.name and (root / inside[1]).is_file():
            hint = _("The path starts inside content/: write instead: logo: {path}").format(
                path=inside[1]
            )
    elif path.stat().st_size > MAX_IMAGE_BYTES:
        problem = _("the image is {size} bytes; the limit is {limit}").format(
            size=number(path.stat().st_size), limit=number(MAX_IMAGE_BYTES), path="{path}"
        )
    if problem:
        problems.append(
            Problem(
                source,
                line,
                _("{where}: {problem}").format(where="logo", problem=problem.format(path=relative)),
                hint,
                code="logo-file",
            )
        )
        return None
    data = path.read_bytes()
    try:
        info = inspect_image(data)
    except NotAnImage as error:
        problems.append(
            Problem(
                source,
                line,
                _("logo: '{path}' is refused: {reason}").format(path=relative, reason=error),
                _("Save the logo as PNG, JPEG or WebP."),
                code="logo-format",
            )
        )
        return None
    digest = hashlib.sha256(data).hexdigest()[:10]
    return Logo(relative, info.extension, info.width, info.height, digest, data)


def _actor(values: dict[str, Any], source: str, lines: dict[str, int]) -> Actor:
    return Actor(
        **{k: v for k, v in values.items() if k not in ("services", "experiences")},
        source=source,
        lines=lines,
        services=tuple(Service(**s) for s in values.get("services", ())),
        experiences=tuple(Experience(**e) for e in values.get("experiences", ())),
    )
