"""The record an edit rebuild needs of the last build, kept in record.SiteState: what the
site was made from (settings, lists, the content listing), what it holds (the exports'
chunks, the sitemap's entries), what each group of pages read (pages.planner.Plan) with the
value of each of those facts, and each actor file as that build read it (its listing,
warnings and date); and the store of the pages' recipes. A full build (pipeline.py) and an
edit rebuild (actor_edits.py) write it; reuse.py and the preview read it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from site_gen import fingerprint
from site_gen.build.options import BuildOptions
from site_gen.cache import TableStore, digest
from site_gen.content.advice import advise_actor
from site_gen.content.config import Settings
from site_gen.content.model import Actor, Catalogue, ClientAliases, Vocabularies
from site_gen.errors import Problem
from site_gen.pages.indexes import listing
from site_gen.pages.planner import Fact, Group, GroupRecord


class ActorEntry(NamedTuple):  # a named tuple: 10,000 of them load in a blink
    """An actor file as the last build read it."""

    id: int
    digest: str
    listing: str  # the digest of indexes.listing: what other pages show of it
    warnings: tuple[Problem, ...]
    updated: date | None  # its place in the feed


@dataclass(frozen=True)
class QuickState:
    """What the last build read and wrote that a quick rebuild needs (kept in SiteState)."""

    environment: str  # fingerprint.environment: templates, code, versions, options
    listing: dict[str, tuple[int, int]]  # every content file: size, mtime
    salt: str  # of the page keys (pipeline.page_salt)
    settings: Settings
    vocabularies: Vocabularies
    client_aliases: ClientAliases
    actors: dict[str, ActorEntry]  # by file, relative to the content folder
    groups: dict[Group, GroupRecord]  # what each group of pages read, and its pages
    facts: dict[Fact, str]  # the digest of the value of every fact a group read
    order: tuple[int, ...]  # actor ids in catalogue order (the exports' order)
    exports: dict[str, tuple[int, ...]]  # export route → the length of each of its chunks
    sitemap: tuple[tuple[str, str], ...]  # pages.sitemap_entries of the site
    pages: int
    files: int
    shared_warnings: tuple[Problem, ...] = ()  # of the catalogue whole: similar clients


def actor_file(actor: Actor) -> str:
    """The file an actor came from, relative to the content folder (as in the listing)."""
    return f"actors/{os.path.basename(actor.source)}"


def entries(
    catalogue: Catalogue, known: Mapping[str, ActorEntry] | None = None
) -> dict[str, ActorEntry]:
    """The entry of every actor; `known`: entries made by the same code (an actor's entry
    is a function of its digest, which covers every field and line), reused."""
    made = {}
    for actor in catalogue.actors:
        name = actor_file(actor)
        entry = known.get(name) if known is not None else None
        made[name] = (
            entry if entry is not None and entry.digest == actor.digest else actor_entry(actor)
        )
    return made


def listings(actors: Mapping[str, ActorEntry]) -> dict[str, tuple[int, str]]:
    """The id and listing digest of these actors, by digest (for planner.fact_digests)."""
    return {entry.digest: (entry.id, entry.listing) for entry in actors.values()}


def recipes(options: BuildOptions) -> TableStore:
    """Recipes of pages by page key (see incremental.page_key)."""
    return TableStore(options.cache_dir, "recipes", fingerprint.code())


def actor_entry(actor: Actor) -> ActorEntry:
    return ActorEntry(
        actor.id,
        actor.digest,
        digest(listing(actor)),
        advise_actor(actor),
        actor.updated,
    )
