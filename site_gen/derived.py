"""What one actor alone decides, made once per actor and kept between builds.

An actor's open-data record (its JSON file, its row of the CSV export) and its search
record depend on that actor and the settings only, so they are keyed by the actor's digest:
a rebuild after an edit makes them for the edited actor and reuses the others'.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path

from markupsafe import Markup

from . import fingerprint, routes
from .cache import ShardedStore, digest
from .config import Settings
from .exports import actor_record, csv_row, to_json
from .markdown import MarkdownRenderer
from .model import Actor, Catalogue
from .parallel import map_chunks
from .search import record as search_record


@dataclass(frozen=True)
class ActorHtml:
    """The actor's Markdown as sanitized HTML, headings placed under the page's own."""

    about: Markup
    services: tuple[Markup, ...]  # one per service, in order
    experiences: tuple[Markup, ...]  # one per experience, in order


@dataclass(frozen=True)
class ActorData:
    html: ActorHtml
    json: bytes  # the open-data record, as the actor's own JSON file holds it
    csv_row: str  # the same record as a row of the CSV export
    search: dict  # its record for the search index (search.py)


def actor_data(settings: Settings, actor: Actor) -> ActorData:
    markdown = MarkdownRenderer()
    html = ActorHtml(
        markdown.render(actor.about, 3),
        tuple(markdown.render(s.description, 4) for s in actor.services),
        tuple(markdown.render(e.description, 4) for e in actor.experiences),
    )
    logo, url = actor.logo, settings.base_url + routes.actor(actor.slug)
    logo_url = (
        settings.base_url + routes.logo(actor.slug, logo.digest, logo.extension) if logo else ""
    )
    record = actor_record(actor, url, logo_url, markdown)  # the same HTML, remembered
    return ActorData(html, to_json(record), csv_row(record), search_record(settings, actor))


def derive(
    settings: Settings,
    catalogue: Catalogue,
    cache_dir: Path | None = None,
    workers: int | None = None,
) -> dict[int, ActorData]:
    """Every actor's data by id: from the cache when the actor is unchanged, else made on
    every core."""
    store = ShardedStore(cache_dir, "derived", digest((fingerprint.code(), settings)))
    keys = {actor.id: actor.digest or digest(actor) for actor in catalogue.actors}
    missing = [actor for actor in catalogue.actors if store.get(keys[actor.id]) is None]
    for actor, data in zip(
        missing, map_chunks(partial(actor_data, settings), missing, workers), strict=True
    ):
        store.put(keys[actor.id], data)
    store.keep_only(keys.values())
    store.save()
    return {actor.id: store.get(keys[actor.id]) for actor in catalogue.actors}
