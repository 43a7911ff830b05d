"""What every part of the page planner shares: the build's inputs, the catalogue's index,
and the links and cards that pages of every kind make from them."""

from __future__ import annotations

from collections.abc import Sequence

from site_gen.catalogue.clients import Client
from site_gen.content.config import Settings
from site_gen.content.model import Actor, Catalogue, Term
from site_gen.pages import routes
from site_gen.pages.derived import Derived
from site_gen.pages.indexes import CatalogueIndex
from site_gen.pages.keys import planner_ref
from site_gen.pages.strings import strings_for
from site_gen.pages.views import Card, Link


class PlannerBase:
    """The planner's state and its links and cards; the parts that make pages build on it
    (actor_pages, list_pages, site_pages) and pages.PagePlanner joins them."""

    def __init__(
        self,
        settings: Settings,
        catalogue: Catalogue,
        schema_json: bytes,
        derived: Derived,
        index: CatalogueIndex,
    ):
        self.settings = settings
        self.catalogue = catalogue
        self.schema_json = schema_json
        self.derived = derived
        self.t = strings_for(settings.language)
        self.index = index
        self.actors_by_term = self.index.by_term
        self.pairs = self.index.pairs
        self.letters = self.index.letters
        self.cards = self.index.cards
        self.term_links_made: dict[Term, Link] = {}

    @property
    def clients(self) -> tuple[Client, ...]:
        return self.index.clients

    def __reduce__(self) -> tuple:
        """In a page's key and recipe (incremental.py), the planner whose method makes the
        page's context lazily stands as a reference: its inputs are the method's arguments
        and the build's salt. quick_pages.py supplies a planner of its own in its place."""
        return planner_ref, ()

    # -- links and cards ---------------------------------------------------------------

    def url(self, route: str) -> str:
        return routes.url(self.settings.base_path, route)

    def absolute(self, route: str) -> str:
        return self.settings.base_url + route

    def term_links(self, terms: Sequence[Term]) -> tuple[Link, ...]:
        return tuple(self.term_link(t) for t in terms)

    def term_link(self, term: Term) -> Link:
        # Memoized per planner: functools.cache on a method would keep every planner (and
        # its catalogue) alive for good, a build's worth of memory per build in `serve`.
        if term not in self.term_links_made:
            self.term_links_made[term] = Link(term.label, self.url(routes.term(term)))
        return self.term_links_made[term]

    def card(self, actor: Actor) -> Card:
        if actor.id not in self.cards:
            self.cards[actor.id] = self.make_card(actor)
        return self.cards[actor.id]

    def make_card(self, actor: Actor) -> Card:
        return Card(
            actor.name,
            self.url(routes.actor(actor.slug)),
            actor.summary,
            self.term_links(actor.territories),
            self.term_links(actor.contexts),
            actor.digest,
        )

    def logo_route(self, actor: Actor) -> str:
        logo = actor.logo
        return routes.logo(actor.slug, logo.digest, logo.extension) if logo else ""
