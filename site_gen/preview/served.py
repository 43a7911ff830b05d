"""The site the preview serves: a folder a build wrote, with in memory the files changed since
(`ServedSite`), and a build of the pipeline made over it in memory (`MemoryOverlay`), which gives up
(`Overflow`) when too many pages changed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from site_gen import fingerprint
from site_gen.build.export_chunks import Pieces, cut
from site_gen.build.record import SiteState
from site_gen.output.manifest import site_files
from site_gen.render.links import link_targets

# A build made in memory over the site served gives up beyond this many bytes of pages
# that changed (a template's worth: every page), and the build goes to a folder.
OVERLAY_LIMIT = 64 * 1024 * 1024


@dataclass
class ServedSite:
    """A site the preview serves: a folder a build wrote, and in memory the files quick
    rebuilds changed since (None: removed; the exports in chunks, joined when asked for).
    `state` is the record of the site for the next quick rebuild, read from the cache at
    the first one; `known`, what links may point to (quick_files.SiteFiles)."""

    folder: Path
    search: bool  # built with its search index
    changed: dict[str, bytes | Pieces | None] = field(default_factory=dict)
    state: SiteState | None = None
    on_disk: frozenset[str] = frozenset()  # the folder's files, by its manifest
    known: frozenset[str] = frozenset()

    def read(self, path: str) -> bytes | None:
        """The bytes of the file at `path` (relative, inside the folder), None if none."""
        if path in self.changed:
            data = self.changed[path]
            return b"".join(data) if isinstance(data, list) else data
        try:
            return (self.folder / path).read_bytes()
        except OSError:
            return None

    def chunks(self, path: str, lengths: tuple[int, ...]) -> Pieces | None:
        data = self.changed.get(path)
        if isinstance(data, list):
            return data if len(data) == len(lengths) else None
        return cut(self.read(path), lengths)

    def targets(self) -> frozenset[str]:
        return self.known

    def paths(self) -> set[str]:
        """Every file of the site."""
        removed = {path for path, data in self.changed.items() if data is None}
        return (self.on_disk - removed) | (self.changed.keys() - removed)

    def changing(self, files: dict[str, bytes | Pieces | None]) -> ServedSite:
        """This site with these files changed (by path; None: removed)."""
        site = replace(self, changed=self.changed | files)
        if any(data is None for data in files.values()):
            return replace(site, known=frozenset(link_targets(site.paths())))
        added = link_targets(files.keys() - self.known)
        return replace(site, known=self.known | added) if added else site

    def changing_in_full(self, overlay: MemoryOverlay) -> ServedSite:
        """This site as the build made over it in `overlay` left it."""
        removed = overlay.removed()
        site = self.changing(overlay.files | dict.fromkeys(removed))
        known = frozenset(link_targets(site.paths())) if removed else site.known
        return replace(site, search=overlay.search, state=overlay.state, known=known)

    def record_of_site(self, cache_dir: Path | None) -> SiteState | None:
        """The record of the site for a quick rebuild (site_state.SiteState); None when the
        folder is not as its build left it."""
        if self.state is None:
            files = site_files(self.folder)
            if files is None:
                return None
            self.on_disk = frozenset(files)
            self.known = frozenset(link_targets(files))
            self.state = SiteState(cache_dir, self.folder).load(fingerprint.outputs(self.folder))
        return self.state


class Overflow(Exception):
    """More changed pages than a build made in memory should hold."""


class MemoryOverlay:
    """A build of the pipeline made over a site served (build.target.Overlay): the files that
    differ from it are kept in memory, the others are the site's own. Nothing is written."""

    def __init__(self, site: ServedSite, state: SiteState, search: bool):
        self.site, self.previous, self.search = site, state, search
        self.present = site.paths()
        self.files: dict[str, bytes | Pieces] = {}
        self.kept: set[str] = set()
        self.size = 0
        self.state: SiteState | None = None

    def read(self, path: str) -> bytes | None:
        return self.site.read(path)

    def chunks(self, path: str, lengths: tuple[int, ...]) -> Pieces | None:
        return self.site.chunks(path, lengths)

    def keep(self, path: str) -> bool:
        if path not in self.present:
            return False
        self.kept.add(path)
        return True

    def add(self, path: str, data: bytes) -> None:
        if path in self.present and self.site.read(path) == data:
            self.kept.add(path)  # the assets and the search index: added by every build
            return
        self.size += len(data)
        if self.size > OVERLAY_LIMIT:
            raise Overflow(f"over {OVERLAY_LIMIT // 2**20} MB of pages changed")
        self.files[path] = data

    def add_chunks(self, path: str, chunks: Iterable[bytes]) -> None:
        self.files[path] = list(chunks)  # the exports: kept in memory by quick rebuilds too

    def made(self, state: SiteState) -> None:
        self.state = state

    def removed(self) -> set[str]:
        """The files of the site that the build did not make."""
        return self.present - self.kept - self.files.keys()
