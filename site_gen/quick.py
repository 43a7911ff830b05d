"""Rebuild after an edit of a few actor files without planning the whole site again.

A full build leaves, with the keys of the site on disk (incremental.SiteState), the
digests of the actors each page shows, and for each such page its recipe: the pickle its
key was made from, where actors and cards stand as references. When only actor files
changed since, and none of them changed what other pages are built from (its structure:
id, name, address, terms, clients, dates… see `structure`), the site's plan is the same:
only the pages that show an edited actor differ. They are made again from their recipes
with the new actors in place of the old, the search index files and the exports are
patched where the actor's record lies, and every other file is kept as it is.

Anything else (a new, deleted or renamed file, a changed structure, a template, a
setting, a cache entry missing or not as expected) and `quick_build` returns None: the
full build runs, which is always right, only slower.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from itertools import accumulate
from pathlib import Path
from typing import NamedTuple

from . import fingerprint, routes
from .advice import advise_actor
from .cache import TableStore, digest
from .config import Settings
from .derived import Derived, derived_stores
from .errors import ContentError, Problem
from .exports import csv_row_chunk, json_array_item
from .incremental import PageKey, RecipeReader, SiteState, page_key
from .links import LinkChecker, extract
from .load import load_actor
from .model import Actor, Catalogue, ClientAliases, Vocabularies
from .options import BuildOptions, BuildReport, build_options
from .pages import PagePlanner
from .render import Renderer, collect_assets
from .routes import output_path
from .search import patch_index
from .views import Card
from .write import site_writer

QUICK_LIMIT = 20  # edited actor files; more, and the full build (on every core) is better
_PARTS = ("json", "csv_row", "search")
# Export route → the per-actor data it is made of, the index of the first actor's chunk,
# and how an actor's chunk is made from its data and position (as in exports.py).
EXPORTS = {
    routes.DATA_JSON: ("json", 0, json_array_item),
    routes.DATA_CSV: ("csv_row", 1, csv_row_chunk),
}
_NONE: frozenset[str] = frozenset()


class NotQuick(Exception):
    """Something a quick rebuild cannot vouch for: the full build runs instead."""


class ActorEntry(NamedTuple):  # a named tuple: 10,000 of them load in a blink
    """An actor file as the last build read it."""

    id: int
    digest: str
    structure: str
    warnings: tuple[Problem, ...]


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
    pages: int
    files: int


def read_files(listing: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    """The files of a content listing a build reads: all but the hidden files of actors/
    (an editor's swap and lock files come and go while an actor is being edited)."""
    return {name: info for name, info in listing.items() if not name.startswith("actors/.")}


def actor_file(actor: Actor) -> str:
    """The file an actor came from, relative to the content folder (as in the listing)."""
    return f"actors/{Path(actor.source).name}"


def structure(actor: Actor) -> str:
    """What pages other than the actor's own are built from, besides its card and its
    records: which lists, terms, clients, addresses and dates hold it, in which order."""
    return digest(
        (
            actor.id,
            actor.name,
            actor.slug,
            actor.source,
            actor.aliases,
            actor.territories,
            actor.contexts,
            actor.clients,
            tuple(e.client for e in actor.experiences),
            actor.commons,
            actor.updated,
            (actor.logo.digest, actor.logo.extension) if actor.logo else None,
        )
    )


def entries(catalogue: Catalogue) -> dict[str, ActorEntry]:
    return {actor_file(actor): _entry(actor) for actor in catalogue.actors}


def recipes(options: BuildOptions) -> TableStore:
    """Recipes of pages by page key (see incremental.page_key)."""
    return TableStore(options.cache_dir, "recipes", fingerprint.code())


def recorded(lengths: list[int], chunks: Iterable[bytes]) -> Iterable[bytes]:
    """`chunks`, noting the length of each in `lengths` (to patch the file later)."""
    for chunk in chunks:
        lengths.append(len(chunk))
        yield chunk


def quick_build(
    options: BuildOptions, inputs: str, listing: dict[str, tuple[int, int]]
) -> BuildReport | None:
    """Rebuild after an edit of a few actor files; None when the full build must run.
    `listing`: fingerprint.listing of the content. Raises ContentError (nothing written)
    for a mistake in an edited file."""
    if not options.write or options.cache_dir is None:
        return None
    state = SiteState(options.cache_dir, options.output_dir)
    state.load(identity := fingerprint.outputs(options.output_dir))
    quick = state.quick
    if not isinstance(quick, QuickState) or quick.environment != fingerprint.environment(
        options.templates_dir, build_options(options)
    ):
        return None
    listing = read_files(listing)
    if listing.keys() != quick.listing.keys():
        return None
    edited = sorted(name for name, signature in listing.items() if quick.listing[name] != signature)
    if not edited or len(edited) > QUICK_LIMIT or any(n not in quick.actors for n in edited):
        return None
    problems: list[Problem] = []
    new: dict[str, Actor] = {}  # by the digest of the version it replaces
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
    try:
        return _rebuild(options, inputs, state, quick, listing, new, identity)
    except NotQuick:
        return None


def _rebuild(
    options: BuildOptions,
    inputs: str,
    state: SiteState,
    quick: QuickState,
    listing: dict[str, tuple[int, int]],
    new: dict[str, Actor],
    identity: str,
) -> BuildReport:
    settings = quick.settings
    stores = derived_stores(settings, options.cache_dir)
    derived = Derived(stores, {entry.id: entry.digest for entry in quick.actors.values()})
    before = {old: {part: stores[part].get(old) for part in _PARTS} for old in new}
    after = dict(zip(new, derived.add(settings, list(new.values())), strict=True))
    if any(value is None for parts in before.values() for value in parts.values()):
        raise NotQuick("the data of an edited actor is not in the cache")
    made = _pages(options, state, quick, derived, new)
    checker = LinkChecker(settings.base_path)
    store = recipes(options)
    live = options.output_dir
    with site_writer(live, (options.content_dir, options.templates_dir)) as site:
        if fingerprint.outputs(live) != identity:  # under the lock, as the state is not
            raise NotQuick("another build replaced the site meanwhile")
        if not site.live:
            raise NotQuick("the site on disk has no manifest")
        # First what may still find the site not as recorded, before anything changes.
        positions = {actor_id: n for n, actor_id in enumerate(quick.order)}
        exports = {}
        for route, (part, first, chunk) in EXPORTS.items():
            changes = {
                first + positions[actor.id]: (
                    chunk(positions[actor.id], before[old][part]),
                    chunk(positions[actor.id], getattr(after[old], part)),
                )
                for old, actor in new.items()
            }
            exports[route] = _patched(live / output_path(route), quick.exports[route], changes)
        patched: dict[str, bytes | None] = {}
        if options.search:
            old_records = [before[old]["search"] for old in new]
            new_records = [after[old].search for old in new]
            try:
                patched = patch_index(_reader(live), old_records, new_records)
            except ValueError as error:
                raise NotQuick(str(error)) from error
        state.forget()  # the site is about to change
        for path in site.live:  # what links may point to: every file, every page's ids
            checker.add_extracted(path, (), state.ids.get(routes.route_of_path(path), _NONE))
        for path, (data, key, links, ids) in made.items():
            site.add(path, data)
            checker.add_extracted(path, links, ids)
            state.set(routes.route_of_path(path), key.key, ids)
        store.put_many((key.key, key.recipe) for _, key, _, _ in made.values() if key.recipe)
        changed = set(made)
        for route, (pieces, _) in exports.items():
            site.add_chunks(output_path(route), pieces)
            changed.add(output_path(route))
            # Its key stands for every actor: made again by the next full build.
            state.set(route, "", _NONE)
        for path, data in patched.items():
            changed.add(path)
            if data is not None:  # None: a file the index no longer has
                site.add(path, data)
                checker.add(path, data)
        for path in site.live:
            if path not in changed and not site.keep(path):
                raise NotQuick(f"{path} is not as recorded")
        problems = checker.problems()
        if problems:
            raise ContentError(problems)
        files = site.count
    for old, actor in new.items():
        state.replace_actor(old, actor.digest)
    actors = {
        name: _entry(new[entry.digest]) if entry.digest in new else entry
        for name, entry in quick.actors.items()
    }
    lengths = {route: fresh for route, (_, fresh) in exports.items()}
    state.quick = replace(quick, listing=listing, actors=actors, exports=lengths, files=files)
    state.save(fingerprint.outputs(live))
    warnings = tuple(sorted(p for entry in actors.values() for p in entry.warnings))
    rendered = len(made) + len(EXPORTS)
    report = BuildReport(len(quick.order), quick.pages, files, 0.0, warnings, rendered)
    fingerprint.BuildRecord(options.cache_dir).remember(live, inputs, report.summary())
    return report


def _pages(
    options: BuildOptions,
    state: SiteState,
    quick: QuickState,
    derived: Derived,
    new: dict[str, Actor],
) -> dict[str, tuple[bytes, PageKey, tuple[str, ...], frozenset[str]]]:
    """Every page that shows an edited actor, made again from its recipe: by output path,
    its bytes, key, links and ids."""
    settings = quick.settings
    catalogue = Catalogue((), quick.vocabularies, quick.client_aliases)
    planner = PagePlanner(settings, catalogue, b"", derived, workers=1)
    loaded: dict[str, Actor] = {}

    def actor(key: str) -> Actor:
        if key not in loaded:
            found = new[key] if key in new else derived.actor(key)
            if found is None:
                raise NotQuick(f"actor {key} is not in the cache")
            loaded[key] = found.without_texts()  # as the full build's pages see it
        return loaded[key]

    def card(key: str) -> Card:
        return planner.card(actor(key))

    assets = collect_assets(options.templates_dir, settings)
    renderer = Renderer(options.templates_dir, settings, assets, options.cache_dir)
    store = recipes(options)
    made = {}
    showing = {route for old in new for route in state.shows.get(old, ())}
    for route in sorted(showing - set(EXPORTS)):
        recipe = store.get(state.keys.get(route, ""))
        if recipe is None:
            raise NotQuick(f"no recipe for {route}")
        salt, page = RecipeReader(recipe, actor, card, planner).page()
        if salt != quick.salt:
            raise NotQuick("a recipe of another build")
        path = output_path(route)
        data = renderer.render(page)
        made[path] = (data, page_key(salt, page), *extract(path, data))
    return made


def _entry(actor: Actor) -> ActorEntry:
    return ActorEntry(actor.id, actor.digest, structure(actor), advise_actor(actor))


def _patched(
    file: Path, lengths: tuple[int, ...], changes: dict[int, tuple[bytes, bytes]]
) -> tuple[list[memoryview | bytes], tuple[int, ...]]:
    """The export in `file` with some of its chunks replaced (by index: the bytes expected
    there, the new bytes), as pieces to write, and its new chunk lengths."""
    try:
        data = file.read_bytes()
    except OSError as error:
        raise NotQuick(f"{file}: {error}") from error
    if len(data) != sum(lengths):
        raise NotQuick(f"{file} is not as recorded")
    offsets = list(accumulate(lengths, initial=0))
    view, pieces, start, fresh_lengths = memoryview(data), [], 0, list(lengths)
    for index in sorted(changes):
        old, fresh = changes[index]
        begin, end = offsets[index], offsets[index + 1]
        if view[begin:end] != old:
            raise NotQuick(f"{file}: chunk {index} is not as recorded")
        pieces += [view[start:begin], fresh]
        fresh_lengths[index], start = len(fresh), end
    pieces.append(view[start:])
    return pieces, tuple(fresh_lengths)


def _reader(folder: Path) -> Callable[[str], bytes | None]:
    def read(path: str) -> bytes | None:
        try:
            return (folder / path).read_bytes()
        except FileNotFoundError:
            return None

    return read
