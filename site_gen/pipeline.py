"""The build, top to bottom: load → validate → model → pages → render → verify → write.
The render stage is render_stage.py; where the files go (the output folder, the preview's
overlay, nowhere for `check`), build_target.py."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from functools import partial
from typing import Any

try:
    import resource
except ImportError:  # pragma: no cover - Windows
    resource = None  # type: ignore[assignment]

from . import fingerprint
from .advice import advise
from .build_target import Overlay, _target, export_patcher, save_record, site_before
from .cache import digest
from .cache_trust import check_cache_dir
from .config import Settings
from .derived import Derived, derive
from .errors import ContentError
from .incremental import KeyMemo
from .links import LinkChecker
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
from .parallel import release_memory
from .patch import Edits, edits_since, search_files
from .pieces import EXPORTS
from .quick import quick_build
from .quick_state import QuickState, entries
from .render import Asset, Renderer, collect_assets
from .render_stage import render_pages
from .routes import output_path
from .schema import json_schema_text
from .site_state import SiteState
from .views import Page


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
    check_cache_dir(options.cache_dir)  # also for the preview, which skips up_to_date
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
    checker = _link_checker(settings, pages, assets)
    exports: dict[str, tuple[int, ...]] = {}
    environment = fingerprint.environment(options.templates_dir, build_options(options))
    resume_collector()  # before the render workers fork: they inherit it
    with _target(options, overlay) as site:
        previous = site_before(options, overlay, records, state)
        renderer = Renderer(options.templates_dir, settings, assets, options.cache_dir)
        edits = edits_since(previous, derived, settings, environment) if options.write else None
        order = tuple(actor.id for actor in catalogue.actors)
        patched = export_patcher(edits, derived, order, overlay, site)
        rendered = render_pages(
            pages, renderer, salt, previous, options, site, checker, state, exports, patched, memo
        )
        clock.lap("render")
        others, kept = _add_assets_and_search(options, assets, edits, derived, site, checker)
        clock.lap("search")
        problems = checker.problems()
        if problems:
            raise ContentError(problems)  # leaving the block discards everything staged
    derived.prune()
    clock.lap("write")
    files = len(pages) + len(others) + len(kept)
    report = BuildReport(len(catalogue.actors), len(pages), files, 0.0, warnings, rendered)
    if options.write and exports.keys() == set(EXPORTS):
        state.quick = _quick_state(
            previous, environment, listing, salt, settings, catalogue, order, exports, pages, files
        )
    if options.write:
        save_record(options, overlay, state, inputs, report)
    return replace(report, seconds=clock.total(), timings=tuple(clock.laps))


def _link_checker(settings: Settings, pages: list[Page], assets: dict[str, Asset]) -> LinkChecker:
    """The checker of every file's links, expecting the pages and assets this build makes."""
    checker = LinkChecker(settings.base_path)
    checker.expect(output_path(page.route) for page in pages)
    checker.expect(asset.route for asset in assets.values())
    return checker


def _add_assets_and_search(
    options: BuildOptions,
    assets: dict[str, Asset],
    edits: Edits | None,
    derived: Derived,
    site: Any,
    checker: LinkChecker,
) -> tuple[list[tuple[str, bytes]], list[str]]:
    """Adds the files beside the pages, the static assets and the search index, to `site`
    and to the links checked; returns them, and the index's files `site` kept as they were."""
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
    return others, kept


def _quick_state(
    previous: SiteState,
    environment: str,
    listing: dict[str, tuple[int, int]],
    salt: str,
    settings: Settings,
    catalogue: Catalogue,
    order: tuple[int, ...],
    exports: dict[str, tuple[int, ...]],
    pages: list[Page],
    files: int,
) -> QuickState:
    """What a quick rebuild needs of this build, for the record of the site it made."""
    last = previous.quick
    same = isinstance(last, QuickState) and last.environment == environment
    known = last.actors if same else None  # entries made by the same code
    return QuickState(
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
