"""The pages a quick rebuild makes again, rendered: those that show an edited actor, from
their recipes; those a move changes (moves.py), planned again by the full build's planner
over every actor; for a new date, the feed; the sitemap, if its entries changed. The
Workbench renders them, and keeps what it read from one rebuild to the next in a preview.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from typing import NamedTuple

from site_gen.build.edit_record import QuickState, actor_file, recipes
from site_gen.build.export_chunks import EXPORTS
from site_gen.build.options import BuildOptions
from site_gen.build.record import SiteState
from site_gen.build.term_moves import moved_pages, placement
from site_gen.content.model import Actor, Catalogue
from site_gen.pages import routes
from site_gen.pages.actor_pages import lastmod
from site_gen.pages.derived import ACTOR, Derived, derived_stores
from site_gen.pages.indexes import CatalogueIndex, index_catalogue
from site_gen.pages.keys import NotQuick, PageKey, RecipeReader, page_key
from site_gen.pages.planner import PagePlanner, sitemap_entries
from site_gen.pages.routes import output_path
from site_gen.pages.views import Card
from site_gen.render.links import extract
from site_gen.render.renderer import Renderer, collect_assets


class Workbench:
    """What quick rebuilds make pages with. A preview keeps one from rebuild to rebuild:
    the actors it reads from the cache and the cards it renders are kept by content (an
    actor by its digest, a card by its fields), so they are made once; the index of the
    last move's planner is the start of the next one's (indexes.py)."""

    def __init__(self, options: BuildOptions, quick: QuickState):
        self.made_for = (quick.environment, quick.salt)
        assets = collect_assets(options.templates_dir, quick.settings)
        self.renderer = Renderer(options.templates_dir, quick.settings, assets, options.cache_dir)
        self.actors: dict[str, Actor] = {}  # by digest, without texts
        self.index: CatalogueIndex | None = None

    def prepare(self, options: BuildOptions, quick: QuickState) -> None:
        """Load every template and every actor of `quick` now, and index them (a preview's
        background thread), so that no edit waits for them: 1.3–1.6 s at 10,000 actors,
        18 s at 100,000. An edit shows a few hundred other actors' cards, read one by one
        otherwise, and a move plans its pages with that index (see `pages_to_remake`)."""
        environment = self.renderer.env
        for name in environment.list_templates(extensions=("html", "xml", "txt")):
            environment.get_template(name)
        self.load_actors(options, quick)
        derived = Derived(derived_stores(quick.settings, options.cache_dir), {})
        try:
            catalogue = self.catalogue(quick, derived, {})
        except NotQuick:
            return  # the first move indexes them
        index = index_catalogue(quick.settings, catalogue, 1, options.cache_dir)
        _ = index.clients  # made now rather than at the first edit of a client
        self.index = index

    def load_actors(self, options: BuildOptions, quick: QuickState) -> None:
        """Read every actor of `quick` it lacks, a few hundred at a time."""
        store = derived_stores(quick.settings, options.cache_dir)[ACTOR]
        keys = [e.digest for e in quick.actors.values() if e.digest not in self.actors]
        for start in range(0, len(keys), 500):
            found = store.get_many(keys[start : start + 500])
            self.actors.update(found)  # without their texts, as the full build's pages see them

    def fits(self, quick: QuickState) -> bool:
        """Whether it renders pages as the build `quick` records would (same templates,
        code, settings, vocabularies…)."""
        return self.made_for == (quick.environment, quick.salt)

    def catalogue(self, quick: QuickState, derived: Derived, edited: dict[int, Actor]) -> Catalogue:
        """Every actor of `quick` in catalogue order, the `edited` ones (by id) in place of
        their last versions. Raises NotQuick if one is not in the cache."""
        digests = {entry.id: entry.digest for entry in quick.actors.values()}
        actors = tuple(edited.get(i) or self.actor(digests[i], derived) for i in quick.order)
        return Catalogue(actors, quick.vocabularies, quick.client_aliases)

    def actor(self, key: str, derived: Derived) -> Actor:
        if key not in self.actors:
            found = derived.actor(key)
            if found is None:
                raise NotQuick(f"actor {key} is not in the cache")
            self.actors[key] = found
        return self.actors[key]


def pages_to_remake(
    options: BuildOptions,
    state: SiteState,
    derived: Derived,
    new: dict[str, Actor],
    bench: Workbench,
    sitemap: tuple[tuple[str, str], ...] | None,
) -> Planned:
    """Every page that shows an edited actor, made again from its recipe; the pages a
    move changes (see moves.py) planned again; if a date changed (`sitemap`: the
    new entries of the sitemap), the feed planned again; and the sitemap, if its entries
    changed. `state`: the record of the site, with what the last build left for edits."""
    quick: QuickState = state.quick
    edited = {old: actor.without_texts() for old, actor in new.items()}
    had = {actor.id: quick.actors[actor_file(actor)].placement for actor in edited.values()}
    moved = [(had[a.id], a) for a in edited.values() if placement(a) != had[a.id]]
    catalogue = Catalogue((), quick.vocabularies, quick.client_aliases)
    if moved:  # the planner of the full build, over every actor
        bench.load_actors(options, quick)
        catalogue = bench.catalogue(quick, derived, {a.id: a for a in edited.values()})
    cache_dir = options.cache_dir if moved else None  # the last ranking of related actors
    last = bench.index if moved else None  # the index the last move left
    index = index_catalogue(quick.settings, catalogue, 1, cache_dir, last)
    planner = PagePlanner(quick.settings, catalogue, b"", derived, index)
    if moved:
        bench.index = planner.index

    def actor(key: str) -> Actor:  # `key` may be the digest an edited actor replaces
        return edited[key] if key in edited else bench.actor(key, derived)

    def card(key: str) -> Card:
        return planner.card(actor(key))

    store = recipes(options)
    shown = last.ranking if last is not None and _in_step(last, quick) else None
    pages, gone = moved_pages(planner, state.keys, moved, shown) if moved else ([], frozenset())
    replanned = {page.route for page in pages}
    showing = {route for old in new for route in state.shows.get(old, ())}
    showing -= set(EXPORTS) | replanned | gone
    entries = quick.sitemap if sitemap is None else sitemap
    if added := [page for page in pages if page.route not in state.keys]:
        entries = tuple(sorted((*entries, *sitemap_entries(added))))
    if gone:
        entries = tuple(entry for entry in entries if entry[0] not in gone)
    if sitemap is not None:  # the feed's order may change: planned again below
        showing.discard(routes.FEED)
    for route in sorted(showing):
        recipe = store.get(state.keys.get(route, ""))
        if recipe is None:
            raise NotQuick(f"no recipe for {route}")
        salt, page = RecipeReader(recipe, actor, card, planner).page()
        if salt != quick.salt:
            raise NotQuick("a recipe of another build")
        pages.append(page)
    if sitemap is not None:
        pages.append(planner.feed(actor(key) for key in _newest(quick, new)))
    if entries != quick.sitemap:
        pages.append(planner.sitemap(entries))
    made = {}
    for page in pages:
        key = page_key(quick.salt, page)
        if key.key == state.keys.get(page.route):
            continue  # the same bytes
        path = output_path(page.route)
        data = bench.renderer.render(page)
        made[path] = (data, key, *extract(path, data))
    return Planned(made, replanned, gone, entries)


def _in_step(index: CatalogueIndex, quick: QuickState) -> bool:
    """Whether `index` holds the actors of the site `quick` records, each in the version
    the site shows: then its ranking is the one the site's profiles show (the pages of a
    site are always those a clean build makes of its actors)."""
    shown = {entry.id: entry.digest for entry in quick.actors.values()}
    actors = index.catalogue.actors
    if index.catalogue.client_aliases != quick.client_aliases or len(actors) != len(shown):
        return False
    return all(shown.get(actor.id) == actor.digest for actor in actors)


class Planned(NamedTuple):
    """What `pages_to_remake` planned and made."""

    made: dict[str, tuple[bytes, PageKey, tuple[str, ...], frozenset[str]]]  # by output path:
    # each page whose key changed, its bytes, key, links and ids
    replanned: set[str]  # routes of the pages a move planned again (what they show changes)
    gone: frozenset[str]  # routes of the pages a move removes
    sitemap: tuple[tuple[str, str], ...]  # the entries of the new sitemap


def redated_sitemap(
    sitemap: tuple[tuple[str, str], ...], actors: Iterable[Actor]
) -> tuple[tuple[str, str], ...]:
    """The entries of the sitemap with the new dates of these actors' profiles."""
    dates = {routes.actor(actor.slug): lastmod(actor) for actor in actors}
    if sum(route in dates for route, _ in sitemap) != len(dates):
        raise NotQuick("a profile is not in the sitemap as recorded")
    return tuple((route, dates.get(route, modified)) for route, modified in sitemap)


def _newest(quick: QuickState, new: dict[str, Actor]) -> list[str]:
    """The actors the feed lists once the edited actors `new` have their new dates: by
    the digest of the version the last build read (as `new` is keyed). The same as
    PagePlanner.feed's choice (site_pages.feed_order), from the dates the last build noted
    instead of every actor."""
    updated = {old: actor.updated for old, actor in new.items()}
    dated = ((updated.get(e.digest, e.updated), e.id, e.digest) for e in quick.actors.values())
    newest = heapq.nlargest(quick.settings.feed_size, (d for d in dated if d[0] is not None))
    return [digest for _, _, digest in newest]
