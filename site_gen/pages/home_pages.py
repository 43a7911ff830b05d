"""The home page, which asks "où ?" and "sur quoi ?" (a chooser of a territory and a
context, and the map of regions) above the list of every actor; and the chooser's page
without JavaScript, every territory with its pairs of terms."""

from __future__ import annotations

import json
from dataclasses import dataclass

from site_gen.content.model import Term
from site_gen.pages import routes
from site_gen.pages.planner_base import PlannerBase
from site_gen.pages.regions_map import RegionMap, region_map
from site_gen.pages.views import Link, Page


@dataclass(frozen=True)
class Choice:
    """An option of the chooser: a term's slug, label, number of actors and page."""

    value: str
    label: str
    count: int
    url: str


@dataclass(frozen=True)
class Chooser:
    territories: tuple[Choice, ...]
    contexts: tuple[Choice, ...]
    action: str  # the page the form leads to without JavaScript
    pairs: str  # JSON: "territory/context" slugs → the pair page, for chooser.js
    all_url: str  # the full list


@dataclass(frozen=True)
class TerritoryPairs:
    """A territory on the chooser's page, with the contexts it has actors in."""

    territory: Link
    slug: str
    pairs: tuple[Link, ...]


class HomePages(PlannerBase):
    """The planner's part that makes the home page and the chooser's page."""

    def count(self, term: Term) -> int:
        return len(self.actors_by_term.get(term, ()))

    def term_url(self, term: Term) -> str:
        return self.url(routes.term(term))

    def chooser(self) -> Chooser:
        def choices(vocabulary: str) -> tuple[Choice, ...]:
            return tuple(
                Choice(t.slug, t.label, self.count(t), self.term_url(t))
                for t in self.catalogue.vocabularies.terms(vocabulary)
            )

        pairs = {
            f"{territory.slug}/{context.slug}": self.url(routes.term_pair(territory, context))
            for territory, context in sorted(self.pairs, key=lambda p: routes.term_pair(*p))
        }
        return Chooser(
            choices("territories"),
            choices("contexts"),
            self.url(routes.CHOOSE),
            json.dumps(pairs, ensure_ascii=False, separators=(",", ":")),
            self.url(routes.HOME) + "#acteurs",
        )

    def home_map(self) -> RegionMap:
        territories = self.catalogue.vocabularies.territories
        return region_map(territories, self.count, self.term_url)

    def home(self) -> list[Page]:
        cards = [self.card(a) for a in self.catalogue.actors]
        return self.paginate(
            routes.HOME,
            cards,
            "home.html",
            self.settings.title,
            self.settings.description,
            letters=self.letter_bar(),
            chooser=self.chooser(),
            region_map=self.home_map(),
        )

    def choose(self) -> Page:
        contexts = self.catalogue.vocabularies.contexts
        position = {t: i for i, t in enumerate(contexts)}
        by_territory: dict[Term, list[tuple[Term, int]]] = {}
        for (territory, context), actors in self.pairs.items():
            by_territory.setdefault(territory, []).append((context, len(actors)))
        territories = tuple(
            TerritoryPairs(
                Link(t.label, self.term_url(t), self.count(t)),
                t.slug,
                tuple(
                    Link(c.label, self.url(routes.term_pair(t, c)), n)
                    for c, n in sorted(by_territory.get(t, ()), key=lambda p: position[p[0]])
                ),
            )
            for t in self.catalogue.vocabularies.territories
        )
        return Page(
            routes.CHOOSE,
            "choose.html",
            self.t["choose_title"],
            self.t["choose_intro"],
            {
                "territories": territories,
                "contexts": tuple(Link(c.label, self.term_url(c), self.count(c)) for c in contexts),
            },
        )
