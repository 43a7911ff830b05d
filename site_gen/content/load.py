"""Read the content folder: settings, vocabularies and actor files → the model, or every problem.

The catalogue as a whole is here: which files are actors, the cache of parsed ones, the
parallel parse, and the checks across actors; one file's reading is in contentfile.py,
one actor's in actorfile.py, the shared lists in vocabularies.py.
"""

from __future__ import annotations

import hashlib
import os
from functools import partial
from pathlib import Path
from typing import Any

from site_gen import fingerprint
from site_gen.cache import digest
from site_gen.content.actorcache import ActorCache, Signature, content_digest, signature
from site_gen.content.actorfile import (
    load_actor,  # called by this name: tests replace load.load_actor
)
from site_gen.content.config import Settings, default_settings_file, settings_from_data
from site_gen.content.contentfile import parse_yaml, read_text
from site_gen.content.info_texts import load_info_texts
from site_gen.content.model import Actor, Catalogue, Vocabularies
from site_gen.content.vocabularies import (
    CLIENTS_FILE,
    VOCABULARY_FILE,
    load_client_aliases,
    load_vocabularies,
)
from site_gen.errors import ContentError, Problem, SiteGenError, UsageError, display_path
from site_gen.i18n import _
from site_gen.parallel import map_chunks
from site_gen.text import sort_key

ACTOR_SUFFIXES = (".yaml", ".yml", ".md")


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
            raise SiteGenError(
                _("{file} changed during the build: build again").format(file=actor.source)
            )
    return found


def _is_utf8(name: str) -> bool:
    """Whether a file name as the system gives it was UTF-8 (else it holds surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def actor_files(actors_dir: Path, problems: list[Problem]) -> list[Path]:
    files = []
    # scandir: whether an entry is a folder comes with it, without a stat per file
    with os.scandir(actors_dir) as entries:
        found = sorted((entry.name, entry.is_dir()) for entry in entries)
    for name, is_dir in found:
        if fingerprint.is_leftover(name):
            continue
        path = actors_dir / name
        if not _is_utf8(name):
            problems.append(
                Problem(
                    display_path(path),
                    None,
                    _("the file name is not UTF-8 text"),
                    _(
                        "Rename the file with letters, digits and dashes, for example "
                        "nom-de-l-acteur.yaml (git mv OLD NEW)."
                    ),
                    code="file-name-not-utf8",
                )
            )
            continue
        if is_dir or path.suffix not in ACTOR_SUFFIXES:
            problems.append(
                Problem(
                    display_path(path),
                    None,
                    _("not an actor file"),
                    _("Actor files end in .yaml or .md; move other files out of content/actors/."),
                    code="not-an-actor-file",
                )
            )
            continue
        files.append(path)
    return files


def check_unique(actors: list[Actor], problems: list[Problem]) -> None:
    """Ids and slugs name one actor each; a clash names both files and lines, and always
    blames the file later in name order (the actors come cached or parsed, in any order)."""
    in_order = sorted(actors, key=lambda actor: actor.source)
    free_id = max((actor.id for actor in actors), default=0) + 1
    for attribute in ("id", "slug"):
        first: dict[Any, Actor] = {}
        for actor in in_order:
            value = getattr(actor, attribute)
            if value not in first:
                first[value] = actor
                continue
            other = first[value]
            where = f"{other.source}:{other.lines[attribute]}"
            if attribute == "id":
                message = _("id {value} is already used by {where}")
                hint = _("Give this actor the next free id: id: {free}").format(free=free_id)
                code = "duplicate-id"
                free_id += 1
            else:
                message = _("slug '{value}' is already used by {where}")
                hint = _(
                    "Give one of the two actors another slug. The slug is made from the name "
                    "unless a `slug:` key is given, e.g. slug: {example}"
                ).format(example=f"{value}-{actor.id}")
                code = "duplicate-slug"
            problems.append(
                Problem(
                    actor.source,
                    actor.lines[attribute],
                    message.format(value=value, where=where),
                    hint,
                    code=code,
                )
            )


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
    client_aliases = load_client_aliases(content_dir / CLIENTS_FILE, problems, vocabularies)
    texts = load_info_texts(content_dir, problems)
    actors_dir = content_dir / "actors"
    if not actors_dir.resolve().is_relative_to(content_dir.resolve()):
        raise UsageError(
            _("{folder} is a link to a folder outside {content}").format(
                folder=actors_dir, content=content_dir
            )
        )

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
    actors.sort(key=catalogue_order)
    return settings, Catalogue(tuple(actors), vocabularies, client_aliases, texts)


def catalogue_order(actor: Actor) -> tuple[str, int]:
    """Where an actor stands in the catalogue (and every list of actors): by its name as
    readers sort it, then by id."""
    return sort_key(actor.name), actor.id
