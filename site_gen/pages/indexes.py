"""Where the page planner looks actors up: by term, by pair of terms, by initial, their
related actors and their cards. Built for a catalogue, or (for a quick rebuild in the
preview) from the index of the same actors before a few of them were edited, which costs
what those few actors change rather than a pass over every actor."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property, partial
from itertools import product
from pathlib import Path

from site_gen.catalogue.clients import Client, clients, clients_since
from site_gen.catalogue.relations import Ranking, SortedLists, rank, same_actors, term_pairs
from site_gen.content.config import Settings
from site_gen.content.model import Actor, Catalogue, Term
from site_gen.pages.views import Card
from site_gen.text import initial


@dataclass(frozen=True)
class CatalogueIndex:
    """The lists of actors each page shows, in catalogue order. Lists are never changed
    once made: an index made from another shares the lists no edit touched. (The pairs of
    an index made from another are in another order than those of an index made afresh:
    quick rebuilds look them up, never list them.)"""

    settings: Settings  # cards hold addresses, made with its base path
    catalogue: Catalogue
    positions: dict[int, int]  # actor id → its position in the catalogue
    by_term: defaultdict[Term, list[Actor]]
    pairs: dict[tuple[Term, Term], tuple[Actor, ...]]  # every pair with at least one actor
    letters: defaultdict[str, list[Actor]]  # by initial of the name
    ranking: Ranking
    cards: dict[int, Card]  # by actor id, filled as the planner makes them

    def related(self, actor: Actor) -> tuple[Actor, ...]:
        return self.ranking.related(self.positions[actor.id])

    @cached_property
    def clients(self) -> tuple[Client, ...]:
        """Made when first asked for (0.5 s at 10,000 actors): only client pages need
        them, which a quick rebuild plans only when an actor's clients change."""
        return clients(self.catalogue)

    @property
    def clients_made(self) -> bool:
        """Whether `clients` was asked for already (cached_property keeps it there)."""
        return "clients" in vars(self)

    @cached_property
    def client_by_key(self) -> dict[str, Client]:
        return {client.key: client for client in self.clients}


def listing(actor: Actor) -> tuple:
    """What of an actor the pages other than those that show the actor itself are made
    from: what the index reads of it (its name, which orders and initials the lists; its
    terms and its clients, which place it in lists and rank its related actors) and what
    pages print of it beside its card (its id, addresses, logo). An edit that changes none
    of these changes only pages that show the actor, which its recipes make again
    (build/edit_pages.py); any other edit plans again the groups of pages that read what it
    changed. tests/test_listing.py checks that no page reads more of an actor than this
    outside the actor and its card."""
    return (
        actor.id,
        actor.name,
        actor.slug,
        actor.aliases,
        actor.commons,
        (actor.logo.digest, actor.logo.extension) if actor.logo else None,
        actor.territories,
        actor.contexts,
        actor.clients,
        tuple(e.client for e in actor.experiences),
    )


def index_catalogue(
    settings: Settings,
    catalogue: Catalogue,
    workers: int | None = None,
    cache_dir: Path | None = None,
    last: CatalogueIndex | None = None,
) -> CatalogueIndex:
    """The index of `catalogue`. `last`: the index of an earlier version of it, used if
    it holds the same actors in the same order (see `_since`); `cache_dir`: else where
    the last build's ranking of related actors is (see relations.rank)."""
    if last is not None and last.settings == settings and _same_order(last.catalogue, catalogue):
        return _since(last, catalogue, workers)
    by_term: defaultdict[Term, list[Actor]] = defaultdict(list)
    letters: defaultdict[str, list[Actor]] = defaultdict(list)
    for actor in catalogue.actors:
        for term in actor.territories + actor.contexts:
            by_term[term].append(actor)
        letters[initial(actor.name)].append(actor)
    return CatalogueIndex(
        settings,
        catalogue,
        {actor.id: position for position, actor in enumerate(catalogue.actors)},
        by_term,
        term_pairs(catalogue),
        letters,
        rank(catalogue, workers, cache_dir),
        {},
    )


def _same_order(before: Catalogue, after: Catalogue) -> bool:
    """Whether `after` is `before` with some actors edited: the same ids in the same
    order, and the same vocabularies and aliases of clients."""
    return before.vocabularies == after.vocabularies and same_actors(before, after)


def _since(last: CatalogueIndex, catalogue: Catalogue, workers: int | None) -> CatalogueIndex:
    """The index of `catalogue`, made from `last`: the actors that are other objects than
    in `last` are the edited ones. They keep their positions (`_same_order`), but may
    change terms, clients, even names (a full build in the preview that renames an actor
    without moving it leaves such an index)."""
    positions = last.positions
    edited = [
        (old, new)
        for old, new in zip(last.catalogue.actors, catalogue.actors, strict=True)
        if old is not new
    ]
    in_order = partial(_position, positions)  # lists of actors are in catalogue order
    by_term = SortedLists(last.by_term, in_order)
    pairs = SortedLists(last.pairs, in_order)
    letters = SortedLists(last.letters, in_order)
    for old, new in edited:
        for term in old.territories + old.contexts:
            by_term.remove(term, old)
        for term in new.territories + new.contexts:
            by_term.insert(term, new)
        for pair in product(old.territories, old.contexts):
            pairs.remove(pair, old)
        for pair in product(new.territories, new.contexts):
            pairs.insert(pair, new)
        letters.remove(initial(old.name), old)
        letters.insert(initial(new.name), new)
    changed = {old.id for old, _ in edited}
    index = CatalogueIndex(
        last.settings,
        catalogue,
        positions,
        defaultdict(list, by_term.made(list)),
        pairs.made(tuple),
        defaultdict(list, letters.made(list)),
        rank(catalogue, workers, last=last.ranking),
        {i: card for i, card in last.cards.items() if i not in changed},
    )
    if last.clients_made:  # make this index's from it (where cached_property looks)
        vars(index)["clients"] = clients_since(last.clients, last.catalogue, catalogue, positions)
    return index


def _position(positions: dict[int, int], actor: Actor) -> int:
    return positions[actor.id]
