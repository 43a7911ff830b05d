"""Where a build's files go, and the record of the site there: the output folder (through
the writer), an overlay over a site already built (the preview's, in memory), or nowhere
(`check`). A `Target` holds the record of the site before the build (`previous`), the record
of the site being made (`made`) and the lengths of the exports' chunks, and saves the record
once the site is made.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any, Protocol

from site_gen import fingerprint
from site_gen.build.export_chunks import Pieces
from site_gen.build.options import BuildOptions, BuildReport
from site_gen.build.record import SiteState
from site_gen.build.reuse import Edits, export_patch
from site_gen.fingerprint import BuildRecord
from site_gen.output.write import site_writer
from site_gen.pages.derived import Derived

PatchedExport = Callable[[str], tuple[Pieces, tuple[int, ...]] | None]


class Discarded:
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


class Target:
    """Where one build's files go, with the records of the site there: `previous` (the
    site before, known once `open` holds the folder) and `made` (the site being made, page
    by page), and `exports`, the lengths of each export's chunks as written."""

    def __init__(self, options: BuildOptions, overlay: Overlay | None = None):
        self.options = options
        self.overlay = overlay
        records = options.cache_dir if options.write else None  # `check` leaves it alone
        self.made = SiteState(records, options.output_dir)
        self.previous = SiteState(None, options.output_dir)
        self.exports: dict[str, tuple[int, ...]] = {}
        self.site: Any = Discarded()

    @contextmanager
    def open(self) -> Iterator[Any]:
        """The site the files go to, for the time of the build; leaving the block by an
        exception discards everything staged."""
        with self._files() as site:
            self.site = site
            self.previous = self._site_before()
            yield site

    def _files(self) -> AbstractContextManager[Any]:
        if self.overlay is not None:
            return nullcontext(self.overlay)
        options = self.options
        if options.write:
            folders = (options.content_dir, options.templates_dir)
            return site_writer(options.output_dir, folders, options.verify, options.prepare_next)
        return nullcontext(Discarded())

    def _site_before(self) -> SiteState:
        """The overlay's record, or the output folder's, read once the writer holds that
        folder (another build may have replaced the site); `made` then forgets it on disk."""
        if self.overlay is not None:
            return self.overlay.previous
        if not self.options.write:
            return self.previous
        previous = SiteState(self.options.cache_dir, self.options.output_dir)
        previous.load(fingerprint.outputs(self.options.output_dir))
        self.made.forget()  # the site is about to change
        return previous

    def patched_exports(
        self, edits: Edits | None, derived: Derived, order: tuple[int, ...]
    ) -> PatchedExport:
        """An export patched where the edited actors' records lie, its other pieces those
        of the file in the site before; None when it is to be made whole."""

        def pieces(path: str, lengths: tuple[int, ...]) -> Pieces | None:
            if self.overlay is not None:  # held in pieces: not joined into a copy
                return self.overlay.chunks(path, lengths)
            return self.site.spans(path, lengths)  # never read: copied by the kernel

        def patched(route: str) -> tuple[Pieces, tuple[int, ...]] | None:
            return export_patch(edits, derived, order, route, pieces)

        return patched

    def save(self, inputs: str, report: BuildReport) -> None:
        """The record of the site made goes to the overlay, or beside the output folder with
        the record of this build (what the "nothing changed" check compares)."""
        if self.overlay is not None:
            self.overlay.made(self.made.settle())
        else:
            self.made.save(fingerprint.outputs(self.options.output_dir))
            BuildRecord(self.options.cache_dir).remember(
                self.options.output_dir, inputs, report.summary()
            )
