"""The build, top to bottom: load → validate → model → pages → render → verify → write."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Container, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, Protocol

try:
    import resource
except ImportError:  # pragma: no cover - Windows
    resource = None  # type: ignore[assignment]

from . import fingerprint
from .advice import advise
from .cache import digest
from .config import Settings
from .derived import derive
from .errors import ContentError
from .fingerprint import BuildRecord
from .incremental import KeyMemo, PageKey, page_key
from .links import LinkChecker, bits_of, extract, may_link_to, signature
from .load import load_catalogue, load_texts
from .model import Catalogue
from .options import (
    BuildOptions,
    BuildReport,
    build_options,
    input_hash,
    page_options,
    up_to_date,
)
from .pages import plan_pages, sitemap_entries
from .parallel import map_chunks, release_memory
from .patch import edits_since, export_patch, search_files
from .pieces import EXPORTS, Pieces, recorded
from .quick import quick_build
from .quick_state import QuickState, entries
from .quick_state import recipes as quick_recipes
from .render import Renderer, collect_assets
from .routes import output_path
from .schema import json_schema_text
from .site_state import SiteState
from .views import Page
from .write import site_writer
from .write_stream import NotAsRecorded


class _Discarded:
    """Where `check` sends the files: the same build, without the write step."""

    def add(self, path: str, data: bytes) -> None:
        pass

    def add_chunks(self, path: str, chunks: Iterable[bytes]) -> None:
        for _ in chunks:  # made (and so checked) all the same
            pass

    def keep(self, path: str) -> bool:
        return True

    def read(self, path: str) -> bytes | None:
        return None  # `check` knows no site before it


@contextmanager
def discard() -> Iterator[_Discarded]:
    yield _Discarded()


class Overlay(Protocol):
    """Where a build made over a site already built sends its files instead of the output
    folder (the preview keeps them in memory): `add`, `add_chunks` and `keep` as the
    writer's, with the record of that site (`previous`) and its files (`read`, and
    `chunks` for an export, in the pieces it holds)."""

    previous: SiteState

    def add(self, path: str, data: bytes) -> None: ...

    def add_chunks(self, path: str, chunks: Iterable[bytes]) -> None: ...

    def keep(self, path: str) -> bool: ...

    def read(self, path: str) -> bytes | None: ...

    def chunks(self, path: str, lengths: tuple[int, ...]) -> Pieces | None: ...

    def made(self, state: SiteState) -> None:
        """The record of the site the build made (its files being the overlay's)."""


@dataclass
class PageRenderer:
    """Renders a page and finds its links and ids (runs in the workers)."""

    renderer: Renderer

    def __call__(self, page: Page) -> tuple[bytes, tuple[str, ...], frozenset[str], int]:
        data = self.renderer.render(page)
        links, ids = extract(output_path(page.route), data)
        return data, links, ids, signature(links, self.renderer.settings.base_path)


class Stopwatch:
    """Seconds spent in each stage of a build, and the memory used by its end (the peak
    resident size of this process, in MB), for `build --timings`."""

    def __init__(self) -> None:
        self.started = self.last = time.perf_counter()
        self.laps: list[tuple[str, float, int]] = []

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024 if resource else 0
        self.laps.append((stage, now - self.last, peak))
        self.last = now

    def total(self) -> float:
        return time.perf_counter() - self.started


@contextmanager
def collector_paused() -> Iterator[Callable[[], None]]:
    """Python's cycle collector would walk every object of the catalogue again and again
    (a third of a rebuild at 10,000 actors), so it is paused while they are made. Rendering,
    though, makes garbage cycles (Jinja's contexts, ~5 KB a page: 0.8 GB in each render
    worker at 100,000 actors): the `resume()` it yields freezes what exists (the catalogue,
    the plan: never collected) and lets the collector free what comes after."""
    was_enabled = gc.isenabled()
    gc.disable()

    def resume() -> None:
        gc.freeze()
        gc.enable()

    try:
        yield resume
    finally:
        gc.unfreeze()
        (gc.enable if was_enabled else gc.disable)()


def build(
    options: BuildOptions,
    listing: dict[str, tuple[int, int]] | None = None,
    overlay: Overlay | None = None,
    memo: KeyMemo | None = None,
) -> BuildReport:
    """Build the site; raises ContentError (nothing written) if anything is wrong.
    `listing`: fingerprint.listing of the content folder, if taken already. `overlay`:
    the files go there, over the site it holds, instead of to the output folder. `memo`:
    page keys kept from one build to the next by a process that builds on one core."""
    with collector_paused() as resume_collector:
        return _build(options, listing, resume_collector, overlay, memo)


def _build(
    options: BuildOptions,
    listing: dict[str, tuple[int, int]] | None,
    resume_collector: Callable[[], None],
    overlay: Overlay | None,
    memo: KeyMemo | None,
) -> BuildReport:
    clock = Stopwatch()
    if listing is None:  # taken before anything is read: see QuickState
        listing = fingerprint.listing(options.content_dir)
    inputs = input_hash(options, listing)
    if overlay is None and (report := up_to_date(options, inputs)) is not None:
        return report
    if overlay is None and (report := quick_build(options, inputs, listing)) is not None:
        clock.lap("quick")
        return replace(report, seconds=clock.total(), timings=tuple(clock.laps))
    settings, catalogue = load_catalogue(
        options.content_dir, options.base_url, options.workers, options.cache_dir
    )
    warnings = tuple(advise(catalogue))
    clock.lap("load")
    with_texts = partial(load_texts, options.content_dir, catalogue.vocabularies, options.workers)
    derived = derive(settings, catalogue, options.cache_dir, options.workers, with_texts)
    # From here on, the Markdown is read as HTML from `derived`: the texts can go.
    catalogue = replace(catalogue, actors=tuple(a.without_texts() for a in catalogue.actors))
    release_memory()
    clock.lap("derive")
    schema = json_schema_text(catalogue.vocabularies.labels())
    pages = plan_pages(settings, catalogue, schema, derived, options.workers, options.cache_dir)
    clock.lap("plan")
    assets = collect_assets(options.templates_dir, settings)
    salt = page_salt(options, settings, catalogue)
    # `check` neither uses nor touches the record of the site on disk.
    records = options.cache_dir if options.write else None
    state = SiteState(records, options.output_dir)
    checker = LinkChecker(settings.base_path)
    checker.expect(output_path(page.route) for page in pages)
    checker.expect(asset.route for asset in assets.values())
    exports: dict[str, tuple[int, ...]] = {}
    environment = fingerprint.environment(options.templates_dir, build_options(options))
    resume_collector()  # before the render workers fork: they inherit it
    with _target(options, overlay) as site:
        if overlay is not None:
            previous = overlay.previous
        else:  # read under the writer's lock: another build may have replaced the site
            previous = SiteState(records, options.output_dir)
            previous.load(fingerprint.outputs(options.output_dir))
            state.forget()  # the site is about to change
        renderer = Renderer(options.templates_dir, settings, assets, options.cache_dir)
        edits = edits_since(previous, derived, settings, environment) if options.write else None
        order = tuple(actor.id for actor in catalogue.actors)

        def pieces(path: str, lengths: tuple[int, ...]) -> Pieces | None:
            if overlay is not None:  # held in pieces: not joined into a copy
                return overlay.chunks(path, lengths)
            return site.spans(path, lengths)  # never read: copied by the kernel

        def patched(route: str) -> tuple[Pieces, tuple[int, ...]] | None:
            return export_patch(edits, derived, order, route, pieces)

        rendered = render_pages(
            pages, renderer, salt, previous, options, site, checker, state, exports, patched, memo
        )
        clock.lap("render")
        others = [(asset.route, asset.data) for asset in assets.values()]
        kept: list[str] = []
        if options.write and options.search:  # the index only matters to a published site
            index, kept = search_files(edits, derived, site)
            others += index
        for path, data in others:
            checker.add(path, data)
            site.add(path, data)
        for path in kept:
            checker.add_extracted(path, (), frozenset())
        clock.lap("search")
        problems = checker.problems()
        if problems:
            raise ContentError(problems)  # leaving the block discards everything staged
    derived.prune()
    clock.lap("write")
    files = len(pages) + len(others) + len(kept)
    report = BuildReport(len(catalogue.actors), len(pages), files, 0.0, warnings, rendered)
    if options.write:
        if exports.keys() == set(EXPORTS):
            last = previous.quick
            same = isinstance(last, QuickState) and last.environment == environment
            known = last.actors if same else None  # entries made by the same code
            state.quick = QuickState(
                environment,
                fingerprint.read_files(listing),
                salt,
                settings,
                catalogue.vocabularies,
                catalogue.client_aliases,
                entries(catalogue, known),
                order,
                exports,
                sitemap_entries(pages),
                len(pages),
                files,
            )
        if overlay is not None:
            overlay.made(state.settle())
        else:
            state.save(fingerprint.outputs(options.output_dir))
            BuildRecord(options.cache_dir).remember(options.output_dir, inputs, report.summary())
    return replace(report, seconds=clock.total(), timings=tuple(clock.laps))


def _target(options: BuildOptions, overlay: Overlay | None) -> AbstractContextManager[Any]:
    """Where the files go: the overlay, the output folder, or nowhere (`check`)."""
    if overlay is not None:
        return nullcontext(overlay)
    if options.write:
        return site_writer(options.output_dir, (options.content_dir, options.templates_dir))
    return discard()


def page_salt(options: BuildOptions, settings: Settings, catalogue: Catalogue) -> str:
    """What every page depends on; each page's own inputs are added to it (incremental.py)."""
    return digest(
        (
            fingerprint.environment(options.templates_dir, page_options(options)),
            settings,
            catalogue.vocabularies,
            catalogue.client_aliases,
        )
    )


def _page_key(salt: str, known: Container[str], memo: KeyMemo | None, page: Page) -> PageKey:
    """The page's key, with its recipe only if `known` lacks it (made on every core: only
    this comes back from the workers; from `memo` if it has it)."""
    found = page_key(salt, page) if memo is None else memo.key(salt, page)
    if found.recipe is None and found.actors and found.key not in known:
        found = page_key(salt, page)  # from the memo, but its recipe is no longer stored
    return replace(found, recipe=None) if found.recipe and found.key in known else found


def render_pages(
    pages: list[Page],
    renderer: Renderer,
    salt: str,
    previous: SiteState,
    options: BuildOptions,
    site: Any,
    checker: LinkChecker,
    state: SiteState,
    exports: dict[str, tuple[int, ...]],
    patched: Callable[[str], tuple[Pieces, tuple[int, ...]] | None] = lambda route: None,
    memo: KeyMemo | None = None,
) -> int:
    """Render the pages whose key differs from the site on disk's (on every core), keep
    the others, and note every page's links, key and recipe, and the length of each
    chunk of the exports; returns how many were rendered. `site.read(path)`: the bytes of
    a file of the site before this build, None if it has none (or not as recorded).
    `patched(route)`: an export patched (its chunks and their lengths), None if it is to
    be made whole. `memo`: keys kept by earlier builds in this process (one core only)."""
    # A page that is gone may be the target of links on pages that did not change: those
    # that may hold such a link (by their signature, then their bytes) have them read again.
    gone_routes = previous.keys.keys() - {page.route for page in pages}
    gone, needles = bits_of(gone_routes), [route.encode() for route in gone_routes]
    recipes = quick_recipes(options) if options.write else None
    known = recipes.keys() if recipes is not None else set()
    new_recipes: list[tuple[str, bytes]] = []
    stale = []
    keyed = map_chunks(partial(_page_key, salt, known, memo), pages, options.workers)
    for page, found in zip(pages, keyed, strict=True):
        key, path = found.key, output_path(page.route)
        state.show(page.route, found.actors)
        if found.recipe is not None and key not in known:
            new_recipes.append((key, found.recipe))
            if len(new_recipes) == 1000 and recipes is not None:  # never all in memory
                recipes.put_many(new_recipes)
                new_recipes.clear()
        if previous.keys.get(page.route) != key or not site.keep(path):
            stale.append((page, key))
            continue
        links: tuple[str, ...] = ()
        if gone & previous.links.get(page.route, 0):
            data = site.read(path)
            if data is None:  # deleted from the site by hand: render it again
                stale.append((page, key))
                continue
            if may_link_to(data, needles):
                links = extract(path, data)[0]
        checker.add_extracted(path, links, previous.ids[page.route])
        state.set(page.route, key, previous.ids[page.route], previous.links.get(page.route, 0))
        if page.route in EXPORTS and isinstance(previous.quick, QuickState):
            exports[page.route] = previous.quick.exports[page.route]
    if recipes is not None:
        recipes.put_many(new_recipes)
    streamed = [(page, key) for page, key in stale if page.chunks is not None]
    stale = [(page, key) for page, key in stale if page.chunks is None]
    for page, key in streamed:  # big files, written as they are made
        path, patch = output_path(page.route), patched(page.route)
        if patch is not None:
            try:
                site.add_chunks(path, patch[0])
                exports[page.route] = patch[1]
            except NotAsRecorded:  # the file on disk changed meanwhile: make it whole
                patch = None
        if patch is None:
            lengths: list[int] = []
            site.add_chunks(path, recorded(lengths, page.chunks()))
            exports[page.route] = tuple(lengths)
        checker.add_extracted(path, (), frozenset())
        state.set(page.route, key, frozenset())
    work = PageRenderer(renderer)
    results = map_chunks(work, [page for page, _ in stale], options.workers)
    for (page, key), (data, links, ids, signed) in zip(stale, results, strict=True):
        path = output_path(page.route)
        site.add(path, data)
        checker.add_extracted(path, links, ids)
        state.set(page.route, key, ids, signed)
    if recipes is not None:
        # The recipes of the pages this site no longer has, and those of other code, are
        # forgotten: each edit would leave some more for good (and each change of our
        # code, 26 MB at 10,000 actors). Other output folders' pages keep theirs.
        recipes.forget(set(previous.keys.values()) - set(state.keys.values()))
    return len(stale) + len(streamed)
