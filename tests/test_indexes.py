"""The planner's index made from the last one (a quick rebuild in the preview) is the index
made afresh, and leaves the last one as it was."""

from __future__ import annotations

import random
from dataclasses import replace

from site_gen.content.config import Settings
from site_gen.content.model import Actor, Experience
from site_gen.pages.indexes import CatalogueIndex, index_catalogue

from .test_relations import BRE, EAU, NAT, OCC, SANTE, actor, catalogue

# some spellings of the same client, and one merged with another by an alias
CLIENTS = [f"Ville {n}" for n in range(12)] + ["ville 3", "VILLE 4", "Métropole 3"]
ALIASES = {"metropole-3": "Ville 3"}


def random_actor(rng: random.Random, i: int, name: str) -> Actor:
    return actor(
        i,
        name,
        territories=tuple(rng.sample((OCC, BRE, NAT), rng.randint(0, 2))),
        contexts=tuple(rng.sample((SANTE, EAU), rng.randint(0, 2))),
        clients=tuple(rng.sample(CLIENTS, rng.randint(0, 2))),
        experiences=tuple(
            Experience(client, f"Mission {n}", "")
            for n, client in enumerate(rng.sample(CLIENTS, rng.randint(0, 2)))
        ),
    )


def edited(rng: random.Random, old: Actor, step: int) -> Actor:
    """Another version of `old`, as an editor's save gives: a move between terms and
    clients, a text, or a name with another initial."""
    kind = rng.choice(("move", "text", "name"))
    if kind == "move":
        return random_actor(rng, old.id, old.name)
    if kind == "text":
        return replace(old, summary=f"Texte {step}")
    return replace(old, name=rng.choice(("Zèbre ", "Éloi ", "9 ")) + old.name)


def identities(index: CatalogueIndex) -> dict:
    """What the index lists, as the identities of the actor objects (an index must hold
    the catalogue's own objects, never an earlier version of an actor)."""

    def lists(found: dict) -> dict:
        return {key: [id(a) for a in actors] for key, actors in found.items() if actors}

    ranking = index.ranking
    clients = [
        (c.key, c.name, [(id(w.actor), w.experiences) for w in c.works]) for c in index.clients
    ]
    return {  # copies: what the index holds may not change later
        "clients": clients,
        "positions": dict(index.positions),
        "by_term": lists(index.by_term),
        "pairs": lists(index.pairs),
        "letters": lists(index.letters),
        "features": list(ranking.features),
        "holders": {name: list(positions) for name, positions in ranking.holders.items()},
        "ranked": list(ranking.ranked),
    }


def test_an_index_made_from_the_last_one_is_the_index_made_afresh():
    rng = random.Random(11)
    settings = Settings()
    actors = [random_actor(rng, i, f"Acteur {i:03}") for i in range(1, 161)]  # past the cap
    last = index_catalogue(settings, catalogue(*actors, aliases=ALIASES), workers=1)
    for step in range(24):
        # the cards the last planner made, by actor id (here the actor itself stands for it)
        last.cards.update((a.id, a) for a in last.catalogue.actors[step % 3 :: 3])
        was = identities(last)
        for position in rng.sample(range(len(actors)), 1 + step % 3):
            actors[position] = edited(rng, actors[position], step)
        now = catalogue(*actors, aliases=ALIASES)
        if step % 4 == 0:  # the index's clients: made from the last ones if it has them
            vars(last).pop("clients", None)
        made = index_catalogue(settings, now, workers=1, last=last)
        assert made.catalogue is now and made.ranking.catalogue is now
        if step % 4 != 0:
            assert "clients" in vars(made), "the clients were made again from scratch"
        assert identities(made) == identities(index_catalogue(settings, now, workers=1)), step
        assert identities(last) == was, f"step {step}: the last index was changed"
        kept = [i for i, card in made.cards.items() if card is not now.actors[made.positions[i]]]
        assert not kept, f"step {step}: cards of the actors' earlier versions kept: {kept}"
        assert made.cards, "no card kept at all"
        last = made


def test_an_index_of_other_actors_is_made_afresh():
    settings = Settings()
    first = [actor(i, f"Acteur {i}", territories=(OCC,)) for i in range(1, 5)]
    last = index_catalogue(settings, catalogue(*first), workers=1)
    last.cards.update((a.id, a) for a in first)
    for actors in (first[:3], [*first[1:], first[0]], [*first, actor(9, "Neuf")]):
        made = index_catalogue(settings, catalogue(*actors), workers=1, last=last)
        assert identities(made) == identities(index_catalogue(settings, catalogue(*actors)))
        assert not made.cards
