"""What a full build patches in the site before it, instead of making it again: the search
index and the exports, where the records of the actors edited since that site's build lie.

Both hold every actor, so a build that changes a few actors' structure (a territory, a
client…) would otherwise read every actor's records and merge or stream them all again.
A patch is made only when the site before was built by the same code, options and
settings, with at most a tenth of its actors edited, added or removed (the search index:
none added or removed); each part it replaces is checked to be as recorded, and the site's
files are read through the writer (None when a file is not as its manifest records).
Anything else, and the file is made whole.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from site_gen.build.edit_record import QuickState
from site_gen.build.export_chunks import EXPORTS, ExportBefore, Pieces, patch_export
from site_gen.build.record import SiteState
from site_gen.content.config import Settings
from site_gen.pages.derived import Derived
from site_gen.pages.keys import NotQuick
from site_gen.pages.routes import output_path
from site_gen.pages.search import index_files, index_paths, patch_index

Reader = Callable[[str], bytes | None]  # a file of the site before the build; None if not
# The same, cut in pieces of these lengths; None if it is not there or not that long.
PiecesReader = Callable[[str, tuple[int, ...]], Pieces | None]


@dataclass(frozen=True)
class Edits:
    """The actors edited, added and removed since the site before the build was made."""

    last: QuickState  # what that site's build noted
    before: dict[int, str]  # every actor of that site, by id: the digest of its version
    edited: dict[int, str]  # of which those whose version changed
    added: frozenset[int]  # actors that site did not have
    removed: frozenset[int]  # of `before`, those the catalogue no longer has


def edits_since(
    previous: SiteState, derived: Derived, settings: Settings, environment: str
) -> Edits | None:
    """The edits since the site `previous` records; None when that site was built by
    other code, options (`environment`) or settings, or when more than a tenth of its
    actors changed, came or went (the whole files are then made as quickly)."""
    last = previous.quick
    if not isinstance(last, QuickState) or (last.environment, last.settings) != (
        environment,
        settings,
    ):
        return None
    before = {entry.id: entry.digest for entry in last.actors.values()}
    now = derived.keys
    edited = {i: before[i] for i, key in now.items() if i in before and before[i] != key}
    added = frozenset(now.keys() - before.keys())
    removed = frozenset(before.keys() - now.keys())
    if len(edited) + len(added) + len(removed) > len(before) // 10:
        return None
    return Edits(last, before, edited, added, removed)


def search_files(
    edits: Edits | None, derived: Derived, site: Any
) -> tuple[Iterable[tuple[str, bytes]], list[str]]:
    """The search index: the files to add (made as they are read, when the index is made
    whole), and those `site` kept as the site before the build has them. Patched where it
    can be (see `_search_patch`): a few records read instead of every one."""
    patch = _search_patch(edits, derived, site.read) if edits is not None else None
    kept: list[str] = []
    if patch is not None:
        files, unchanged = patch
        kept = [path for path in sorted(unchanged) if site.keep(path)]
        if len(kept) == len(unchanged):
            return [(path, data) for path, data in files.items() if data is not None], kept
    # A file of the index not as recorded (edited by hand?): the others from the whole index.
    whole, done = index_files(derived.each("search")), set(kept)
    return ((path, data) for path, data in whole if path not in done), kept


def _search_patch(
    edits: Edits, derived: Derived, read: Reader
) -> tuple[dict[str, bytes | None], set[str]] | None:
    """The files of the site's search index that change (None: gone) and the others;
    None when it must be made whole: an actor renamed (the order of the results), a
    record or a file not as recorded, actors added or removed."""
    if edits.added or edits.removed:
        return None
    old = [derived.kept("search", digest) for digest in edits.edited.values()]
    if any(record is None for record in old):
        return None
    try:
        paths = index_paths(read, edits.before)
        files = patch_index(read, old, list(derived.of("search", edits.edited)))
    except (ValueError, KeyError, TypeError, AttributeError):  # an index not as recorded
        return None
    return files, paths - files.keys()


def export_patch(
    edits: Edits | None,
    derived: Derived,
    order: tuple[int, ...],
    route: str,
    pieces: PiecesReader,
) -> tuple[Pieces, tuple[int, ...]] | None:
    """The export at `route` made from the site before's (pieces.patch_export), and its
    chunks' lengths, for the actors of `order` (their ids in the catalogue's order); None
    when it must be made whole: no actor before or now, a record or the file not as
    recorded."""
    if edits is None or route not in edits.last.exports:
        return None
    part = EXPORTS[route][0]
    lengths = edits.last.exports[route]
    edited = {actor_id: derived.kept(part, digest) for actor_id, digest in edits.edited.items()}
    try:
        was = ExportBefore(pieces(output_path(route), lengths), lengths, edits.last.order)
        return patch_export(
            route,
            was,
            order,
            edited,
            partial(derived.of, part),
        )
    except NotQuick:
        return None
