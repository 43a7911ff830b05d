"""What an edit rebuild trusts of the planner: an actor's fields outside indexes.listing are
shown only through the actor itself or its card, which its pages' recipes hold by reference.
So an edit of those fields changes no page's plan but through those references, and the edit
rebuild remakes the pages that show the actor from their recipes without planning again.
A page kind that printed, say, an actor's city outside its card would fail here: its city
must then go into `listing`, and the groups that read it are planned again on an edit."""

from __future__ import annotations

import dataclasses
import io
import pickle
from datetime import timedelta
from functools import partial

import pytest

from site_gen.content.load import load_catalogue, load_texts
from site_gen.content.model import Actor
from site_gen.pages import derived
from site_gen.pages.indexes import listing
from site_gen.pages.planner import plan_pages
from site_gen.pages.views import Card

from .conftest import SAMPLE_CONTENT

# The date has its own update in an edit rebuild: the feed's order and the sitemap's dates
# (build/edit_pages.py, _newest and redated_sitemap). Lines and the digest are not content.
OWN_UPDATE = {"updated", "lines", "digest", "has_texts", "source"}


def changed(value, depth=0):
    """Another value of the same shape: every text, number and flag in it changed."""
    if isinstance(value, str):
        return value + " autre"
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if value is None:
        return True if depth == 0 else None
    if isinstance(value, tuple):
        return tuple(changed(item, depth + 1) for item in value) + (
            (changed(value[0], depth + 1),) if value else ()
        )
    if dataclasses.is_dataclass(value):
        fields = {
            f.name: changed(getattr(value, f.name), depth + 1) for f in dataclasses.fields(value)
        }
        return dataclasses.replace(value, **fields)
    if hasattr(value, "isoformat"):
        return value + timedelta(days=1)
    raise TypeError(type(value))


def other_fields(actor: Actor, name: str) -> Actor:
    """The actor with its field `name` changed, what indexes.listing holds kept (the clients
    of its experiences, say, when their titles change)."""
    value = getattr(actor, name)
    if name == "experiences":
        new = tuple(dataclasses.replace(changed(e), client=e.client) for e in value)
        new = new[: len(value)]
    else:
        new = changed(value)
    edited = dataclasses.replace(actor, **{name: new})
    return edited if listing(edited) == listing(actor) else actor


def plan_shape(settings, catalogue, data, cache) -> dict[str, bytes]:
    """Each page planned, by route, pickled with each actor and card as the actor's id."""
    pages, _planner, _groups = plan_pages(settings, catalogue, b"{}", data, 1, cache)
    by_url = {}
    shapes = {}

    def actor(value: Actor):
        return int, (value.id,)

    def card(value: Card):
        return str, (by_url.setdefault(value.url, value.url),)

    for page in pages:
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=5)
        pickler.dispatch_table = {Actor: actor, Card: card}
        inputs = (page.template, page.title, page.description, page.context, page.deps)
        pickler.dump((inputs, page.lazy, page.data, page.in_sitemap, page.chunks is None))
        shapes[page.route] = buffer.getvalue()
    return shapes


# In the listing whole (of the experiences, only their clients are).
LISTED = {"id", "name", "slug", "aliases", "commons", "logo", "territories", "contexts", "clients"}
FIELDS = [f.name for f in dataclasses.fields(Actor) if f.name not in OWN_UPDATE | LISTED]


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    cache = tmp_path_factory.mktemp("cache")
    settings, catalogue = load_catalogue(SAMPLE_CONTENT, cache_dir=cache)
    texts = partial(load_texts, SAMPLE_CONTENT, catalogue.vocabularies, 1)
    data = derived.derive(settings, catalogue, cache, 1, texts)
    catalogue = dataclasses.replace(
        catalogue, actors=tuple(a.without_texts() for a in catalogue.actors)
    )
    return settings, catalogue, data, cache


@pytest.mark.parametrize("name", FIELDS)
def test_fields_outside_the_listing_reach_pages_only_through_the_actor(sample, name):
    settings, catalogue, data, cache = sample
    edited = tuple(other_fields(actor, name) for actor in catalogue.actors)
    # the test changes what it claims to: the field, in most actors
    assert sum(a != b for a, b in zip(edited, catalogue.actors, strict=True)) >= 6
    before = plan_shape(settings, catalogue, data, cache)
    after = plan_shape(settings, dataclasses.replace(catalogue, actors=edited), data, cache)
    assert before.keys() == after.keys()
    differ = [route for route in before if before[route] != after[route]]
    assert differ == [], f"{name} changes the plan of {differ[:5]} outside the actor"


def test_the_check_sees_a_field_printed_outside_the_card(sample, monkeypatch):
    """A planner that printed the city on the home page, outside the cards, fails it."""
    from site_gen.pages import planner

    home = planner.PagePlanner.home

    def home_with_cities(self):
        made = home(self)
        cities = tuple(a.city for a in self.all_actors())
        return [dataclasses.replace(page, title=page.title + repr(cities)) for page in made]

    monkeypatch.setattr(planner.PagePlanner, "home", home_with_cities)
    settings, catalogue, data, cache = sample
    edited = tuple(other_fields(actor, "city") for actor in catalogue.actors)
    before = plan_shape(settings, catalogue, data, cache)
    after = plan_shape(settings, dataclasses.replace(catalogue, actors=edited), data, cache)
    assert before[""] != after[""]


def listing_edits(actor: Actor, vocabularies) -> dict[str, Actor]:
    """The actor with each part of its listing changed, one at a time."""
    territory = next(t for t in vocabularies.territories if t not in actor.territories)
    context = next(t for t in vocabularies.contexts if t not in actor.contexts)
    return {
        "moved": dataclasses.replace(actor, territories=(territory,)),
        "new context": dataclasses.replace(actor, contexts=(*actor.contexts, context)),
        "renamed": dataclasses.replace(actor, name="Zèbre " + actor.name),
        "new client": dataclasses.replace(actor, clients=(*actor.clients, "Ville de Nantes")),
        "no client": dataclasses.replace(actor, clients=(), experiences=()),
        "slug": dataclasses.replace(actor, slug=actor.slug + "-bis"),
        "commons": dataclasses.replace(actor, commons=not actor.commons),
    }


def test_an_edit_changes_no_fact_outside_what_it_touches(sample):
    """An edit rebuild asks again only for the facts `may_change` names (planner.Touched):
    every fact whose value an edit of a listing changes must be among them."""
    from site_gen.pages.indexes import index_catalogue
    from site_gen.pages.planner import PagePlanner, fact_digests, may_change, touched

    settings, catalogue, data, cache = sample
    _pages, planner, groups = plan_pages(settings, catalogue, b"{}", data, 1, cache)
    facts = {read for group in groups.values() for read in group.reads}
    before = fact_digests(planner, facts)
    seen_changed, asked = 0, 0
    for position in (0, 3, len(catalogue.actors) - 1):
        old = catalogue.actors[position]
        for kind, new in listing_edits(old, catalogue.vocabularies).items():
            actors = list(catalogue.actors)
            actors[position] = new
            edited = dataclasses.replace(catalogue, actors=tuple(actors))
            for last in (planner.index, None):  # the preview's index, or the CLI's
                if last is None:  # the ranking the CLI starts from is the last build's
                    index_catalogue(settings, catalogue, 1, cache)
                index = index_catalogue(settings, edited, 1, cache, last)
                after = fact_digests(PagePlanner(settings, b"{}", data, index), facts)
                changes = touched(index, (old, new))
                differ = {read for read in facts if after[read] != before[read]}
                missed = [read for read in differ if not may_change(read, changes)]
                assert missed == [], f"{kind} of {old.name}: {missed[:3]}"
                seen_changed += len(differ)
                asked += sum(may_change(read, changes) for read in facts)
    runs = 3 * len(listing_edits(catalogue.actors[0], catalogue.vocabularies)) * 2
    assert seen_changed > runs  # the edits do change facts
    assert asked < runs * len(facts) / 2  # and far from every fact is asked again
