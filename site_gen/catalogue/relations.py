"""What the catalogue says across actors, besides its clients (clients.py): the actors of
each territory × context pair, and each actor's related actors, ranked by what they share
(ranked again only where an edit can change the ranking). Functions of the model, in a
deterministic order."""

from __future__ import annotations

import math
import sys
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from math import fsum
from pathlib import Path
from typing import Any

from site_gen import fingerprint
from site_gen.cache import ShardedStore
from site_gen.catalogue.clients import client_keys
from site_gen.content.model import Actor, Catalogue, Term
from site_gen.parallel import map_chunks

RELATED_LIMIT = 5
RELATED_CANDIDATES = 60  # actors compared per profile: keeps the ranking O(n) overall
BASE_WEIGHT = {"client": 3.0, "context": 2.0, "territory": 1.0}  # by kind of feature


def term_pairs(catalogue: Catalogue) -> dict[tuple[Term, Term], tuple[Actor, ...]]:
    """Actors by (territory, context) for every pair that has at least one."""
    pairs: dict[tuple[Term, Term], list[Actor]] = defaultdict(list)
    for actor in catalogue.actors:
        for territory in actor.territories:
            for context in actor.contexts:
                pairs[(territory, context)].append(actor)
    return {pair: tuple(actors) for pair, actors in pairs.items()}


@dataclass(frozen=True)
class _Ranking:
    """What ranking one actor's neighbours needs; called in forked workers by position."""

    features: list[Sequence[str]]  # by position in the catalogue, rarest first (see below)
    holders: dict[str, list[int]]  # feature → positions of the actors that have it
    weight: dict[str, float]

    def __call__(self, position: int) -> tuple[int, ...]:
        candidates: dict[int, None] = {}
        for name in self.features[position]:
            # one more than the cap: the actor itself may be among them
            candidates.update(dict.fromkeys(self.holders[name][: RELATED_CANDIDATES + 1]))
            candidates.pop(position, None)
            if len(candidates) >= RELATED_CANDIDATES:
                break
        candidates = dict.fromkeys(list(candidates)[:RELATED_CANDIDATES])
        own = frozenset(self.features[position])
        weight = self.weight.__getitem__
        # fsum is exact, so the order of the terms cannot change a score (or the ranking)
        scored = sorted(
            (-fsum(map(weight, own.intersection(self.features[other]))), other)
            for other in candidates
        )
        return tuple(other for _, other in scored[:RELATED_LIMIT])


@dataclass(frozen=True)
class Ranking:
    """The related actors of every actor of a catalogue, and what ranked them: the next
    ranking of the same actors, a few of them edited, starts from it (see `rank`)."""

    catalogue: Catalogue
    features: list[tuple[str, ...]]  # by position: the actor's clients, contexts, territories
    holders: dict[str, list[int]]  # feature → positions of the actors that have it, in order
    ranked: list[tuple[int, ...]]  # by position: the positions of its related actors
    reranked: Sequence[int]  # the positions ranked again rather than kept from the last

    def related(self, position: int) -> tuple[Actor, ...]:
        actors = self.catalogue.actors
        return tuple(actors[other] for other in self.ranked[position])


def rank(
    catalogue: Catalogue,
    workers: int | None = None,
    cache_dir: Path | None = None,
    last: Ranking | None = None,
) -> Ranking:
    """Up to five actors per actor, ranked by what they share.

    A shared client counts most, then a shared context, then a shared territory; rarer
    features weigh more (a shared "National" says little). Candidates are gathered from the
    rarest features first and capped, so the cost stays linear in the catalogue size. How
    rare a feature is counts by powers of two (`_bucket`): an actor joining or leaving a
    term changes no weight, but once in a while, so an edit ranks again only the actors
    that may now meet the edited one (see `_affected`).

    The last ranking is reused: whole after an edit of a text, and after an edit of some
    actors' features, for every actor that holds none of the features they gained or lost
    (see `_affected`). It is `last`, a ranking of the same actors in the same order (the
    ones edited since are other objects), else the last build's with that `cache_dir`.
    """
    actors = catalogue.actors
    if last is not None and same_actors(last.catalogue, catalogue):
        features, holders = _features_since(last, catalogue)
        before: tuple[list[tuple[str, ...]], list[tuple[int, ...]]] | None = (
            last.features,
            last.ranked,
        )
        store = None
    else:
        features, holders = _features(catalogue)
        store = ShardedStore(cache_dir, "related", fingerprint.code())
        before = store.get(_LAST)  # (features, ranked) of the last build with this cache
    total = len(actors) or 1
    weight = {
        name: BASE_WEIGHT[name.partition(":")[0]] * (1 + math.log(total / _bucket(len(found))))
        for name, found in holders.items()
    }
    if before is not None and before[0] == features:
        return Ranking(catalogue, features, holders, before[1], ())
    affected = _affected(before[0], features, holders) if before is not None else None
    positions = range(len(actors)) if affected is None else sorted(affected)
    # each actor's features, rarest first (only theirs are walked in that order)
    ordered: list[Sequence[str]] = list(features)
    for position in positions:
        ordered[position] = sorted(features[position], key=lambda n: (_bucket(len(holders[n])), n))
    fresh = map_chunks(_Ranking(ordered, holders, weight), positions, workers)
    ranked = list(before[1]) if affected is not None else [()] * len(actors)
    for position, found in zip(positions, fresh, strict=True):
        ranked[position] = found
    if store is not None:
        store.put(_LAST, (features, ranked))
        store.keep_only([_LAST])
        store.save()
    return Ranking(catalogue, features, holders, ranked, positions)


def actor_features(actor: Actor, catalogue: Catalogue) -> tuple[str, ...]:
    """What an actor is ranked by: its clients, contexts and territories, as names of
    features ("client:…", "context:…", "territory:…")."""
    own = [f"client:{k}" for k in client_keys(actor, catalogue)]
    own += [f"context:{t.slug}" for t in actor.contexts]
    own += [f"territory:{t.slug}" for t in actor.territories]
    # interned: thousands of actors share each name, and the index keeps them all
    return tuple(dict.fromkeys(map(sys.intern, own)))


def _features(catalogue: Catalogue) -> tuple[list[tuple[str, ...]], dict[str, list[int]]]:
    """The features of every actor, by position, and the holders of each feature."""
    features = [actor_features(actor, catalogue) for actor in catalogue.actors]
    holders: dict[str, list[int]] = defaultdict(list)
    for position, names in enumerate(features):
        for name in names:
            holders[name].append(position)
    return features, dict(holders)


def _features_since(
    last: Ranking, catalogue: Catalogue
) -> tuple[list[tuple[str, ...]], dict[str, list[int]]]:
    """`_features` of `catalogue`, from those of `last`: only the actors that are other
    objects are looked at again. `last` is left as it is."""
    features = list(last.features)
    holders = SortedLists(last.holders)
    pairs = zip(last.catalogue.actors, catalogue.actors, strict=True)
    for position, (old, new) in enumerate(pairs):
        if old is new:
            continue
        features[position] = actor_features(new, catalogue)
        had, has = set(last.features[position]), set(features[position])
        for name in had - has:
            holders.remove(name, position)
        for name in has - had:
            holders.insert(name, position)
    return features, holders.made(list)


class SortedLists:
    """Lists by key, each sorted by `order` of its items, changed by copy: the lists it
    was given stay as they are, so an index made from another (indexes.py, `rank`)
    shares the lists no edit touched and leaves the other's intact."""

    def __init__(self, lists: Mapping[Any, Sequence], order: Callable[[Any], Any] | None = None):
        self.lists = dict(lists)
        self.copied: set = set()
        self.order = order

    def _own(self, key: Hashable) -> list:
        if key not in self.copied:
            self.copied.add(key)
            self.lists[key] = list(self.lists.get(key, ()))
        return self.lists[key]

    def remove(self, key: Hashable, item: Any) -> None:
        found = self._own(key)
        at = bisect_left(found, self._place(item), key=self.order)
        if at == len(found) or (found[at] is not item and found[at] != item):
            raise ValueError(f"{item!r} is not listed under {key!r}")
        del found[at]

    def insert(self, key: Hashable, item: Any) -> None:
        found = self._own(key)
        found.insert(bisect_left(found, self._place(item), key=self.order), item)

    def _place(self, item: Any) -> Any:
        return item if self.order is None else self.order(item)

    def made(self, kind: Callable[[list], Any]) -> dict:
        """Every list but the emptied ones, those changed as `kind` (list or tuple)."""
        return {
            key: kind(found) if key in self.copied else found
            for key, found in self.lists.items()
            if found
        }


def same_actors(before: Catalogue, after: Catalogue) -> bool:
    """Whether `after` holds the actors of `before` (some maybe edited) in the same order,
    clients merged by the same aliases: what `_features_since` needs."""
    return (
        before.client_aliases == after.client_aliases
        and len(before.actors) == len(after.actors)
        and all(a.id == b.id for a, b in zip(before.actors, after.actors, strict=True))
    )


_LAST = "last"


def _affected(
    before: list[tuple[str, ...]], after: list[tuple[str, ...]], holders: dict[str, list[int]]
) -> set[int] | None:
    """The positions whose ranking may differ from the last build's, whose features were
    `before` (None: all of them, as the catalogue grew or shrank and every weight moved).

    An actor's ranking is made of its features' weights and rarest-first order (by
    `_bucket` of their number of holders), its candidates (the first holders of each,
    RELATED_CANDIDATES + 1 of them) and what it shares with them. So besides the actors
    whose features changed, an edit of those can change only the ranking of the holders
    of a feature whose bucket it changed, or at the head of whose holders an edited actor
    is or was: only there may an actor meet it as a candidate. (The head is taken a little
    longer, by the number of actors edited, for the places they shift.)"""
    if len(before) != len(after):
        return None
    changed = {p for p, (old, new) in enumerate(zip(before, after, strict=True)) if old != new}
    head = RELATED_CANDIDATES + 1 + len(changed)
    moved: Counter[str] = Counter()  # holders gained minus lost, by feature
    for p in changed:
        moved.update(dict.fromkeys(set(after[p]) - set(before[p]), 1))
        moved.subtract(dict.fromkeys(set(before[p]) - set(after[p]), 1))
    affected = set(changed)
    for p in changed:
        for name in set(before[p]) | set(after[p]):
            found = holders.get(name, [])
            was = len(found) - moved[name]
            if bisect_left(found, p) < head or _bucket(was) != _bucket(len(found)):
                affected.update(found)
    return affected


def _bucket(holders: int) -> int:
    """The power of two at or below a number of holders (0 for none): how rare a feature
    is, for its weight and its place among an actor's features."""
    return 1 << (holders.bit_length() - 1) if holders else 0
