"""Read the content folder: settings, vocabularies and actor files → the model, or every problem."""

from __future__ import annotations

import hashlib
import os
import re
import sys
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from . import fingerprint
from .actorcache import ActorCache, Signature, content_digest, signature
from .cache import digest
from .config import Settings, default_settings_file, settings_from_data
from .errors import ContentError, Problem, SiteGenError, UsageError, display_path
from .images import NotAnImage, inspect_image
from .model import (
    Actor,
    Catalogue,
    ClientAliases,
    Experience,
    Logo,
    Service,
    Term,
    Vocabularies,
)
from .parallel import map_chunks
from .schema import MAX_FILE_BYTES, MAX_IMAGE_BYTES, SLUG_PATTERN, VOCABULARY_NAMES
from .text import client_key, slugify, sort_key
from .validate import check_actor
from .yamlfile import YamlDocument, describe_path, parse

ACTOR_SUFFIXES = (".yaml", ".yml", ".md")
VOCABULARY_FILE = "vocabularies.yaml"
CLIENTS_FILE = "clients.yaml"


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


def load_vocabularies(path: Path, problems: list[Problem]) -> Vocabularies:
    source = display_path(path)
    found: dict[str, tuple[Term, ...]] = {name: () for name in VOCABULARY_NAMES}
    text = read_text(path, path.parent, problems) if path.exists() else None
    if text is None:
        if not path.exists():
            problems.append(
                Problem(
                    source,
                    None,
                    "the vocabularies file is missing",
                    "Create it with `territories:` and `contexts:` lists.",
                )
            )
        return Vocabularies(**found)
    doc = parse_yaml(text, source, problems)
    data = doc.data if doc else None
    if not isinstance(data, dict):
        if doc is not None:
            problems.append(Problem(source, 1, "expected the keys `territories:` and `contexts:`"))
        return Vocabularies(**found)
    for key in data:
        if key not in VOCABULARY_NAMES:
            problems.append(
                Problem(
                    source,
                    doc.line_of((key,)),
                    f"unknown vocabulary {key!r}",
                    "Only `territories` and `contexts` exist.",
                )
            )
    for name in VOCABULARY_NAMES:
        found[name] = _vocabulary(name, data.get(name), doc, source, problems)
    return Vocabularies(**found)


def _vocabulary(
    name: str, entries: Any, doc: YamlDocument, source: str, problems: list[Problem]
) -> tuple[Term, ...]:
    if not isinstance(entries, list):
        problems.append(
            Problem(
                source,
                doc.line_of((name,)),
                f"{name}: expected a list of terms",
                "Each term: `- {label: Bretagne, slug: bretagne}`",
            )
        )
        return ()
    terms: list[Term] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries):
        line = doc.line_of((name, index))
        if (
            not isinstance(entry, dict)
            or set(entry) != {"label", "slug"}
            or not all(isinstance(v, str) and v.strip() for v in entry.values())
        ):
            problems.append(
                Problem(
                    source,
                    line,
                    f"{name}: each term needs exactly a `label` and a `slug`",
                    "For example: - {label: Bretagne, slug: bretagne}",
                )
            )
            continue
        label, slug = entry["label"].strip(), entry["slug"].strip()
        if not re.match(SLUG_PATTERN, slug):
            problems.append(
                Problem(
                    source,
                    line,
                    f"{name}: slug {slug!r} is not valid",
                    "Use lower-case letters a-z, digits and single hyphens.",
                )
            )
            continue
        for key in (label, "slug:" + slug):
            if key in seen:
                problems.append(
                    Problem(source, line, f"{name}: {key!r} is already used on line {seen[key]}")
                )
            seen[key] = line or 0
        terms.append(Term(name, label, slug))
    return tuple(terms)


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
                    "`about` is given twice: as a key and as the text after the front matter",
                    "Keep only one.",
                )
            )
        values["about"] = body.strip()
    if "slug" not in values and "name" in values:
        values["slug"] = slugify(values["name"])
        if not values["slug"] or values["slug"].isdigit():
            problems.append(
                Problem(
                    source,
                    doc.line_of(("name",)),
                    "no address can be made from this name",
                    "Add a `slug:` key, e.g. slug: mon-acteur",
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
    """A client's page address comes from its name: a name of punctuation alone has none."""
    named = [(("clients", i), name) for i, name in enumerate(values.get("clients") or ())]
    named += [
        (("experiences", i, "client"), entry["client"])
        for i, entry in enumerate(values.get("experiences") or ())
        if entry and entry.get("client")
    ]
    for path, name in named:
        if name and not client_key(name):
            problems.append(
                Problem(
                    source,
                    doc.line_of(path),
                    f"{describe_path(path)}: {name!r} is not a name",
                    "Write the client's name in letters, e.g. Ville de Nantes.",
                )
            )


def load_logo(
    relative: str, root: Path, source: str, line: int | None, problems: list[Problem]
) -> Logo | None:
    """The logo file, checked: inside content/, a real PNG/JPEG/WebP, not too heavy."""
    path = root / relative
    problem = None
    if not relative.isprintable() or len(relative.encode("utf-8", "replace")) > 255:
        problem = "is not a usable file name"  # NUL, control characters, too long
    elif not path.resolve().is_relative_to(root.resolve()):
        problem = "is outside the content folder"
    elif not path.is_file():
        problem = f"no file {display_path(path)}"
    elif path.stat().st_size > MAX_IMAGE_BYTES:
        problem = f"the image is {path.stat().st_size:,} bytes; the limit is {MAX_IMAGE_BYTES:,}"
    if problem:
        problems.append(
            Problem(
                source,
                line,
                f"logo: {problem}",
                "Put the image under content/logos/ and write its path, "
                "e.g. logo: logos/mon-acteur.png (500 KB at most).",
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
                f"logo: {relative} is refused: {error}",
                "Save the logo as PNG, JPEG or WebP.",
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


def load_texts(
    content_dir: Path, vocabularies: Vocabularies, workers: int | None, actors: list[Actor]
) -> list[Actor]:
    """These actors of the catalogue, taken from the cache without their texts, parsed
    again from their files with them (for derive, when their HTML is no longer kept: a
    cache deleted in part, or other settings). Raises SiteGenError if a file changed since
    the catalogue was loaded."""

    def load_one(actor: Actor) -> Actor | None:
        path = content_dir / "actors" / Path(actor.source).name
        return load_actor(path, content_dir, vocabularies, [])

    found = list(map_chunks(load_one, actors, workers))
    for actor, again in zip(actors, found, strict=True):
        if again is None or again.digest != actor.digest:
            raise SiteGenError(f"{actor.source} changed during the build: build again")
    return found


def actor_files(actors_dir: Path, problems: list[Problem]) -> list[Path]:
    files = []
    # scandir: whether an entry is a folder comes with it, without a stat per file
    with os.scandir(actors_dir) as entries:
        found = sorted((entry.name, entry.is_dir()) for entry in entries)
    for name, is_dir in found:
        if fingerprint.is_leftover(name):
            continue
        path = actors_dir / name
        if is_dir or path.suffix not in ACTOR_SUFFIXES:
            problems.append(
                Problem(
                    display_path(path),
                    None,
                    "not an actor file",
                    "Actor files end in .yaml or .md; move other files out of content/actors/.",
                )
            )
            continue
        files.append(path)
    return files


def check_unique(actors: list[Actor], problems: list[Problem]) -> None:
    """Ids and slugs name one actor each; a clash names both files and lines."""
    for attribute in ("id", "slug"):
        first: dict[Any, Actor] = {}
        for actor in actors:
            value = getattr(actor, attribute)
            if value not in first:
                first[value] = actor
                continue
            other = first[value]
            where = f"{other.source}:{other.lines[attribute]}"
            hint = f"Give one of the two actors another {attribute}."
            if attribute == "slug":
                hint += " The slug is made from the name unless a `slug:` key is given."
            problems.append(
                Problem(
                    actor.source,
                    actor.lines[attribute],
                    f"{attribute} {value!r} is already used by {where}",
                    hint,
                )
            )


def load_client_aliases(path: Path, problems: list[Problem]) -> ClientAliases:
    """content/clients.yaml: `Canonical name: [variant, variant]`; the file is optional."""
    if not path.exists():
        return ClientAliases()
    source = display_path(path)
    text = read_text(path, path.parent, problems)
    doc = parse_yaml(text, source, problems) if text is not None else None
    if doc is None or doc.data is None:
        return ClientAliases()
    hint = "Write each client as `Nom retenu: [variante 1, variante 2]`."
    if not isinstance(doc.data, dict):
        problems.append(
            Problem(source, 1, "expected client names followed by their variants", hint)
        )
        return ClientAliases()
    canonical_by_key: dict[str, str] = {}
    for canonical, variants in doc.data.items():
        line = doc.line_of((canonical,))
        if not isinstance(variants, list) or not all(
            isinstance(v, str) and v.strip() for v in variants
        ):
            problems.append(Problem(source, line, f"{canonical}: expected a list of names", hint))
            continue
        for name in (canonical, *variants):
            key = client_key(name)
            if canonical_by_key.get(key, canonical) != canonical:
                problems.append(
                    Problem(
                        source,
                        line,
                        f"{name!r} is already merged into {canonical_by_key[key]!r}",
                        "A spelling can belong to one client only.",
                    )
                )
                continue
            canonical_by_key[key] = canonical
    return ClientAliases(canonical_by_key)


def load_settings(
    content_dir: Path, problems: list[Problem], base_url: str | None = None
) -> Settings:
    path = default_settings_file(content_dir)
    source = display_path(path)
    data, lines = None, {}
    if path.exists():
        text = read_text(path, content_dir, problems)
        doc = parse_yaml(text, source, problems) if text is not None else None
        if doc is not None:
            data, lines = doc.data, doc.lines
    return settings_from_data(data, source, lines, problems, base_url)


def actor_cache(content_dir: Path, cache_dir: Path | None) -> ActorCache:
    """The parsed actor files of `content_dir` kept by earlier builds, checked by this code
    with these vocabularies (known by their file's bytes: equal Vocabularies may pickle
    differently, as one read from a cache does)."""
    try:
        vocabularies = hashlib.sha256((content_dir / VOCABULARY_FILE).read_bytes()).hexdigest()
    except OSError:
        vocabularies = ""
    environment = digest(
        (fingerprint.code(), vocabularies, str(content_dir.resolve()), os.getcwd())
    )
    return ActorCache(cache_dir, environment)


def current_content(content_dir: Path, path: Path, actor: Actor) -> str | None:
    """The content_digest of an actor file and of its logo as they are now (None if they
    cannot be read), for ActorCache.get."""
    text = read_text(path, content_dir, [])
    logo = None
    if text is not None and actor.logo:
        logo_path = content_dir / actor.logo.source
        if not logo_path.resolve().is_relative_to(content_dir.resolve()):
            return None
        try:
            logo = logo_path.read_bytes()
        except OSError:
            return None
    return None if text is None else content_digest(text, logo)


def load_catalogue(
    content_dir: Path,
    base_url: str | None = None,
    workers: int | None = None,
    cache_dir: Path | None = None,
) -> tuple[Settings, Catalogue]:
    """Everything in `content_dir`, checked; raises ContentError listing every problem.

    With a `cache_dir`, actor files unchanged since an earlier build are not parsed again.
    """
    problems: list[Problem] = []
    settings = load_settings(content_dir, problems, base_url)
    vocabularies = load_vocabularies(content_dir / VOCABULARY_FILE, problems)
    client_aliases = load_client_aliases(content_dir / CLIENTS_FILE, problems)
    actors_dir = content_dir / "actors"
    if not actors_dir.resolve().is_relative_to(content_dir.resolve()):
        raise UsageError(f"{actors_dir} is a link to a folder outside {content_dir}")

    def load_one(path: Path) -> tuple[Actor | None, list[Problem], Signature, str]:
        found: list[Problem] = []
        before = signature(path)  # first: an edit made while it is read is seen next time
        text = read_text(path, content_dir, found)
        if text is None:
            return None, found, before, ""
        actor = load_actor(path, content_dir, vocabularies, found, text)
        logo = actor.logo.data if actor and actor.logo else None
        return actor, found, before, content_digest(text, logo)

    files = actor_files(actors_dir, problems)
    cache = actor_cache(content_dir, cache_dir)
    content_now = partial(current_content, content_dir)
    actors, to_parse = [], []
    for path in files:
        cached = cache.get(path, content_now)
        if cached is None:
            to_parse.append(path)
        else:
            actors.append(cached)
    parsed = map_chunks(load_one, to_parse, workers)
    for path, (actor, found, before, content) in zip(to_parse, parsed, strict=True):
        problems.extend(found)
        if actor is not None:
            actors.append(actor)
            cache.put(path, actor, before, content)
    cache.keep_only(path.name for path in files)
    cache.save()
    check_unique(actors, problems)
    if problems:
        raise ContentError(problems)
    actors.sort(key=lambda a: (sort_key(a.name), a.id))
    return settings, Catalogue(tuple(actors), vocabularies, client_aliases)
