"""The pages an edit rebuild makes again, rendered: when no edited actor's listing changed,
those that show an edited actor, from their recipes, and for a new date the feed; else the
groups of pages that read a fact whose value changed (pages/planner.py), planned again by
the planner of every actor; then the sitemap, if its entries changed. The Workbench renders
them, and keeps what it read from one rebuild to the next in a preview.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from typing import NamedTuple

from site_gen.build.edit_record import QuickState, actor_file, listings, recipes
from site_gen.build.export_chunks import EXPORTS
from site_gen.build.options import BuildOptions
from site_gen.build.record import SiteState
from site_gen.cache import digest
from site_gen.catalogue.similar_clients import similar_clients
from site_gen.content.load import catalogue_order
from site_gen.content.model import Actor, Catalogue
from site_gen.content.schema import json_schema_text
from site_gen.errors import Problem
from site_gen.pages import routes
from site_gen.pages.derived import ACTOR, Derived, derived_stores
from site_gen.pages.indexes import CatalogueIndex, index_catalogue, listing
from site_gen.pages.keys import NotQuick, PageKey, RecipeReader, page_key
from site_gen.pages.planner import (
    NEWEST,
    SITE,
    WHOLE,
    Fact,
    Group,
    GroupRecord,
    PagePlanner,
    fact_digests,
    lastmod,
    may_change,
    sitemap_entries,
    touched,
)
from site_gen.pages.routes import output_path
from site_gen.pages.views import Card, Page
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
        self.client_digests: dict[int, tuple] = {}  # of the index's clients (fact_digests)

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
        # the clients made, and their digests (what the first move asks), now rather than
        # at the first edit
        planner = PagePlanner(quick.settings, b"", derived, index)
        fact_digests(planner, [("clients",)], listings(quick.actors), self.client_digests)
        for actor in catalogue.actors:  # the home lists them all: the first move's cards
            planner.card(actor)
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
    """The pages an edit of these actors changes, made again: when none of them changed
    what other pages show of it beside itself (indexes.listing), every page that shows an
    edited actor, from its recipe, and for a new date (`sitemap`: the new entries of the
    sitemap) the feed; else the groups of pages that read a fact whose value changed,
    planned again (`_replanned`). Then the sitemap, if its entries changed. `state`: the
    record of the site, with what the last build left for edits."""
    quick: QuickState = state.quick
    edited = {old: actor.without_texts() for old, actor in new.items()}
    listed = any(digest(listing(a)) != quick.actors[actor_file(a)].listing for a in edited.values())
    if listed or any(WHOLE in group.reads for group in quick.groups.values()):
        return _replanned(options, state, derived, (edited, sitemap), bench)
    planner = _planner_of(quick, derived, ())
    actor = _actors(bench, derived, edited)
    pages = _from_recipes(options, state, planner, (actor, edited))
    entries = quick.sitemap if sitemap is None else sitemap
    facts = None
    if sitemap is not None:  # the feed's order may change
        newest = [actor(key) for key in _newest(quick, new)]
        pages = [page for page in pages if page.route != routes.FEED]
        pages.append(planner.feed(newest))
        facts = quick.facts | _newest_fact(quick, derived, newest)
    if entries != quick.sitemap:
        pages.append(planner.sitemap(entries))
    made = _made(pages, state, bench)
    return Planned(made, quick.groups, frozenset(), entries, (facts, quick.shared_warnings))


# Made by edit_files.py: the exports patched where the edited records lie, and the data
# page from the sizes of the exports patched (`data_page`).
SUMMARIES = {*EXPORTS, routes.DATA}


def data_page(
    state: SiteState, bench: Workbench, derived: Derived, edit: tuple[dict, dict]
) -> dict[str, tuple[bytes, PageKey, tuple[str, ...], frozenset[str]]]:
    """The page of the open data, made again if it changed, from the exports' sizes and
    the actors' dates the record holds, without reading every actor's record. `edit`: the
    edited actors (as `pages_to_remake` has them) and the lengths of the exports' chunks,
    patched."""
    quick: QuickState = state.quick
    new, exports = edit
    if routes.DATA not in state.keys:
        return {}
    digests = {entry.id: entry.digest for entry in quick.actors.values()}
    dates = {entry.id: entry.updated for entry in quick.actors.values()}
    for actor in new.values():
        digests[actor.id], dates[actor.id] = actor.digest, actor.updated
    sizes = {"json": sum(exports[routes.DATA_JSON]), "csv": sum(exports[routes.DATA_CSV])}
    planner = _planner_of(quick, derived, (), json_schema_text(quick.vocabularies.labels()))
    planner.export_facts = (sizes, max(filter(None, dates.values()), default=None))
    return _made([planner.data_page([digests[i] for i in quick.order])], state, bench)


def _newest_fact(quick: QuickState, derived: Derived, newest: list[Actor]) -> dict[Fact, str]:
    """The value of the fact NEWEST once the feed lists `newest`: the same as that of a
    planner of every actor, from a planner of these alone (the feed's newest of them are
    themselves)."""
    return fact_digests(_planner_of(quick, derived, tuple(newest)), [NEWEST])


def _planner_of(
    quick: QuickState, derived: Derived, actors: tuple[Actor, ...], schema: bytes = b""
) -> PagePlanner:
    """A planner of these few actors alone (none: the pages made from recipes and the data
    page need no index), with the settings and lists of the build `quick` records."""
    catalogue = Catalogue(actors, quick.vocabularies, quick.client_aliases)
    return PagePlanner(
        quick.settings, schema, derived, index_catalogue(quick.settings, catalogue, 1)
    )


def _actors(bench: Workbench, derived: Derived, edited: dict[str, Actor]) -> Callable:
    def actor(key: str) -> Actor:  # `key` may be the digest an edited actor replaces
        return edited[key] if key in edited else bench.actor(key, derived)

    return actor


def _from_recipes(
    options: BuildOptions, state: SiteState, planner: PagePlanner, actors: tuple
) -> list[Page]:
    """The pages that show an edited actor, made again from their recipes. `actors`:
    `actor(key)`, each actor by the digest of the version the site shows, and the edited
    actors by the digest of the version they replace."""
    quick: QuickState = state.quick
    actor, edited = actors
    store = recipes(options)
    showing = {route for old in edited for route in state.shows.get(old, ())} - SUMMARIES

    def card(key: str) -> Card:
        return planner.card(actor(key))

    pages = []
    for route in sorted(showing):
        recipe = store.get(state.keys.get(route, ""))
        if recipe is None:
            raise NotQuick(f"no recipe for {route}")
        salt, page = RecipeReader(recipe, actor, card, planner).page()
        if salt != quick.salt:
            raise NotQuick("a recipe of another build")
        pages.append(page)
    return pages


def _replanned(
    options: BuildOptions,
    state: SiteState,
    derived: Derived,
    edit: tuple[dict[str, Actor], tuple[tuple[str, str], ...] | None],
    bench: Workbench,
) -> Planned:
    """The groups of pages that read a fact whose value the edit changed, planned again
    by the planner of every actor (read from the cache), the edited ones in place; the
    groups that are new, planned; the pages of the groups that are gone, and those a
    group planned again no longer has, gone. `edit`: the edited actors, and the sitemap's
    entries with their new dates if any changed."""
    quick: QuickState = state.quick
    edited, redated = edit
    bench.load_actors(options, quick)
    catalogue = bench.catalogue(quick, derived, {a.id: a for a in edited.values()})
    if not _still_in_order(catalogue.actors, [a.id for a in edited.values()]):
        raise NotQuick("the actors' order changed")  # the exports are patched in place
    index = index_catalogue(quick.settings, catalogue, 1, options.cache_dir, bench.index)
    bench.index = index
    schema = json_schema_text(catalogue.vocabularies.labels())
    planner = PagePlanner(quick.settings, schema, derived, index)
    known = listings(quick.actors)  # the edited actors' new versions are not in it
    olds = [bench.actor(old, derived) for old in edited]
    changes = touched(index, [*olds, *edited.values()])
    checked = [read for read in quick.facts if may_change(read, changes)]
    facts = dict(quick.facts) | fact_digests(planner, checked, known, bench.client_digests)
    changed = {read for read in checked if quick.facts[read] != facts[read]}
    makers, reads = planner.planned(planner.groups)
    groups = {SITE: GroupRecord(reads, ())}
    changed.add(WHOLE)  # what a group reads of the catalogue whole is not known
    dirty = {name for name, group in quick.groups.items() if group.reads & changed}
    dirty = (dirty | (makers.keys() - quick.groups.keys())) - {SITE}
    gone = {r for name in quick.groups.keys() - makers.keys() for r in quick.groups[name].routes}
    pages: list[Page] = []
    for name in sorted(dirty & makers.keys(), key=repr):
        made, reads = planner.planned(makers[name])
        groups[name] = GroupRecord(reads, tuple(page.route for page in made))
        had = quick.groups[name].routes if name in quick.groups else ()
        gone.update(set(had) - set(groups[name].routes))
        pages += made
    had_routes = _routes(quick, groups)
    for page in pages:
        if page.route in gone:
            gone.discard(page.route)  # moved from one group to another
        elif page.route in state.keys and page.route not in had_routes:
            raise NotQuick(f"a new page has the address of another page: {page.route}")
    new_reads = {read for group in groups.values() for read in group.reads} - facts.keys()
    facts |= fact_digests(planner, new_reads, known, bench.client_digests)
    if index.clients_made:  # keep the digests of its clients only
        kept = bench.client_digests
        bench.client_digests = {id(c): kept[id(c)] for c in index.clients if id(c) in kept}
    replanned = {page.route for page in pages}
    recipes_made = _from_recipes(options, state, planner, (_actors(bench, derived, edited), edited))
    pages += [page for page in recipes_made if page.route not in replanned | gone]
    entries = dict(quick.sitemap if redated is None else redated)
    for route in gone | replanned:
        entries.pop(route, None)
    entries.update(sitemap_entries(page for page in pages if page.route in replanned))
    sitemap = tuple(sorted(entries.items()))
    pages = [page for page in pages if page.route not in SUMMARIES]
    if sitemap != quick.sitemap:
        pages.append(planner.sitemap(sitemap))
    kept = {name: group for name, group in quick.groups.items() if name in makers}
    made = _made(pages, state, bench)
    shared = quick.shared_warnings
    pairs = zip(olds, edited.values(), strict=True)
    if any(_clients_named(old) != _clients_named(new) for old, new in pairs):
        shared = similar_clients(catalogue, options.content_dir)
    return Planned(made, kept | groups, frozenset(gone), sitemap, (facts, shared))


def _still_in_order(actors: tuple[Actor, ...], edited: list[int]) -> bool:
    """Whether actors in catalogue order before an edit still are, the `edited` ones (by
    id) in their new versions: each of them is between its neighbours."""
    position = {actor.id: n for n, actor in enumerate(actors)}
    for n in (position[actor_id] for actor_id in edited):
        place = catalogue_order(actors[n])
        if n > 0 and catalogue_order(actors[n - 1]) > place:
            return False
        if n + 1 < len(actors) and place > catalogue_order(actors[n + 1]):
            return False
    return True


def _clients_named(actor: Actor) -> tuple:
    return actor.clients, tuple(e.client for e in actor.experiences)


def _routes(quick: QuickState, groups: dict[Group, GroupRecord]) -> set[str]:
    """The routes that these groups' pages had in the last build."""
    return {route for name in groups if name in quick.groups for route in quick.groups[name].routes}


def _made(
    pages: list[Page], state: SiteState, bench: Workbench
) -> dict[str, tuple[bytes, PageKey, tuple[str, ...], frozenset[str]]]:
    """The pages whose key is not the one the site has, rendered, by output path."""
    quick: QuickState = state.quick
    made = {}
    for page in pages:
        key = page_key(quick.salt, page)
        if key.key == state.keys.get(page.route):
            continue  # the same bytes
        path = output_path(page.route)
        data = bench.renderer.render(page)
        made[path] = (data, key, *extract(path, data))
    return made


class Planned(NamedTuple):
    """What `pages_to_remake` planned and made."""

    made: dict[str, tuple[bytes, PageKey, tuple[str, ...], frozenset[str]]]  # by output path:
    # each page whose key changed, its bytes, key, links and ids
    groups: dict[Group, GroupRecord]  # the groups of the site now, with what they read
    gone: frozenset[str]  # routes of the pages the site no longer has
    sitemap: tuple[tuple[str, str], ...]  # the entries of the new sitemap
    # every fact's value (None: as recorded), and the warnings about the catalogue whole
    facts: tuple[dict[Fact, str] | None, tuple[Problem, ...]] = (None, ())


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
    PagePlanner.feed's choice (planner.feed_order), from the dates the last build noted
    instead of every actor."""
    updated = {old: actor.updated for old, actor in new.items()}
    dated = ((updated.get(e.digest, e.updated), e.id, e.digest) for e in quick.actors.values())
    newest = heapq.nlargest(quick.settings.feed_size, (d for d in dated if d[0] is not None))
    return [digest for _, _, digest in newest]
