"""What an actor's move changes: when it joins or leaves territories, contexts or clients
(its placement), the lists, counts and related actors that change with it, planned again
for a quick rebuild (quick.py) by the full build's planner."""

from __future__ import annotations

import sys
from collections.abc import Container
from itertools import product
from typing import NamedTuple

from site_gen.catalogue.relations import Ranking
from site_gen.content.model import Actor, Term
from site_gen.pages import routes
from site_gen.pages.keys import NotQuick
from site_gen.pages.planner import PagePlanner
from site_gen.pages.views import Page
from site_gen.text import client_key


class Placement(NamedTuple):
    """Which lists of terms and clients hold an actor (see `moved_pages`)."""

    territories: tuple[Term, ...]
    contexts: tuple[Term, ...]
    clients: tuple[str, ...]  # as written
    experiences: tuple[str, ...]  # the client of each, in order: client pages show them


def placement(actor: Actor) -> Placement:
    # Names interned: thousands of actors name each client, and the record of the site
    # (site_state.SiteState) is pickled on every build, each shared name once.
    return Placement(
        actor.territories,
        actor.contexts,
        tuple(map(sys.intern, actor.clients)),
        tuple(sys.intern(e.client) for e in actor.experiences),
    )


def moved_pages(
    planner: PagePlanner,
    had_routes: Container[str],
    moved: list[tuple[Placement, Actor]],
    shown: Ranking | None = None,
) -> tuple[list[Page], frozenset[str]]:
    """The pages that actors moved between terms or clients change besides those that
    show them (`moved`: each with the placement it had), planned anew:

    - the lists of the terms and pairs they joined or left, and of the terms of those
      pairs (their links to pairs give counts); both overviews of terms, the search
      page, the home page (its chooser and map) and the chooser's page (counts);
    - the pages of every client they name or named (a client page shows the actor's
      experiences with it, by their position), of those clients' types (who worked with
      one), and the index of clients (counts, order);
    - the profiles of the actors holding a term or client joined or left (their related
      actors: these are the features that rank them, see relations._affected); with
      `shown`, the ranking the site's profiles show, only those whose related actors
      differ from it (most of thousands of holders keep theirs).

    Returns them, and the routes of the pages of those lists that are gone (the site had
    `had_routes`). Raises NotQuick when a new page would take another page's address."""
    changed: set[Term] = set()
    pairs: set[tuple[Term, Term]] = set()
    named: set[str] = set()  # client keys
    features: set[str] = set()  # client keys joined or left
    for had, actor in moved:
        now = placement(actor)
        changed |= set(had.territories + had.contexts) ^ set(now.territories + now.contexts)
        pairs |= set(product(had.territories, had.contexts)) ^ set(
            product(now.territories, now.contexts)
        )
        if (had.clients, had.experiences) != (now.clients, now.experiences):
            before, after = client_keys_of(planner, had), client_keys_of(planner, now)
            named |= before | after
            features |= before ^ after
    terms = changed | {term for pair in pairs for term in pair}
    pages = []
    if terms:
        pages += [planner.vocabulary(name) for name in ("territories", "contexts")]
        pages += [planner.search(), planner.choose()]
    # In the order of their addresses: sets of Terms and keys iterate in another order in
    # each process, and the record of the site would too.
    lists = [(routes.HOME, planner.home())] if terms else []
    lists += [(routes.term(t), planner.term(t)) for t in sorted(terms, key=routes.term)]
    for pair in sorted(pairs, key=lambda pair: routes.term_pair(*pair)):
        listed = planner.pairs.get(pair, ())
        lists.append((routes.term_pair(*pair), planner.term_pair(*pair, listed) if listed else []))
    clients = {client.key: client for client in planner.clients} if named else {}
    if named:
        lists.append((routes.CLIENTS, planner.client_index()))
    for key in sorted(named):
        lists.append((routes.client(key), planner.client(clients[key]) if key in clients else []))
    types = planner.catalogue.client_aliases.type_by_key
    if kinds := {types[key] for key in named if key in types}:
        grouped = planner.client_types()
        for kind in sorted(kinds, key=lambda term: term.slug):
            listed = grouped.get(kind)
            lists.append(
                (routes.client_type(kind.slug), planner.client_type(kind, listed) if listed else [])
            )
    gone: set[str] = set()
    for route, group in lists:
        had = []
        while (numbered := routes.numbered(route, len(had) + 1)) in had_routes:
            had.append(numbered)
        now = [page.route for page in group]
        if any(r in had_routes for r in now[len(had) :]):
            raise NotQuick(f"a new page of {route} has the address of another page")
        gone.update(had[len(now) :])
        pages += group
    actors = planner.catalogue.actors
    if shown is not None:
        ranked = zip(planner.index.ranking.ranked, shown.ranked, strict=True)
        pages += [planner.profile(actors[p]) for p, (now, was) in enumerate(ranked) if now != was]
        return pages, frozenset(gone)
    holders = {actor.id for _, actor in moved}
    holders.update(actor.id for term in changed for actor in planner.actors_by_term[term])
    holders.update(w.actor.id for key in features if key in clients for w in clients[key].works)
    pages += [planner.profile(actor) for actor in actors if actor.id in holders]
    return pages, frozenset(gone)


def client_keys_of(planner: PagePlanner, placed: Placement) -> set[str]:
    """The keys of the clients named in a placement (as clients.client_keys)."""
    keys = (client_key(planner.canonical(name)) for name in placed.clients + placed.experiences)
    return {key for key in keys if key}
