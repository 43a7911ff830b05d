"""The clients the actors name, variants merged, and who worked with each: what the
client pages list, made again after an edit only for the clients it touches. Functions of
the model, in a deterministic order."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import NamedTuple

from site_gen.content.model import Actor, Catalogue, Term
from site_gen.text import client_key, sort_key


@dataclass(frozen=True)
class ClientWork:
    """One actor's work for a client: named in `clients`, and/or its experiences there
    (by their position in the actor's `experiences`)."""

    actor: Actor
    experiences: tuple[int, ...]


@dataclass(frozen=True)
class Client:
    key: str  # also its slug
    name: str
    works: tuple[ClientWork, ...]  # in catalogue order
    type: Term | None = None  # what clients.yaml says it is


def clients(catalogue: Catalogue) -> tuple[Client, ...]:
    """Every client named by an actor, variants merged; by number of actors, then name."""
    mentions: dict[str, list[Mention]] = defaultdict(list)
    for actor in catalogue.actors:
        for mention in _mentions(actor, catalogue):
            mentions[mention.key].append(mention)
    return _in_order(_client(key, found, catalogue) for key, found in mentions.items())


def clients_since(
    last: tuple[Client, ...], before: Catalogue, after: Catalogue, positions: dict[int, int]
) -> tuple[Client, ...]:
    """`clients(after)`, made from `last`, the clients of `before`, which holds the same
    actors in the same order (`same_actors`; `positions`: by id). Only the clients that
    the actors edited since (other objects) name or named are made again; where such an
    actor names its clients as before, its new version only takes the old one's place."""
    touched: set[str] = set()  # clients whose names, counts or experiences may change
    naming: dict[str, set[int]] = defaultdict(set)  # positions of the actors naming those
    renewed: dict[int, Actor] = {}  # the actors naming their clients as before, by id
    renewed_keys: set[str] = set()
    for old, new in zip(before.actors, after.actors, strict=True):
        if old is new:
            continue
        was, now = _mentions(old, before), _mentions(new, after)
        if [m[1:] for m in was] == [m[1:] for m in now]:
            renewed[new.id] = new
            renewed_keys.update(m.key for m in now)
        else:
            touched.update(m.key for m in (*was, *now))
            for mention in now:
                naming[mention.key].add(positions[new.id])
    made = []
    for client in last:
        if client.key in touched:
            naming[client.key].update(positions[work.actor.id] for work in client.works)
        elif client.key in renewed_keys:
            works = tuple(
                ClientWork(renewed[w.actor.id], w.experiences) if w.actor.id in renewed else w
                for w in client.works
            )
            made.append(replace(client, works=works))
        else:
            made.append(client)
    for key in touched:
        actors = (after.actors[position] for position in sorted(naming[key]))
        found = [m for actor in actors for m in _mentions(actor, after) if m.key == key]
        if found:
            made.append(_client(key, found, after))
    return _in_order(made)


class Mention(NamedTuple):
    """A client as an actor names it."""

    actor: Actor
    name: str  # as written
    experience: int | None  # the position of the experience; None: in `clients`
    key: str


def _mentions(actor: Actor, catalogue: Catalogue) -> list[Mention]:
    """The clients an actor names, in its own order: `clients`, then its experiences."""
    canonical = catalogue.client_aliases.canonical_by_key
    named: list[tuple[str, int | None]] = [(name, None) for name in actor.clients]
    named += [(e.client, position) for position, e in enumerate(actor.experiences)]
    found = []
    for name, position in named:
        key = client_key(canonical.get(client_key(name), name))
        if key:
            found.append(Mention(actor, name, position, key))
    return found


def _client(key: str, mentions: list[Mention], catalogue: Catalogue) -> Client:
    """The client of `key`, from every mention of it, in catalogue order."""
    counts = Counter(mention.name for mention in mentions)
    works: dict[int, tuple[Actor, list[int]]] = {}
    for mention in mentions:
        positions = works.setdefault(mention.actor.id, (mention.actor, []))[1]
        if mention.experience is not None:
            positions.append(mention.experience)
    # Without an alias entry, show the spelling most actors use (ties: French order).
    alias_name = catalogue.client_aliases.canonical_by_key.get(key)
    name = alias_name or min(counts, key=lambda n: (-counts[n], sort_key(n)))
    entries = tuple(ClientWork(actor, tuple(found)) for actor, found in works.values())
    return Client(key, name, entries, catalogue.client_aliases.type_by_key.get(key))


def _in_order(found: Iterable[Client]) -> tuple[Client, ...]:
    """By number of actors, then name (then key, so that the order never depends on the
    order they were made in)."""
    return tuple(sorted(found, key=lambda c: (-len(c.works), sort_key(c.name), c.key)))


def client_keys(actor: Actor, catalogue: Catalogue) -> tuple[str, ...]:
    """The keys of the clients an actor names, in its own order, without repeats."""
    canonical = catalogue.client_aliases.canonical_by_key
    keys = (
        client_key(canonical.get(client_key(n), n))
        for n in (*actor.clients, *(e.client for e in actor.experiences))
    )
    return tuple(dict.fromkeys(k for k in keys if k))


def by_type(clients: Iterable[Client], types: tuple[Term, ...]) -> dict[Term, list[Client]]:
    """The clients of each type that has any, in the order of `types` (then as given)."""
    found: dict[Term, list[Client]] = {t: [] for t in types}
    for client in clients:
        if client.type is not None and client.type in found:
            found[client.type].append(client)
    return {t: listed for t, listed in found.items() if listed}


def actors_of(clients: Iterable[Client], positions: dict[int, int]) -> list[Actor]:
    """Every actor that worked with one of these clients, once, in catalogue order."""
    actors = {w.actor.id: w.actor for client in clients for w in client.works}
    return sorted(actors.values(), key=lambda actor: positions[actor.id])
