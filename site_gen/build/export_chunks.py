"""An export (every actor's record in one file) in pieces: each actor's chunk, cut from
the file where the last build noted its lengths, and patched where the edited actors'
records lie, keeping the other actors' chunks wherever they now stand. Quick rebuilds,
the full build's patches (patch.py) and the preview's site in memory read it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from itertools import accumulate, pairwise
from typing import NamedTuple

from site_gen.output.stream import Span
from site_gen.pages import routes
from site_gen.pages.exports import (
    csv_row_chunk,
    csv_row_moves,
    json_array_item,
    json_array_item_moves,
)
from site_gen.pages.keys import NotQuick

# Export route → the per-actor data it is made of, the index of the first actor's chunk,
# how an actor's chunk is made from its data and position, and whether it keeps its bytes
# from one position to another (as in exports.py).
EXPORTS = {
    routes.DATA_JSON: ("json", 0, json_array_item, json_array_item_moves),
    routes.DATA_CSV: ("csv_row", 1, csv_row_chunk, csv_row_moves),
}

Pieces = list[bytes | memoryview | Span]  # a file's bytes in pieces, to join or write in turn


def recorded(lengths: list[int], chunks: Iterable[bytes]) -> Iterable[bytes]:
    """`chunks`, noting the length of each in `lengths` (to patch the file later)."""
    for chunk in chunks:
        lengths.append(len(chunk))
        yield chunk


def cut(data: bytes | None, lengths: tuple[int, ...]) -> Pieces | None:
    """`data` cut in pieces of these lengths (views, no copy); None if it is not as long."""
    if data is None or len(data) != sum(lengths):
        return None
    view = memoryview(data)
    return [view[start:end] for start, end in pairwise(accumulate(lengths, initial=0))]


class ExportBefore(NamedTuple):
    """An export as the site before holds it: its `pieces` (None if not as recorded), of
    these `lengths`, holding the actors `before` (their ids, in order)."""

    pieces: Pieces | None
    lengths: tuple[int, ...]
    before: tuple[int, ...]


def patch_export(
    route: str,
    was: ExportBefore,
    order: tuple[int, ...],
    edited: Mapping[int, object],
    records: Callable[[list[int]], Iterable[object]],
) -> tuple[Pieces, tuple[int, ...]]:
    """The export at `route`, from the file the site before holds (`was`), made for the
    actors `order`, and its chunks' lengths. Each
    actor's chunk is taken from the pieces wherever it now stands, unless its bytes depend
    on the move, the actor is new, or it was `edited` (id → its record before, which must
    have made its piece): those are made from `records(ids)`. Raises NotQuick when the
    pieces are not as recorded."""
    _, first, chunk, moves = EXPORTS[route]
    pieces, lengths, before = was
    if not before or not order:
        raise NotQuick("an export of no actor is made whole")
    if pieces is None or len(pieces) != len(lengths) or len(lengths) < first + len(before):
        raise NotQuick("an export is not as recorded")
    was = {actor_id: n for n, actor_id in enumerate(before)}
    for actor_id, record in edited.items():
        n = was.get(actor_id)
        if n is None or record is None or bytes(pieces[first + n]) != chunk(n, record):
            raise NotQuick(f"the chunk of actor {actor_id} in an export is not as recorded")
    made = [
        actor_id
        for n, actor_id in enumerate(order)
        if actor_id in edited or actor_id not in was or not moves(was[actor_id], n)
    ]
    fresh = dict(zip(made, records(made), strict=True))
    chunks, new_lengths = list(pieces[:first]), list(lengths[:first])
    for n, actor_id in enumerate(order):
        if actor_id in fresh:
            data = chunk(n, fresh[actor_id])
            chunks.append(data)
            new_lengths.append(len(data))
        else:
            chunks.append(pieces[first + was[actor_id]])
            new_lengths.append(lengths[first + was[actor_id]])
    end = first + len(before)  # what follows the actors' chunks
    return [*chunks, *pieces[end:]], (*new_lengths, *lengths[end:])
