"""Rebuild after an edit of a few actor files without planning the whole site again.

A full build leaves, with the keys of the site on disk (incremental.SiteState), the
digests of the actors each page shows, and for each such page its recipe: the pickle its
key was made from, where actors and cards stand as references. When only actor files
changed since, and none of them changed what other pages are built from (its structure:
id, name, address, aliases, logo… see `structure`), the site's plan is the same: only
the pages that show an edited actor differ. They are made again from their recipes with
the new actors in place of the old, the search index files and the exports are patched
where the actor's record lies, and every other file is kept as it is. A changed `updated`
date also moves the actor in the feed and changes its date in the sitemap: those two are
planned again, from the dates and the sitemap's entries the last build noted.

An actor that joins or leaves territories, contexts or clients (a move: see `placement`)
changes more: the lists of those terms, pairs and clients, the counts and the order of
terms and clients, and the related actors of the actors that hold them. Those pages are
planned again, by the planner of the full build over every actor (read from the cache), and
keyed: only those whose key changed are made (see moves.py). A page a move adds (a pair's
first actor, a page more in a list) is added to the sitemap; a page it removes is deleted,
and the pages kept that may link to it have their links checked.

Anything else (a new, deleted or renamed file, a changed structure, a template, a
setting, a cache entry missing or not as expected) and `quick_build` returns None: the
full build runs, which is always right, only slower.
"""

from __future__ import annotations

import heapq
import os
from collections import ChainMap
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from typing import NamedTuple, Protocol

from . import fingerprint, routes
from .actor_pages import lastmod
from .advice import advise_actor
from .cache import TableStore, digest
from .config import Settings
from .derived import ACTOR, Derived, derived_stores
from .errors import ContentError, Problem
from .incremental import NotQuick, PageKey, RecipeReader, SiteState, page_key
from .indexes import CatalogueIndex, index_catalogue
from .links import LinkChecker, bits_of, extract, link_targets, may_link_to, signature
from .load import actor_cache, current_content, load_actor
from .model import Actor, Catalogue, ClientAliases, Vocabularies
from .moves import Placement, moved_pages, placement
from .options import BuildOptions, BuildReport, build_options
from .pages import PagePlanner, sitemap_entries
from .pieces import EXPORTS, Pieces, patch_export
from .render import Renderer, collect_assets
from .routes import output_path
from .search import patch_index
from .views import Card
from .write import StagedSite, site_writer
from .write_stream import NotAsRecorded

QUICK_LIMIT = 20  # edited actor files; more, and the full build (on every core) is better
_PARTS = ("json", "csv_row", "search")
_NONE: frozenset[str] = frozenset()


class ActorEntry(NamedTuple):  # a named tuple: 10,000 of them load in a blink
    """An actor file as the last build read it."""

    id: int
    digest: str
    structure: str
    placement: Placement  # the terms and clients it is listed under
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
    order: tuple[int, ...]  # actor ids in catalogue order (the exports' order)
    exports: dict[str, tuple[int, ...]]  # export route → the length of each of its chunks
    sitemap: tuple[tuple[str, str], ...]  # pages.sitemap_entries of the site
    pages: int
    files: int


def actor_file(actor: Actor) -> str:
    """The file an actor came from, relative to the content folder (as in the listing)."""
    return f"actors/{os.path.basename(actor.source)}"


def structure(actor: Actor) -> str:
    """What pages other than the actor's own are built from, besides its card, its records
    and its placement in terms and clients (see `placement`): which lists, addresses and
    dates hold it, in which order."""
    return digest(
        (
            actor.id,
            actor.name,
            actor.slug,
            actor.source,
            actor.aliases,
            actor.commons,
            (actor.logo.digest, actor.logo.extension) if actor.logo else None,
        )
    )


def entries(
    catalogue: Catalogue, known: Mapping[str, ActorEntry] | None = None
) -> dict[str, ActorEntry]:
    """The entry of every actor; `known`: entries made by the same code (an actor's entry
    is a function of its digest, which covers every field and line), reused."""
    made = {}
    for actor in catalogue.actors:
        name = actor_file(actor)
        entry = known.get(name) if known is not None else None
        made[name] = entry if entry is not None and entry.digest == actor.digest else _entry(actor)
    return made


def recipes(options: BuildOptions) -> TableStore:
    """Recipes of pages by page key (see incremental.page_key)."""
    return TableStore(options.cache_dir, "recipes", fingerprint.code())


class SiteFiles(Protocol):
    """The site a quick rebuild changes."""

    def targets(self) -> Set[str]:
        """What links may point to: the path and the route of every file."""
        ...

    def read(self, path: str) -> bytes | None:
        """The bytes of the file at `path`; None if there is none."""
        ...

    def chunks(self, path: str, lengths: tuple[int, ...]) -> Pieces | None:
        """The file at `path` cut in pieces of these lengths; None if it is not there or
        not of their total length."""
        ...


@dataclass(frozen=True)
class QuickEdit:
    """What a quick rebuild changes in the site, made and checked, not yet written."""

    new: dict[str, Actor]  # the edited actors, by the digest of the version they replace
    files: dict[str, bytes | Pieces | None]  # by output path; None: a file to remove
    pages: dict[str, tuple[str, frozenset[str], int]]  # by route, of the pages made: the
    # key, ids and links (links.signature)
    exports: dict[str, tuple[int, ...]]  # export route → the length of each of its chunks
    shows: dict[str, frozenset[str]]  # by route: pages that may now show other actors
    sitemap: tuple[tuple[str, str], ...]  # pages.sitemap_entries of the site
    gone: frozenset[str] = _NONE  # routes of the pages the site no longer has


def edited_actors(
    options: BuildOptions, state: SiteState, listing: dict[str, tuple[int, int]]
) -> dict[str, Actor] | None:
    """The edited actor files, parsed, by the digest of the version each replaces; None
    when a quick rebuild cannot make the site (see the module's docstring). `listing`:
    read_files of the content listing. Raises ContentError for a mistake in an edited file."""
    quick = state.quick
    if not isinstance(quick, QuickState) or quick.environment != fingerprint.environment(
        options.templates_dir, build_options(options)
    ):
        return None
    if listing.keys() != quick.listing.keys():
        return None
    edited = sorted(name for name, signature in listing.items() if quick.listing[name] != signature)
    if not edited or any(name not in quick.actors for name in edited):
        return None
    if len(edited) > QUICK_LIMIT:  # many new dates, as a checkout back and forth gives
        edited = _changed(options, quick, edited)
    if len(edited) > QUICK_LIMIT:
        return None
    problems: list[Problem] = []
    new: dict[str, Actor] = {}
    for name in edited:
        entry = quick.actors[name]
        actor = load_actor(
            options.content_dir / name, options.content_dir, quick.vocabularies, problems
        )
        if actor is None:
            continue
        if actor.id != entry.id or structure(actor) != entry.structure:
            return None
        new[entry.digest] = actor
    if problems:
        raise ContentError(problems)
    return new


def _changed(options: BuildOptions, quick: QuickState, names: list[str]) -> list[str]:
    """Of these actor files, whose dates changed, those whose bytes changed too: the others
    are, for the parsed-actor cache, still the version the site shows."""
    cache = actor_cache(options.content_dir, options.cache_dir)
    content_now = partial(current_content, options.content_dir)
    changed = []
    for name in names:
        cached = cache.get(options.content_dir / name, content_now)
        if cached is None or cached.digest != quick.actors[name].digest:
            changed.append(name)
    cache.save()  # with their new signatures: the next build only stats them
    return changed


def quick_build(
    options: BuildOptions, inputs: str, listing: dict[str, tuple[int, int]]
) -> BuildReport | None:
    """Rebuild the site on disk after an edit of a few actor files; None when the full
    build must run. `listing`: fingerprint.listing of the content. Raises ContentError
    (nothing written) for a mistake in an edited file."""
    if not options.write or options.cache_dir is None:
        return None
    live = options.output_dir
    state = SiteState(options.cache_dir, live)
    state.load(identity := fingerprint.outputs(live))
    listing = fingerprint.read_files(listing)
    new = edited_actors(options, state, listing)
    if new is None:
        return None
    if not new:  # files dated anew, none changed: the site is as it is, only its record moves
        quick: QuickState = state.quick
        unchanged = QuickEdit({}, {}, {}, {}, {}, quick.sitemap)
        report = record(state, unchanged, listing, quick.files)
        state.save(identity)
        fingerprint.BuildRecord(options.cache_dir).remember(live, inputs, report.summary())
        return report
    try:
        with site_writer(live, (options.content_dir, options.templates_dir)) as site:
            if fingerprint.outputs(live) != identity:  # under the lock, as the state is not
                raise NotQuick("another build replaced the site meanwhile")
            if not site.live:
                raise NotQuick("the site on disk has no manifest")
            edit = quick_edit(options, state, new, _OnDisk(site))
            state.forget()  # the site is about to change
            for path, data in edit.files.items():
                if isinstance(data, bytes):
                    site.add(path, data)
                elif data is not None:
                    site.add_chunks(path, data)
            for path in site.live:
                if path not in edit.files and not site.keep(path):
                    raise NotQuick(f"{path} is not as recorded")
            files = site.count
    except (NotQuick, NotAsRecorded):
        return None
    report = record(state, edit, listing, files)
    state.save(fingerprint.outputs(live))
    fingerprint.BuildRecord(options.cache_dir).remember(live, inputs, report.summary())
    return report


def quick_edit(
    options: BuildOptions,
    state: SiteState,
    new: dict[str, Actor],
    site: SiteFiles,
    bench: Workbench | None = None,
) -> QuickEdit:
    """The files of `site` that change with the edited actors `new` (from edited_actors),
    made and checked (links included); neither the site nor `state` is changed. `bench`:
    a Workbench kept from an earlier rebuild, if it fits. Raises NotQuick when something
    is not as recorded, ContentError for a broken link."""
    quick: QuickState = state.quick
    if bench is None or not bench.fits(quick):
        bench = Workbench(options, quick)
    settings = quick.settings
    stores = derived_stores(settings, options.cache_dir)
    derived = Derived(stores, {entry.id: entry.digest for entry in quick.actors.values()})
    before = {old: {part: stores[part].get(old) for part in _PARTS} for old in new}
    after = dict(zip(new, derived.add(settings, list(new.values())), strict=True))
    if any(value is None for parts in before.values() for value in parts.values()):
        raise NotQuick("the data of an edited actor is not in the cache")
    redated = [a for a in new.values() if a.updated != quick.actors[actor_file(a)].updated]
    sitemap = _redated(quick.sitemap, redated) if redated else quick.sitemap
    planned = _pages(options, state, quick, derived, new, bench, sitemap if redated else None)
    made, gone = planned.made, planned.gone
    feed = made.get(output_path(routes.FEED))
    shows = {routes.FEED: feed[1].actors} if redated and feed is not None else {}
    for route in planned.replanned:  # a move: what they show may have changed
        if (page := made.get(output_path(route))) is not None:
            shows[route] = page[1].actors
    shows.update(dict.fromkeys(gone, _NONE))
    # The exports and the search index are patched where the edited records lie, each
    # checked to be as recorded (else NotQuick).
    files: dict[str, bytes | Pieces | None] = {output_path(route): None for route in gone}
    exports = {}
    for route, (part, *_) in EXPORTS.items():
        edited = {actor.id: before[old][part] for old, actor in new.items()}
        fresh = {actor.id: getattr(after[old], part) for old, actor in new.items()}
        path, lengths = output_path(route), quick.exports[route]
        files[path], exports[route] = patch_export(
            route,
            site.chunks(path, lengths),
            lengths,
            quick.order,
            quick.order,
            edited,
            lambda ids, fresh=fresh: [fresh[actor_id] for actor_id in ids],
        )
    if options.search:
        old_records = [before[old]["search"] for old in new]
        new_records = [after[old].search for old in new]
        try:
            files |= patch_index(site.read, old_records, new_records)
        except ValueError as error:
            raise NotQuick(str(error)) from error
    # The other pages are as recorded: their ids, and that they exist, is all links need.
    checker = LinkChecker(settings.base_path, site.targets(), ChainMap({}, state.ids))
    checker.forget(link_targets(output_path(route) for route in gone))
    pages = {}
    for path, (data, key, links, ids) in made.items():
        files[path] = data
        checker.add_extracted(path, links, ids)
        pages[routes.route_of_path(path)] = (key.key, ids, signature(links, settings.base_path))
    for path, data in files.items():
        if isinstance(data, bytes) and path not in made:  # the search index's files
            checker.add(path, data)
    if gone:
        _check_links_to_gone(checker, site, state, files, gone)
    problems = checker.problems()
    if problems:
        raise ContentError(problems)
    store = recipes(options)
    store.put_many((key.key, key.recipe) for _, key, _, _ in made.values() if key.recipe)
    replaced = {state.keys[r] for r in (*pages, *exports, *gone) if r in state.keys}
    store.forget(replaced)  # recipes of pages the site no longer has
    return QuickEdit(new, files, pages, exports, shows, planned.sitemap, gone)


def _check_links_to_gone(
    checker: LinkChecker,
    site: SiteFiles,
    state: SiteState,
    files: Mapping[str, object],
    gone: frozenset[str],
) -> None:
    """Give `checker` the links of the pages kept as they are (not in `files`) that may
    link to a page `gone` (by their signature in `state`, then links.may_link_to): those
    links then fail the build, as in a full one."""
    bits, needles = bits_of(gone), [route.encode() for route in gone]
    for route, signed in state.links.items():
        path = output_path(route)
        if not signed & bits or path in files:
            continue
        data = site.read(path)
        if data is None:
            raise NotQuick(f"{path} is not as recorded")
        if may_link_to(data, needles):
            checker.add_extracted(path, *extract(path, data))


def record(
    state: SiteState, edit: QuickEdit, listing: dict[str, tuple[int, int]], files: int
) -> BuildReport:
    """Note in `state` (in memory) that the site is now `edit` applied, holding `files`
    files; returns the build's report."""
    quick: QuickState = state.quick
    pages = quick.pages + sum(route not in state.keys for route in edit.pages) - len(edit.gone)
    for route in edit.gone:
        state.drop(route)
    for route, (key, ids, signed) in edit.pages.items():
        state.set(route, key, ids, signed)
    for route in edit.exports:  # its key stands for every actor: made by the next full build
        state.set(route, "", _NONE)
    for old, actor in edit.new.items():
        state.replace_actor(old, actor.digest)
    state.reshow(edit.shows)
    actors = {
        name: _entry(edit.new[entry.digest]) if entry.digest in edit.new else entry
        for name, entry in quick.actors.items()
    }
    state.quick = replace(
        quick,
        listing=listing,
        actors=actors,
        exports=quick.exports | edit.exports,
        sitemap=edit.sitemap,
        pages=pages,
        files=files,
    )
    warnings = tuple(sorted(p for entry in actors.values() for p in entry.warnings))
    rendered = len(edit.pages) + len(edit.exports)
    return BuildReport(len(quick.order), pages, files, 0.0, warnings, rendered)


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
        otherwise, and a move plans its pages with that index (see `_pages`)."""
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


def _pages(
    options: BuildOptions,
    state: SiteState,
    quick: QuickState,
    derived: Derived,
    new: dict[str, Actor],
    bench: Workbench,
    sitemap: tuple[tuple[str, str], ...] | None,
) -> Planned:
    """Every page that shows an edited actor, made again from its recipe; the pages a
    move changes (see moves.py) planned again; if a date changed (`sitemap`: the
    new entries of the sitemap), the feed planned again; and the sitemap, if its entries
    changed."""
    edited = {old: actor.without_texts() for old, actor in new.items()}
    had = {actor.id: quick.actors[actor_file(actor)].placement for actor in edited.values()}
    moved = [(had[a.id], a) for a in edited.values() if placement(a) != had[a.id]]
    catalogue = Catalogue((), quick.vocabularies, quick.client_aliases)
    if moved:  # the planner of the full build, over every actor
        bench.load_actors(options, quick)
        catalogue = bench.catalogue(quick, derived, {a.id: a for a in edited.values()})
    cache_dir = options.cache_dir if moved else None  # the last ranking of related actors
    last = bench.index if moved else None  # the index the last move left
    planner = PagePlanner(quick.settings, catalogue, b"", derived, 1, cache_dir, last)
    if moved:
        bench.index = planner.index

    def actor(key: str) -> Actor:  # `key` may be the digest an edited actor replaces
        return edited[key] if key in edited else bench.actor(key, derived)

    def card(key: str) -> Card:
        return planner.card(actor(key))

    store = recipes(options)
    pages, gone = moved_pages(planner, state.keys, moved) if moved else ([], _NONE)
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


class Planned(NamedTuple):
    """What `_pages` planned and made."""

    made: dict[str, tuple[bytes, PageKey, tuple[str, ...], frozenset[str]]]  # by output path:
    # each page whose key changed, its bytes, key, links and ids
    replanned: set[str]  # routes of the pages a move planned again (what they show changes)
    gone: frozenset[str]  # routes of the pages a move removes
    sitemap: tuple[tuple[str, str], ...]  # the entries of the new sitemap


def _redated(
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


def _entry(actor: Actor) -> ActorEntry:
    return ActorEntry(
        actor.id,
        actor.digest,
        structure(actor),
        placement(actor),
        advise_actor(actor),
        actor.updated,
    )


@dataclass(frozen=True)
class _OnDisk:
    """The live site on disk, as a quick rebuild reads it through the writer (SiteFiles)."""

    site: StagedSite

    def targets(self) -> set[str]:
        return link_targets(self.site.live)

    def read(self, path: str) -> bytes | None:
        return self.site.read(path)  # None if not as recorded: edited or deleted by hand

    def chunks(self, path: str, lengths: tuple[int, ...]) -> Pieces | None:
        return self.site.spans(path, lengths)  # never read: copied by the kernel
