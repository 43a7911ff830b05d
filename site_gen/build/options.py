"""What a build is asked to do and what it reports, and the check that it would change
nothing: all the command line needs before the heavy modules (YAML, Jinja, SQLite…) load,
so that a rebuild with nothing to do starts and stops in a blink."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from pathlib import Path

from site_gen import fingerprint, i18n
from site_gen.cache_trust import check_cache_dir
from site_gen.errors import Problem
from site_gen.output.folder import check_output_dir

_PACKAGE = Path(__file__).resolve().parent.parent  # site_gen/
PROJECT_ROOT = _PACKAGE.parent


def default_templates_dir() -> Path:
    """templates/ of this repository, or the copy shipped inside an installed package."""
    checkout = PROJECT_ROOT / "templates"
    return checkout if checkout.is_dir() else _PACKAGE / "templates"


DEFAULT_TEMPLATES = default_templates_dir()


@dataclass(frozen=True)
class BuildOptions:
    content_dir: Path = Path("content")
    output_dir: Path = Path("output")
    templates_dir: Path = DEFAULT_TEMPLATES
    base_url: str | None = None  # overrides content/site.yaml
    write: bool = True  # False for `check`: the same build without the write step
    cache_dir: Path | None = Path(".cache")  # None: no persistent cache
    workers: int | None = None  # processes for rendering; None: one per core
    search: bool = True  # False: no search index (the preview's first build: preview/serve.py)
    verify: bool = False  # look at every file of output/ and make again what is not as built
    # Another build of this output folder may follow: leave what makes it quick, the spare
    # site of hard links after a first build (output/write.py) and the edit record
    # (build/edit_record.py). Not in CI, where none follows.
    prepare_next: bool = True


@dataclass(frozen=True)
class BuildReport:
    actors: int
    pages: int
    files: int
    seconds: float
    warnings: tuple[Problem, ...] = ()  # worth a look, but the site was built
    rendered: int = 0  # pages rendered; the others were the same as on disk
    timings: tuple[tuple[str, float, int], ...] = ()  # stage, seconds, peak MB by its end
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


def build_options(options: BuildOptions) -> dict:
    """The options that change what a build writes (beyond its inputs' files)."""
    # the language of the messages: a build record's warnings are kept in it
    return page_options(options) | {"search": options.search, "messages": i18n.language()}


def page_options(options: BuildOptions) -> dict:
    """The options that change the pages: not `search`, whose index is files of its own
    (so the preview adds it to a site without rendering a page again)."""
    return {"base_url": options.base_url}


def input_hash(options: BuildOptions, files: dict[str, tuple[int, int]] | None = None) -> str:
    """fingerprint.inputs of what this build reads; `files`: the content's listing, if known."""
    return fingerprint.inputs(
        options.content_dir, options.templates_dir, build_options(options), files
    )


@dataclass(frozen=True)
class Inputs:
    """What a build reads, as its record notes it: the content folder's listing (taken
    before anything is read, see edit_record.QuickState), the digest of every input (what
    the "nothing changed" check compares) and the digest of the code, templates and
    options that make the site (`environment`)."""

    listing: dict[str, tuple[int, int]]
    digest: str
    environment: str

    @classmethod
    def of(cls, options: BuildOptions, listing: dict[str, tuple[int, int]] | None) -> Inputs:
        """`listing`: fingerprint.listing of the content folder, if taken already."""
        if listing is None:
            listing = fingerprint.listing(options.content_dir)
        environment = fingerprint.environment(options.templates_dir, build_options(options))
        return cls(listing, input_hash(options, listing), environment)


def up_to_date(options: BuildOptions, inputs: str | None = None) -> BuildReport | None:
    """The report of the last build of `options.output_dir` if nothing it read or wrote has
    changed since (the site on disk is what this build would write), else None. `inputs`:
    input_hash(options), when the caller has it already.

    Refuses an output folder site_gen must not replace, and a cache folder tracked by git
    (even for `check`), at once, before any work."""
    check_cache_dir(options.cache_dir)
    if not options.write or options.verify:
        return None
    started = time.perf_counter()
    check_output_dir(options.output_dir, (options.content_dir, options.templates_dir))
    record = fingerprint.BuildRecord(options.cache_dir)
    summary = record.up_to_date(options.output_dir, inputs or input_hash(options))
    if summary is None:
        return None
    return BuildReport.from_summary(summary, time.perf_counter() - started)
