"""What one actor alone decides, made once per actor and kept between builds.

An actor's open-data record (its JSON file, its row of the CSV export) and its search
record depend on that actor and the settings only, so they are keyed by the actor's digest:
a rebuild after an edit makes them for the edited actor and reuses the others'.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any

from markupsafe import Markup

from site_gen import fingerprint
from site_gen.cache import TableStore, digest
from site_gen.content.config import Settings
from site_gen.content.markdown import MarkdownRenderer
from site_gen.content.model import Actor, Catalogue
from site_gen.errors import SiteGenError
from site_gen.i18n import _
from site_gen.pages import routes
from site_gen.pages.exports import actor_record, csv_row, to_json
from site_gen.pages.search_record import record as search_record
from site_gen.parallel import map_chunks


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
    search: dict  # its record for the search index (search_record.py)


PARTS = ("html", "json", "csv_row", "search")
ACTOR = (
    "actor"  # the Actor without its texts, for an edit rebuild that shows it (build/edit_pages.py)
)


class Derived:
    """Every actor's data, read from the cache when a page needs it (hundreds of megabytes
    at 10,000 actors: never all in memory)."""

    def __init__(
        self,
        stores: dict[str, TableStore],
        keys: dict[int, str],
        present: dict[str, set[str]] | None = None,
    ):
        """`present`: the keys each store held when the build began (derive's), for
        `prune`."""
        self.stores, self.keys, self.present = stores, keys, present

    def _get(self, part: str, actor_id: int) -> Any:
        value = self.stores[part].get(self.keys[actor_id])
        if value is None:
            raise SiteGenError(_("the cache changed during the build: build again"))
        return value

    def actor(self, key: str) -> Actor | None:
        """The actor whose digest is `key`, if it is kept."""
        return self.stores[ACTOR].get(key)

    def actors(self, keys: list[str]) -> dict[str, Actor]:
        """The actors whose digests are `keys`, by digest: those that are kept."""
        return self.stores[ACTOR].get_many(keys)

    def reader(self) -> Derived:
        """This data as a render worker reads it: the stores and the actors' keys."""
        return Derived(self.stores, self.keys)

    def kept(self, part: str, key: str) -> Any:
        """One part of the data of the actor whose digest is `key` (another version than
        the catalogue's, maybe), if it is kept."""
        return self.stores[part].get(key)

    def prune(self) -> None:
        """Forget the data of actors that are not the catalogue's (older versions, deleted
        files), once the build no longer needs to compare them with the new: what the
        stores held when derive listed them and is not current."""
        if self.present is None:
            raise SiteGenError("only the data derive made knows what to prune")
        current = set(self.keys.values())
        for part, store in self.stores.items():
            store.forget(self.present[part] - current)

    def add(self, settings: Settings, actors: list[Actor]) -> list[ActorData]:
        """Make and keep the data of these actors, new versions of some of the catalogue's."""
        made = [actor_data(settings, actor) for actor in actors]
        _store(self.stores, list(zip(actors, made, strict=True)))
        self.keys.update((actor.id, actor.digest) for actor in actors)
        return made

    def html(self, actor_id: int) -> ActorHtml:
        return self._get("html", actor_id)

    def json(self, actor_id: int) -> bytes:
        return self._get("json", actor_id)

    def html_of(self, actor_ids: Iterable[int]) -> Iterator[ActorHtml]:
        """`html` of each of these actors, in order, read together (a client's page lists
        dozens)."""
        return self.of("html", actor_ids)

    def of(self, part: str, actor_ids: Iterable[int]) -> Iterator[Any]:
        """One part of the data of each of these actors, in order, read together."""
        return self._read(part, [self.keys[actor_id] for actor_id in actor_ids])

    def each(self, part: str) -> Iterator[Any]:
        """One part of every actor's data, in catalogue order, read a few hundred at a time."""
        return self._read(part, list(self.keys.values()))

    def _read(self, part: str, keys: list[str]) -> Iterator[Any]:
        for start in range(0, len(keys), 500):
            batch = keys[start : start + 500]
            values = self.stores[part].get_many(batch)
            for key in batch:
                if key not in values:
                    raise SiteGenError(_("the cache changed during the build: build again"))
                yield values[key]


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


def pickled_data(settings: Settings, actor: Actor) -> tuple[bytes, ...]:
    """The actor itself and its data, each part pickled as its store keeps it (made in a
    worker: the build process then only stores bytes)."""
    data = actor_data(settings, actor)
    return tuple(pickle.dumps(_kept(part, actor, data), protocol=5) for part in (*PARTS, ACTOR))


def _kept(part: str, actor: Actor, data: ActorData) -> Any:
    """What the store of `part` keeps for this actor."""
    return actor.without_texts() if part == ACTOR else getattr(data, part)


def derive(
    settings: Settings,
    catalogue: Catalogue,
    cache_dir: Path | None = None,
    workers: int | None = None,
    with_texts: Callable[[list[Actor]], list[Actor]] | None = None,
) -> Derived:
    """Every actor's data: from the cache when the actor is unchanged, else made on every
    core and stored. The data of other versions stays until `Derived.prune`.
    `with_texts(actors)`: these actors with their texts, for those of the catalogue that
    come without (from the cache of parsed files, see actorcache.py) and whose data is
    not kept."""
    stores = derived_stores(settings, cache_dir)
    keys = {actor.id: actor.digest or digest(actor) for actor in catalogue.actors}
    present = {part: store.keys() for part, store in stores.items()}
    known = set.intersection(*present.values())
    missing = [actor for actor in catalogue.actors if keys[actor.id] not in known]
    textless = [actor for actor in missing if not actor.has_texts]
    if textless:
        if with_texts is None:
            raise SiteGenError("the texts of actors read from the cache are needed")
        again = iter(with_texts(textless))
        missing = [actor if actor.has_texts else next(again) for actor in missing]
    # fresh workers: forked ones would each start with the whole catalogue and its texts
    made = map_chunks(partial(pickled_data, settings), missing, workers, fresh=True)
    made = zip((keys[actor.id] for actor in missing), made, strict=True)
    while batch := list(islice(made, 500)):  # stored as they come: never all in memory
        for number, store in enumerate(stores.values()):
            store.put_pickled((key, parts[number]) for key, parts in batch)
    return Derived(stores, keys, present)


def derived_stores(settings: Settings, cache_dir: Path | None) -> dict[str, TableStore]:
    environment = digest((fingerprint.code(), settings))
    return {part: TableStore(cache_dir, part, environment) for part in (*PARTS, ACTOR)}


def _store(stores: dict[str, TableStore], batch: list[tuple[Actor, ActorData]]) -> None:
    keys = [actor.digest or digest(actor) for actor, _ in batch]
    for part, store in stores.items():
        values = (_kept(part, actor, data) for actor, data in batch)
        store.put_many(zip(keys, values, strict=True))
