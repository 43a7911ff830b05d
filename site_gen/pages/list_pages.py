"""The pages that list actors, terms or clients: home and one page per initial, the
vocabularies, each term and pair of terms, the clients and each client; a long list is
cut into numbered pages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import partial

from site_gen.catalogue.clients import Client, actors_of, by_type
from site_gen.content.model import Actor, Term
from site_gen.pages import routes
from site_gen.pages.planner_base import PlannerBase
from site_gen.pages.regions_map import region_map
from site_gen.pages.views import (
    Card,
    ClientActor,
    ClientLink,
    LetterLink,
    Link,
    Page,
    PageLink,
    Pagination,
    Section,
)

LETTERS = tuple("ABCDEFGHIJKLMNOPQRSTUVWXYZ") + ("#",)


class ListPages(PlannerBase):
    """The planner's part that makes the list pages."""

    def paginate(
        self,
        route: str,
        items: Sequence,
        template: str,
        title: str,
        description: str = "",
        **context,
    ) -> list[Page]:
        """One page per `page_size` items: route, route/page/2/, …; `items` holds each slice."""
        size = self.settings.page_size
        count = max(1, -(-len(items) // size))
        pages = []
        for number in range(1, count + 1):
            pagination = self.pagination(route, number, count)
            page_title = title if number == 1 else f"{title} ({self.t['page']} {number})"
            pages.append(
                Page(
                    routes.numbered(route, number),
                    template,
                    page_title,
                    description,
                    context
                    | {
                        "items": items[(number - 1) * size : number * size],
                        "pagination": pagination,
                        "total": len(items),
                    },
                )
            )
        return pages

    def pagination(self, route: str, number: int, count: int) -> Pagination:
        def link(n: int) -> str:
            return self.url(routes.numbered(route, n))

        shown = sorted({1, count, *range(max(1, number - 2), min(count, number + 2) + 1)})
        pages: list[PageLink | None] = []
        for previous, n in zip([0, *shown], shown, strict=False):
            if n - previous > 1:
                pages.append(None)
            pages.append(PageLink(n, link(n), n == number))
        return Pagination(
            number,
            count,
            link(number - 1) if number > 1 else "",
            link(number + 1) if number < count else "",
            tuple(pages),
        )

    def letter_bar(self, current: str = "") -> tuple[LetterLink, ...]:
        return tuple(
            LetterLink(
                self.t["letter_other"] if letter == "#" else letter,
                self.url(routes.letter(letter)) if self.letters[letter] else "",
                letter == current,
            )
            for letter in LETTERS
        )

    def actor_list(
        self,
        route: str,
        template: str,
        title: str,
        description: str,
        actors: Sequence[Actor],
        letter: str = "",
    ) -> list[Page]:
        cards = [self.card(a) for a in actors]
        return self.paginate(
            route, cards, template, title, description, letters=self.letter_bar(letter)
        )

    # -- vocabularies ------------------------------------------------------------------

    def vocabulary(self, name: str) -> Page:
        terms = tuple(
            Link(t.label, self.url(routes.term(t)), len(self.actors_by_term[t]))
            for t in self.catalogue.vocabularies.terms(name)
        )
        return Page(
            routes.vocabulary(name),
            "vocabulary.html",
            self.t[f"{name}_title"],
            self.t[f"{name}_intro"],
            {"terms": terms, "vocabulary": name},
        )

    def term(self, term: Term) -> list[Page]:
        actors = self.actors_by_term[term]
        is_territory = term.vocabulary == "territories"
        refine = []
        for (territory, context), pair_actors in self.pairs.items():
            if term == (territory if is_territory else context):
                other = context if is_territory else territory
                refine.append(
                    Link(
                        other.label,
                        self.url(routes.term_pair(territory, context)),
                        len(pair_actors),
                    )
                )
        order = self.catalogue.vocabularies.terms("contexts" if is_territory else "territories")
        position = {t.label: i for i, t in enumerate(order)}
        refine.sort(key=lambda link: position[link.label])
        heading_key = "term_actors_in_territory" if is_territory else "term_actors_in_context"
        overview = Link(
            self.t[f"{term.vocabulary}_title"], self.url(routes.vocabulary(term.vocabulary))
        )
        territories = self.catalogue.vocabularies.territories
        # a locator map, without counts: a territory's page shows no other actor's move
        locator = region_map(territories, None, self.term_link_url, term) if is_territory else None
        return self.paginate(
            routes.term(term),
            [self.card(a) for a in actors],
            "term.html",
            term.label,
            f"{self.t[heading_key]} {term.label}.",
            term=term,
            overview=overview,
            heading_key=heading_key,
            refine=tuple(refine),
            refine_key="refine_by_context" if is_territory else "refine_by_territory",
            region_map=locator,
        )

    def term_link_url(self, term: Term) -> str:
        return self.url(routes.term(term))

    def term_pair(self, territory: Term, context: Term, actors: Sequence[Actor]) -> list[Page]:
        title = f"{context.label} · {territory.label}"
        crumbs = (
            (self.t["territories_title"], self.url(routes.vocabulary("territories"))),
            (territory.label, self.url(routes.term(territory))),
        )
        return self.paginate(
            routes.term_pair(territory, context),
            [self.card(a) for a in actors],
            "pair.html",
            title,
            f"{self.t['pair_description']} {context.label} — {territory.label}.",
            territory=Link(territory.label, self.url(routes.term(territory))),
            context=Link(context.label, self.url(routes.term(context))),
            crumbs=crumbs,
        )

    # -- clients -----------------------------------------------------------------------

    def client_types(self) -> dict[Term, list[Client]]:
        return by_type(self.clients, self.catalogue.vocabularies.client_types)

    def client_index(self) -> list[Page]:
        """Every client, grouped by type (in the vocabulary's order, untyped last), each
        group by number of actors; above, each type with the number of its actors."""
        grouped = self.client_types()
        typed = {client.key for listed in grouped.values() for client in listed}
        untyped = [c for c in self.clients if c.key not in typed]
        links = []
        for term, listed in (*grouped.items(), (None, untyped)):
            group = term.label if term else self.t["clients_untyped"]
            type_url = self.url(routes.client_type(term.slug)) if term else ""
            links += [
                ClientLink(c.name, self.url(routes.client(c.key)), len(c.works), group, type_url)
                for c in listed
            ]
        types = tuple(
            Link(
                term.label,
                self.url(routes.client_type(term.slug)),
                len(actors_of(listed, self.index.positions)),
            )
            for term, listed in grouped.items()
        )
        return self.paginate(
            routes.CLIENTS,
            links,
            "clients.html",
            self.t["clients_title"],
            self.t["clients_intro_page"],
            types=types,
        )

    def client_type(self, term: Term, listed: Sequence[Client]) -> list[Page]:
        """The actors that worked with a client of this type, and those clients."""
        actors = actors_of(listed, self.index.positions)
        overview = Link(self.t["clients_title"], self.url(routes.CLIENTS))
        clients = tuple(Link(c.name, self.url(routes.client(c.key)), len(c.works)) for c in listed)
        return self.paginate(
            routes.client_type(term.slug),
            [self.card(a) for a in actors],
            "client_type.html",
            f"{self.t['client_type_title']} {term.label}",
            f"{self.t['client_type_description']} {term.label}.",
            client_type=term,
            clients=clients,
            overview=overview,
        )

    def client(self, client: Client) -> list[Page]:
        overview = Link(self.t["clients_title"], self.url(routes.CLIENTS))
        pages = self.paginate(
            routes.client(client.key),
            [(self.card(w.actor), w.actor, w.experiences) for w in client.works],
            "client.html",
            client.name,
            f"{self.t['client_description']} {client.name}.",
            client_name=client.name,
            overview=overview,
            facts=self.client_facts(client),
        )
        # The entries are made with the page, in a worker.
        return [
            replace(
                page,
                context={k: v for k, v in page.context.items() if k != "items"},
                lazy=partial(self.client_entries, page.context["items"]),
            )
            for page in pages
        ]

    def client_facts(self, client: Client) -> tuple[Link, ...]:
        """What clients.yaml says of a client: its type's page, its territory's page."""
        facts = []
        if client.type is not None:
            facts.append(Link(client.type.label, self.url(routes.client_type(client.type.slug))))
        territory = self.catalogue.client_aliases.territory_by_key.get(client.key)
        if territory is not None:
            facts.append(self.term_link(territory))
        return tuple(facts)

    def client_entries(self, items: Sequence[tuple[Card, Actor, tuple[int, ...]]]) -> dict:
        """Each actor's card and its experiences with the client (by their position)."""
        entries = []
        texts = self.derived.html_of(actor.id for _, actor, _ in items)
        for (card, actor, positions), html in zip(items, texts, strict=True):
            sections = (
                Section(actor.experiences[i].title, "", html.experiences[i]) for i in positions
            )
            entries.append(ClientActor(card, tuple(sections)))
        return {"items": tuple(entries)}
