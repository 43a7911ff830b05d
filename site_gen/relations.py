"""What the catalogue says across actors: clients and who worked with them, term pairs,
related actors. Pure functions of the model, in a deterministic order."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass

from .model import Actor, Catalogue, Experience, Term
from .text import client_key, sort_key

RELATED_LIMIT = 5
RELATED_CANDIDATES = 60  # actors compared per profile: keeps the ranking O(n) overall


@dataclass(frozen=True)
class ClientWork:
    """One actor's work for a client: named in `clients`, and/or its experiences there."""

    actor: Actor
    experiences: tuple[Experience, ...]


@dataclass(frozen=True)
class Client:
    key: str  # also its slug
    name: str
    works: tuple[ClientWork, ...]  # in catalogue order


def clients(catalogue: Catalogue) -> tuple[Client, ...]:
    """Every client named by an actor, variants merged; by number of actors, then name."""
    canonical = catalogue.client_aliases.canonical_by_key
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    works: dict[str, dict[int, list[Experience]]] = defaultdict(dict)
    for actor in catalogue.actors:
        named = [(name, None) for name in actor.clients]
        named += [(e.client, e) for e in actor.experiences]
        for name, experience in named:
            key = client_key(canonical.get(client_key(name), name))
            if not key:
                continue
            spellings[key][name] += 1
            found = works[key].setdefault(actor.id, [])
            if experience is not None:
                found.append(experience)
    by_id = {actor.id: actor for actor in catalogue.actors}
    result = []
    for key, counts in spellings.items():
        alias_name = canonical.get(key)
        # Without an alias entry, show the spelling most actors use (ties: French order).
        name = alias_name or min(counts, key=lambda n: (-counts[n], sort_key(n)))
        entries = tuple(ClientWork(by_id[i], tuple(e)) for i, e in works[key].items())
        result.append(Client(key, name, entries))
    result.sort(key=lambda c: (-len(c.works), sort_key(c.name)))
    return tuple(result)


def client_keys(actor: Actor, catalogue: Catalogue) -> tuple[str, ...]:
    """The keys of the clients an actor names, in its own order, without repeats."""
    canonical = catalogue.client_aliases.canonical_by_key
    keys = (
        client_key(canonical.get(client_key(n), n))
        for n in (*actor.clients, *(e.client for e in actor.experiences))
    )
    return tuple(dict.fromkeys(k for k in keys if k))


def term_pairs(catalogue: Catalogue) -> dict[tuple[Term, Term], tuple[Actor, ...]]:
    """Actors by (territory, context) for every pair that has at least one."""
    pairs: dict[tuple[Term, Term], list[Actor]] = defaultdict(list)
    for actor in catalogue.actors:
        for territory in actor.territories:
            for context in actor.contexts:
                pairs[(territory, context)].append(actor)
    return {pair: tuple(actors) for pair, actors in pairs.items()}


def related_actors(catalogue: Catalogue) -> dict[int, tuple[Actor, ...]]:
    """Up to five actors per actor, ranked by what they share.

    A shared client counts most, then a shared context, then a shared territory; rarer
    features weigh more (a shared "National" says little). Candidates are gathered from the
    rarest features first and capped, so the cost stays linear in the catalogue size.
    """
    features: dict[int, list[tuple[str, float]]] = {}
    holders: dict[str, list[Actor]] = defaultdict(list)
    for actor in catalogue.actors:
        own = [(f"client:{k}", 3.0) for k in client_keys(actor, catalogue)]
        own += [(f"context:{t.slug}", 2.0) for t in actor.contexts]
        own += [(f"territory:{t.slug}", 1.0) for t in actor.territories]
        features[actor.id] = own
        for name, _ in own:
            holders[name].append(actor)
    total = len(catalogue.actors) or 1
    weight = {
        name: base * (1 + math.log(total / len(holders[name])))
        for own in features.values()
        for name, base in own
    }
    position = {actor.id: i for i, actor in enumerate(catalogue.actors)}
    names = {i: frozenset(name for name, _ in own) for i, own in features.items()}

    related = {}
    for actor in catalogue.actors:
        own = features[actor.id]
        candidates: dict[int, Actor] = {}
        for name, _ in sorted(own, key=lambda f: (len(holders[f[0]]), f[0])):
            for other in holders[name]:
                if other.id != actor.id:
                    candidates.setdefault(other.id, other)
                if len(candidates) >= RELATED_CANDIDATES:
                    break
            if len(candidates) >= RELATED_CANDIDATES:
                break
        own_names = names[actor.id]
        scored = []
        for other in candidates.values():
            # set intersection runs in C: the shared features, then their weights
            score = sum(weight[n] for n in sorted(own_names & names[other.id]))
            scored.append((-score, position[other.id], other))
        scored.sort(key=lambda s: (s[0], s[1]))
        related[actor.id] = tuple(s[2] for s in scored[:RELATED_LIMIT])
    return related
