"""Related actors, client merging and image recognition, on small hand-made data."""

from __future__ import annotations

import random
import statistics
import struct

import pytest

from site_gen.catalogue import relations
from site_gen.catalogue.clients import clients
from site_gen.catalogue.relations import rank, term_pairs
from site_gen.content.images import NotAnImage, inspect_image
from site_gen.content.model import Actor, Catalogue, ClientAliases, Experience, Term, Vocabularies

OCC = Term("territories", "Occitanie", "occitanie")
BRE = Term("territories", "Bretagne", "bretagne")
NAT = Term("territories", "National", "national")
SANTE = Term("contexts", "Santé", "sante")
EAU = Term("contexts", "Eau", "eau")


def actor(i: int, name: str, **fields) -> Actor:
    return Actor(id=i, name=name, slug=f"a{i}", source=f"a{i}.yaml", **fields)


def catalogue(*actors: Actor, aliases: dict[str, str] | None = None) -> Catalogue:
    return Catalogue(
        tuple(actors), Vocabularies((OCC, BRE, NAT), (SANTE, EAU)), ClientAliases(aliases or {})
    )


def related_actors(catalogue: Catalogue, **options) -> dict[int, tuple[Actor, ...]]:
    """Each actor's related actors, by id."""
    ranking = rank(catalogue, **options)
    return {actor.id: ranking.related(p) for p, actor in enumerate(catalogue.actors)}


def test_a_shared_client_outranks_a_shared_territory():
    me = actor(1, "Moi", clients=("Ville de Rennes",), territories=(NAT, BRE))
    same_client = actor(2, "Client commun", clients=("ville de rennes",))
    same_territory = actor(3, "Même territoire", territories=(BRE,))
    nothing = actor(4, "Rien en commun", territories=(OCC,))
    related = related_actors(catalogue(me, same_client, same_territory, nothing))
    assert [a.name for a in related[1]] == ["Client commun", "Même territoire"]


def test_related_lists_are_capped_and_deterministic():
    actors = [actor(i, f"Acteur {i}", territories=(OCC,), contexts=(SANTE,)) for i in range(1, 12)]
    first = related_actors(catalogue(*actors))
    second = related_actors(catalogue(*actors))
    assert first == second
    assert all(len(r) == 5 and all(a.id != i for a in r) for i, r in first.items())


@pytest.mark.parametrize("size", [160, 1500])
def test_the_ranking_kept_from_the_last_build_is_the_ranking_made_afresh(
    tmp_path, monkeypatch, size
):
    """160 actors: some features past the cap of candidates; 1,500: most edited actors
    far from the head of their features' holders, where others do not meet them."""
    rng = random.Random(5)
    names = [f"Ville {n}" for n in range(12 * size // 160)]

    def random_actor(i: int) -> Actor:
        return actor(
            i,
            f"Acteur {i:03}",
            territories=tuple(rng.sample((OCC, BRE, NAT), rng.randint(0, 2))),
            contexts=tuple(rng.sample((SANTE, EAU), rng.randint(0, 2))),
            clients=tuple(rng.sample(names, rng.randint(0, 2))),
        )

    ranked = []  # how many actors each ranking ranked
    counted = relations.map_chunks
    monkeypatch.setattr(
        relations,
        "map_chunks",
        lambda work, items, workers: ranked.append(len(items)) or counted(work, items, workers),
    )
    actors = [random_actor(i) for i in range(1, size + 1)]
    for step in range(16):
        if step % 5 == 4:  # an actor added: every weight moves
            actors.insert(rng.randrange(len(actors)), random_actor(1000 + step))
        else:  # the features of one or two actors edited
            for position in rng.sample(range(len(actors)), 1 + step % 2):
                actors[position] = random_actor(actors[position].id)
        kept = related_actors(catalogue(*actors), workers=1, cache_dir=tmp_path)
        assert kept == related_actors(catalogue(*actors), workers=1), f"step {step}"
    partial = [n for n in ranked[2::2] if n < len(actors)]  # the cached builds after the first
    assert len(partial) >= 10, ranked
    if size > 1000:  # a territory's holders are not all ranked again when one moves
        assert statistics.median(partial) < size / 4, ranked


def test_clients_merge_variants_and_keep_experiences():
    a = actor(1, "A", clients=("Grand Lyon",))
    b = actor(2, "B", experiences=(Experience("Métropole de Lyon", "Concertation", "Texte"),))
    c = actor(3, "C", clients=("Ville de Lyon",))
    found = clients(
        catalogue(
            a,
            b,
            c,
            aliases={"grand-lyon": "Métropole de Lyon", "metropole-de-lyon": "Métropole de Lyon"},
        )
    )
    lyon = found[0]
    assert (lyon.name, [w.actor.name for w in lyon.works]) == ("Métropole de Lyon", ["A", "B"])
    work = lyon.works[1]
    assert work.actor.experiences[work.experiences[0]].title == "Concertation"
    assert [c.name for c in found] == ["Métropole de Lyon", "Ville de Lyon"]


def test_without_alias_the_most_used_spelling_names_the_client():
    names = ("Nantes métropole", "Nantes Métropole", "Nantes Métropole")
    found = clients(catalogue(*(actor(i, str(i), clients=(n,)) for i, n in enumerate(names, 1))))
    assert [(c.name, len(c.works)) for c in found] == [("Nantes Métropole", 3)]


def test_term_pairs_hold_actors_of_both_terms():
    a = actor(1, "A", territories=(OCC, BRE), contexts=(SANTE,))
    b = actor(2, "B", territories=(OCC,), contexts=(SANTE, EAU))
    pairs = term_pairs(catalogue(a, b))
    assert [x.name for x in pairs[(OCC, SANTE)]] == ["A", "B"]
    assert [x.name for x in pairs[(BRE, SANTE)]] == ["A"]
    assert (BRE, EAU) not in pairs


def jpeg(width: int, height: int) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\0" + b"\0" * 9
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof + b"\xff\xd9"


def webp_lossless(width: int, height: int) -> bytes:
    bits = (width - 1) | ((height - 1) << 14)
    body = b"VP8L" + struct.pack("<I", 5) + b"\x2f" + bits.to_bytes(4, "little")
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WEBP" + body


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (jpeg(640, 480), ("image/jpeg", 640, 480)),
        (webp_lossless(300, 150), ("image/webp", 300, 150)),
    ],
)
def test_images_are_recognised_from_their_bytes(data, expected):
    info = inspect_image(data)
    assert (info.media_type, info.width, info.height) == expected


@pytest.mark.parametrize(
    "data", [b"", b"\xff\xd8\xff", b"GIF89a....", b"<?xml version='1.0'?><svg/>"]
)
def test_non_images_are_refused(data):
    with pytest.raises(NotAnImage):
        inspect_image(data)
