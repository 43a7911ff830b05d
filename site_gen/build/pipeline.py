"""The build, top to bottom in `_build`: load → validate → derive → plan → render → verify
links → write. The CLI's build and `check`, and the preview, all run it; they differ by
where the files go (`target.py`: the output folder, the preview's memory, nowhere) and by
what the record of the last build holds. The render stage is render_stage.py."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import partial
from itertools import chain
from typing import Any

try:
    import resource
except ImportError:  # pragma: no cover - Windows
    resource = None  # type: ignore[assignment]

from site_gen import fingerprint
from site_gen.build.actor_edits import quick_build
from site_gen.build.addresses import address_changes
from site_gen.build.edit_record import QuickState, entries, listings
from site_gen.build.export_chunks import EXPORTS
from site_gen.build.options import BuildOptions, BuildReport, Inputs, page_options
from site_gen.build.render_stage import RenderJob, render_pages
from site_gen.build.reuse import Edits, edits_since, search_files
from site_gen.build.target import Overlay, Target
from site_gen.cache import digest
from site_gen.cache_trust import check_cache_dir
from site_gen.catalogue.similar_clients import similar_clients
from site_gen.content.advice import advise
from site_gen.content.config import Settings
from site_gen.content.load import load_catalogue, load_texts
from site_gen.content.model import Catalogue
from site_gen.content.schema import json_schema_text
from site_gen.errors import ContentError, Problem
from site_gen.pages.cms import admin_pages
from site_gen.pages.derived import Derived, derive
from site_gen.pages.keys import KeyMemo
from site_gen.pages.planner import (
    Group,
    GroupRecord,
    PagePlanner,
    fact_digests,
    plan_pages,
    sitemap_entries,
)
from site_gen.pages.routes import output_path
from site_gen.pages.views import Page
from site_gen.parallel import preload_in_fresh_workers, release_memory
from site_gen.render.links import LinkChecker
from site_gen.render.renderer import Asset, Renderer, collect_assets


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
    inputs: Inputs | None = None,
    overlay: Overlay | None = None,
    memo: KeyMemo | None = None,
) -> BuildReport:
    """Build the site; raises ContentError (nothing written) if anything is wrong.
    `inputs`: what the build reads, if taken already (the CLI, the preview). `overlay`:
    the files go there, over the site it holds, instead of to the output folder. `memo`:
    page keys kept from one build to the next by a process that builds on one core.
    Whether anything changed at all is asked before this module loads
    (cli.commands.build_if_changed)."""
    preload_in_fresh_workers(__name__)  # what every stage's workers run
    with collector_paused() as resume_collector:
        return _build(options, inputs or Inputs.of(options, None), resume_collector, overlay, memo)


def _build(
    options: BuildOptions,
    inputs: Inputs,
    resume_collector: Callable[[], None],
    overlay: Overlay | None,
    memo: KeyMemo | None,
) -> BuildReport:
    clock = Stopwatch()
    check_cache_dir(options.cache_dir)  # also for the preview, which skips up_to_date
    if overlay is None and (report := quick_build(options, inputs.digest, inputs.listing)):
        clock.lap("quick")
        return replace(report, seconds=clock.total(), timings=tuple(clock.laps))
    settings, catalogue = load_catalogue(
        options.content_dir, options.base_url, options.workers, options.cache_dir
    )
    shared_warnings = similar_clients(catalogue, options.content_dir)
    warnings = tuple(advise(catalogue)) + shared_warnings
    clock.lap("load")
    with_texts = partial(load_texts, options.content_dir, catalogue.vocabularies, options.workers)
    derived = derive(settings, catalogue, options.cache_dir, options.workers, with_texts)
    # From here on, the Markdown is read as HTML from `derived`: the texts can go.
    catalogue = replace(catalogue, actors=tuple(a.without_texts() for a in catalogue.actors))
    release_memory()
    clock.lap("derive")
    schema = json_schema_text(catalogue.vocabularies.labels())
    pages, planner, groups = plan_pages(
        settings, catalogue, schema, derived, options.workers, options.cache_dir
    )
    pages += admin_pages(settings, catalogue, options.templates_dir)
    clock.lap("plan")
    assets = collect_assets(options.templates_dir, settings)
    salt = page_salt(options, settings, catalogue)
    planned = Planned(settings, catalogue, pages, salt, planner, groups, shared_warnings)
    checker = _link_checker(settings, pages, assets)
    target = Target(options, overlay)
    resume_collector()  # before the render workers fork: they inherit it
    with target.open() as site:
        moved = address_changes(target, catalogue, pages)  # not replayed: see addresses.py
        edits = edits_since(target.previous, derived, settings, inputs.environment)
        renderer = Renderer(options.templates_dir, settings, assets, options.cache_dir)
        job = RenderJob(pages, planner, renderer, planned.salt, options, memo)
        patched = target.patched_exports(edits, derived, planned.order())
        rendered = render_pages(job, target, checker, patched)
        clock.lap("render")
        others = _add_assets_and_search(options, assets, edits, derived, site, checker)
        clock.lap("search")
        if problems := checker.problems():
            raise ContentError(problems)  # leaving the block discards everything staged
    derived.prune()
    clock.lap("write")
    files = len(pages) + others
    report = BuildReport(len(catalogue.actors), len(pages), files, 0.0, warnings, rendered)
    if options.write:
        if options.prepare_next:
            target.made.quick = _edit_record(target, inputs, planned, report.files)
        target.save(inputs.digest, report)
    return replace(
        report, warnings=warnings + moved, seconds=clock.total(), timings=tuple(clock.laps)
    )


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
) -> int:
    """Adds the files beside the pages, the static assets and the search index (its files
    patched, or kept as the site before has them), to `site` and to the links checked;
    returns how many files they are."""
    others: Iterable[tuple[str, bytes]] = [(a.route, a.data) for a in assets.values()]
    kept: list[str] = []
    if options.write and options.search:  # the index only matters to a published site
        index, kept = search_files(edits, derived, site)
        others = chain(others, index)  # written as they are made: never all held
    added = 0
    for path, data in others:
        checker.add(path, data)
        site.add(path, data)
        added += 1
    for path in kept:
        checker.add_extracted(path, (), frozenset())
    return added + len(kept)


@dataclass(frozen=True)
class Planned:
    """What a build planned: the settings and catalogue it read, its pages, and what every
    page's key starts from (`salt`)."""

    settings: Settings
    catalogue: Catalogue
    pages: list[Page]
    salt: str
    planner: PagePlanner
    groups: dict[Group, GroupRecord]  # what each group of pages read (PagePlanner.plan)
    shared_warnings: tuple[Problem, ...]  # about the catalogue whole, not one actor

    def order(self) -> tuple[int, ...]:
        """The actors' ids in the catalogue's order (the exports' order)."""
        return tuple(actor.id for actor in self.catalogue.actors)


def _edit_record(target: Target, inputs: Inputs, planned: Planned, files: int) -> QuickState | None:
    """What an edit rebuild needs of this build, for the record of the site it made; None
    when an export was not written whole or patched (the next edit is then a full build)."""
    if target.exports.keys() != set(EXPORTS):
        return None
    last = target.previous.quick
    same = isinstance(last, QuickState) and last.environment == inputs.environment
    known = last.actors if same else None  # entries made by the same code
    catalogue = planned.catalogue
    made = entries(catalogue, known)
    reads = {read for group in planned.groups.values() for read in group.reads}
    return QuickState(
        inputs.environment,
        fingerprint.read_files(inputs.listing),
        planned.salt,
        planned.settings,
        catalogue.vocabularies,
        catalogue.client_aliases,
        made,
        planned.groups,
        fact_digests(planned.planner, reads, listings(made)),
        planned.order(),
        target.exports,
        sitemap_entries(planned.pages),
        len(planned.pages),
        files,
        planned.shared_warnings,
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
