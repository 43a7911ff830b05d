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

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .config import Settings
from .derived import Derived
from .incremental import SiteState
from .quick import EXPORTS, Pieces, QuickState
from .routes import output_path
from .search import index_paths, patch_index, search_index

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
    """The export at `route` made from the site before's, and its chunks' lengths: the
    chunk of each actor unchanged since taken from that file wherever the actor now stands
    (`order`: the ids in the catalogue's order), unless its bytes depend on the move; the
    chunks of the others made from their records. None when it must be made whole: no
    actor before or now, a record or the file not as recorded."""
    if edits is None or route not in edits.last.exports or not order or not edits.last.order:
        return None
    part, first, chunk, moves = EXPORTS[route]
    lengths = edits.last.exports[route]
    old = pieces(output_path(route), lengths)
    if old is None or len(old) != len(lengths) or len(lengths) < first + len(edits.last.order):
        return None
    was = {actor_id: n for n, actor_id in enumerate(edits.last.order)}
    for actor_id, digest in edits.edited.items():  # the file is the one those records made
        record = derived.kept(part, digest)
        if actor_id not in was or record is None:
            return None
        if bytes(old[first + was[actor_id]]) != chunk(was[actor_id], record):
            return None
    made = [
        actor_id
        for n, actor_id in enumerate(order)
        if actor_id in edits.edited or actor_id not in was or not moves(was[actor_id], n)
    ]
    fresh = dict(zip(made, derived.of(part, made), strict=True))
    chunks, new_lengths = list(old[:first]), list(lengths[:first])
    for n, actor_id in enumerate(order):
        if actor_id in fresh:
            data = chunk(n, fresh[actor_id])
            chunks.append(data)
            new_lengths.append(len(data))
        else:
            chunks.append(old[first + was[actor_id]])
            new_lengths.append(lengths[first + was[actor_id]])
    end = first + len(edits.last.order)  # what follows the actors' chunks
    chunks += old[end:]
    new_lengths += lengths[end:]
    return chunks, tuple(new_lengths)
