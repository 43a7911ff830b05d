"""What a full build patches in the site before it, instead of making it again: the search
index and the exports, where the records of the actors edited since that site's build lie.

Both hold every actor, so a build that changes a few actors' structure (a territory, a
client…) would otherwise read every actor's records and merge or stream them all again.
A patch is made only when the site before was built by the same code, options and
settings, for the same actors, with at most a tenth of them edited; each part it replaces
is checked to be as recorded, and the site's files are read through the writer (None when
a file is not as its manifest records). Anything else, and the file is made whole.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .config import Settings
from .derived import Derived
from .incremental import SiteState
from .quick import EXPORTS, NotQuick, Pieces, QuickState, patched_chunks
from .routes import output_path
from .search import index_paths, patch_index, search_index

Reader = Callable[[str], bytes | None]  # a file of the site before the build; None if not
# The same, cut in pieces of these lengths; None if it is not there or not that long.
PiecesReader = Callable[[str, tuple[int, ...]], Pieces | None]


@dataclass(frozen=True)
class Edits:
    """The actors edited since the site before the build was made."""

    last: QuickState  # what that site's build noted
    before: dict[int, str]  # every actor of that site, by id: the digest of its version
    edited: dict[int, str]  # of which those whose version changed


def edits_since(
    previous: SiteState, derived: Derived, settings: Settings, environment: str
) -> Edits | None:
    """The edits since the site `previous` records; None when that site was built by
    other code, options (`environment`) or settings, for other actors, or when more than
    a tenth of them changed (the whole file is then made as quickly)."""
    last = previous.quick
    if not isinstance(last, QuickState) or (last.environment, last.settings) != (
        environment,
        settings,
    ):
        return None
    before = {entry.id: entry.digest for entry in last.actors.values()}
    if before.keys() != derived.keys.keys():
        return None
    edited = {i: before[i] for i, key in derived.keys.items() if before[i] != key}
    return Edits(last, before, edited) if len(edited) <= len(before) // 10 else None


def search_files(
    edits: Edits | None, derived: Derived, site: Any
) -> tuple[list[tuple[str, bytes]], list[str]]:
    """The search index: the files to add, and those `site` kept as the site before the
    build has them. Patched where it can be (see `_search_patch`): a few records read
    instead of every one."""
    patch = _search_patch(edits, derived, site.read) if edits is not None else None
    kept: list[str] = []
    if patch is not None:
        files, unchanged = patch
        kept = [path for path in sorted(unchanged) if site.keep(path)]
        if len(kept) == len(unchanged):
            return [(path, data) for path, data in files.items() if data is not None], kept
    # A file of the index not as recorded (edited by hand?): the others from the whole index.
    whole, done = search_index(derived.each("search")), set(kept)
    return [(path, data) for path, data in whole.items() if path not in done], kept


def _search_patch(
    edits: Edits, derived: Derived, read: Reader
) -> tuple[dict[str, bytes | None], set[str]] | None:
    """The files of the site's search index that change (None: gone) and the others;
    None when it must be made whole: an actor renamed (the order of the results), a
    record or a file not as recorded."""
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
    """The export at `route` as the site before has it, with the chunks of the edited
    actors replaced, and its chunks' lengths; None when it must be made whole: actors in
    another order (`order`: their ids in the catalogue's), a record or the file not as
    recorded."""
    if edits is None or edits.last.order != order or route not in edits.last.exports:
        return None
    part, first, chunk = EXPORTS[route]
    positions = {actor_id: n for n, actor_id in enumerate(order)}
    fresh = dict(zip(edits.edited, derived.of(part, edits.edited), strict=True))
    changes = {}
    for actor_id, digest in edits.edited.items():
        old = derived.kept(part, digest)
        if old is None:
            return None
        n = positions[actor_id]
        changes[first + n] = (chunk(n, old), chunk(n, fresh[actor_id]))
    lengths = edits.last.exports[route]
    try:
        return patched_chunks(pieces(output_path(route), lengths), lengths, changes)
    except NotQuick:
        return None
