"""The build, top to bottom: load → validate → model → pages → render → verify → write."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from itertools import chain
from pathlib import Path

from . import fingerprint
from .advice import advise
from .errors import ContentError, Problem
from .fingerprint import BuildRecord
from .links import LinkChecker
from .load import load_catalogue
from .markdown import MarkdownRenderer
from .pages import plan_pages
from .parallel import map_chunks
from .render import Renderer, collect_assets
from .routes import output_path
from .schema import json_schema_text
from .search import records as search_records
from .search import search_index
from .write import check_output_dir, site_writer

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def default_templates_dir() -> Path:
    """templates/ of this repository, or the copy shipped inside an installed package."""
    checkout = PROJECT_ROOT / "templates"
    return checkout if checkout.is_dir() else Path(__file__).resolve().parent / "templates"


DEFAULT_TEMPLATES = default_templates_dir()


class _Discarded:
    """Where `check` sends the files: the same build, without the write step."""

    def add(self, path: str, data: bytes) -> None:
        pass


@contextmanager
def discard() -> Iterator[_Discarded]:
    yield _Discarded()


@dataclass(frozen=True)
class BuildOptions:
    content_dir: Path = Path("content")
    output_dir: Path = Path("output")
    templates_dir: Path = DEFAULT_TEMPLATES
    base_url: str | None = None  # overrides content/site.yaml
    write: bool = True  # False for `check`: the same build without the write step
    cache_dir: Path | None = Path(".cache")  # None: no persistent cache
    workers: int | None = None  # processes for rendering; None: one per core
    search: bool = True  # False: no search index (the preview's quick rebuilds, see serve.py)


@dataclass(frozen=True)
class BuildReport:
    actors: int
    pages: int
    files: int
    seconds: float
    warnings: tuple[Problem, ...] = ()  # worth a look, but the site was built
    up_to_date: bool = False  # nothing changed since the last build: nothing was written

    def summary(self) -> dict:
        return {
            "actors": self.actors,
            "pages": self.pages,
            "files": self.files,
            "warnings": [asdict(w) for w in self.warnings],
        }

    @classmethod
    def from_summary(cls, summary: dict, seconds: float) -> BuildReport:
        warnings = tuple(Problem(**w) for w in summary["warnings"])
        return cls(
            summary["actors"],
            summary["pages"],
            summary["files"],
            seconds,
            warnings,
            up_to_date=True,
        )


def build(options: BuildOptions) -> BuildReport:
    """Build the site; raises ContentError (nothing written) if anything is wrong."""
    started = time.perf_counter()
    record = BuildRecord(options.cache_dir)
    input_hash = fingerprint.inputs(
        options.content_dir,
        options.templates_dir,
        {
            "base_url": options.base_url,
            "search": options.search,
        },
    )
    if options.write:
        # before the work, so a refusal is immediate
        check_output_dir(options.output_dir, (options.content_dir, options.templates_dir))
        summary = record.up_to_date(options.output_dir, input_hash)
        if summary is not None:  # the site on disk is what this build would write
            return BuildReport.from_summary(summary, time.perf_counter() - started)
    settings, catalogue = load_catalogue(options.content_dir, options.base_url, options.workers)
    warnings = tuple(advise(catalogue))
    pages = plan_pages(settings, catalogue, json_schema_text(catalogue.vocabularies.labels()))
    assets = collect_assets(options.templates_dir, settings)
    renderer = Renderer(options.templates_dir, settings, assets)
    checker = LinkChecker(settings.base_path)
    reads = (options.content_dir, options.templates_dir)
    files = 0
    with site_writer(options.output_dir, reads) if options.write else discard() as site:
        rendered = map_chunks(renderer.render, pages, options.workers)
        outputs = chain(
            ((output_path(page.route), data) for page, data in zip(pages, rendered, strict=True)),
            ((asset.route, asset.data) for asset in assets.values()),
        )
        if options.write and options.search:  # the index only matters to a published site
            records = search_records(settings, catalogue, MarkdownRenderer(), options.workers)
            outputs = chain(outputs, search_index(records, options.cache_dir).items())
        for path, data in outputs:  # one file at a time: the site is never all in memory
            checker.add(path, data)
            site.add(path, data)
            files += 1
        problems = checker.problems()
        if problems:
            raise ContentError(problems)  # leaving the block discards everything staged
    report = BuildReport(len(catalogue.actors), len(pages), files, 0.0, warnings)
    if options.write:
        record.remember(options.output_dir, input_hash, report.summary())
    return replace(report, seconds=time.perf_counter() - started)
