"""Where a build's files go, and the site already there: the output folder (through the
writer), an overlay over a site already built (the preview's, in memory), or nowhere
(`check`); the record of the site before read from it, the pieces of its exports, and the
record of the site made left in it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any, Protocol

from site_gen import fingerprint
from site_gen.build.export_chunks import Pieces
from site_gen.build.options import BuildOptions, BuildReport
from site_gen.build.record import SiteState
from site_gen.build.reuse import Edits, export_patch
from site_gen.fingerprint import BuildRecord
from site_gen.output.write import site_writer
from site_gen.pages.derived import Derived


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


def _target(options: BuildOptions, overlay: Overlay | None) -> AbstractContextManager[Any]:
    """Where the files go: the overlay, the output folder, or nowhere (`check`)."""
    if overlay is not None:
        return nullcontext(overlay)
    if options.write:
        return site_writer(options.output_dir, (options.content_dir, options.templates_dir))
    return discard()


def site_before(
    options: BuildOptions, overlay: Overlay | None, records: Path | None, state: SiteState
) -> SiteState:
    """The record of the site this build is made over: the overlay's, or the output
    folder's, read once the writer holds that folder (and `state`, the record to come,
    then forgets it on disk)."""
    if overlay is not None:
        previous = overlay.previous
    else:  # read under the writer's lock: another build may have replaced the site
        previous = SiteState(records, options.output_dir)
        previous.load(fingerprint.outputs(options.output_dir))
        state.forget()  # the site is about to change
    return previous


def export_patcher(
    edits: Edits | None,
    derived: Derived,
    order: tuple[int, ...],
    overlay: Overlay | None,
    site: Any,
) -> Callable[[str], tuple[Pieces, tuple[int, ...]] | None]:
    """render_pages' `patched`: an export patched where the edited actors' records lie, its
    other pieces those of the file in the site before."""

    def pieces(path: str, lengths: tuple[int, ...]) -> Pieces | None:
        if overlay is not None:  # held in pieces: not joined into a copy
            return overlay.chunks(path, lengths)
        return site.spans(path, lengths)  # never read: copied by the kernel

    def patched(route: str) -> tuple[Pieces, tuple[int, ...]] | None:
        return export_patch(edits, derived, order, route, pieces)

    return patched


def save_record(
    options: BuildOptions,
    overlay: Overlay | None,
    state: SiteState,
    inputs: str,
    report: BuildReport,
) -> None:
    """The record of the site made goes to the overlay, or beside the output folder with
    the record of this build (what the "nothing changed" check compares)."""
    if overlay is not None:
        overlay.made(state.settle())
    else:
        state.save(fingerprint.outputs(options.output_dir))
        BuildRecord(options.cache_dir).remember(options.output_dir, inputs, report.summary())
