"""Turn the catalogue into the list of pages to write: each page's route, template, context.

Templates see only the view records built here (views.py), never the raw files.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import date
from functools import partial
from pathlib import Path

from . import routes
from .config import Settings
from .derived import Derived
from .errors import ContentError, Problem
from .exports import csv_chunks, json_array_chunks, json_ld
from .incremental import planner_ref
from .indexes import CatalogueIndex, index_catalogue
from .model import Actor, Catalogue, Term
from .relations import Client
from .security import headers_file
from .strings import long_date, strings_for
from .text import client_key
from .views import (
    Card,
    ClientActor,
    LetterLink,
    Link,
    LogoView,
    Page,
    PageLink,
    Pagination,
    Profile,
    Section,
)

LETTERS = tuple("ABCDEFGHIJKLMNOPQRSTUVWXYZ") + ("#",)


class PagePlanner:
    """Builds every page of a catalogue; one instance per build. `last`: the index of
    the planner of an earlier version of the catalogue, reused if it fits (see
    indexes.index_catalogue)."""

    def __init__(
        self,
        settings: Settings,
        catalogue: Catalogue,
        schema_json: bytes,
        derived: Derived,
        workers: int | None = None,
        cache_dir: Path | None = None,
        last: CatalogueIndex | None = None,
    ):
        self.settings = settings
        self.catalogue = catalogue
        self.schema_json = schema_json
        self.derived = derived
        self.t = strings_for(settings.language)
        self.index = index_catalogue(settings, catalogue, workers, cache_dir, last)
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
        and the build's salt. quick.py supplies a planner of its own in its place."""
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

    # -- the site ----------------------------------------------------------------------

    def pages(self) -> list[Page]:
        pages = [
            *self.actor_list(
                routes.HOME,
                "home.html",
                self.settings.title,
                self.settings.description,
                self.catalogue.actors,
            )
        ]
        for letter in LETTERS:
            if self.letters[letter]:
                label = self.t["letter_other"] if letter == "#" else letter
                pages += self.actor_list(
                    routes.letter(letter),
                    "letter.html",
                    f"{self.t['letter_title']} {label}",
                    "",
                    self.letters[letter],
                    letter=letter,
                )
        for actor in self.catalogue.actors:
            pages += self.actor_pages(actor)
        for vocabulary in ("territories", "contexts"):
            pages.append(self.vocabulary(vocabulary))
            for term in self.catalogue.vocabularies.terms(vocabulary):
                pages += self.term(term)
        for (territory, context), actors in self.pairs.items():
            pages += self.term_pair(territory, context, actors)
        pages += self.client_index()
        for client in self.clients:
            pages += self.client(client)
        pages += self.data_pages()
        pages += [self.search(), self.not_found(), self.feed()]
        pages.append(Page(routes.HEADERS, None, "", data=headers_file(), in_sitemap=False))
        pages += [self.sitemap(sitemap_entries(pages)), self.robots()]
        return pages

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

    # -- actors ------------------------------------------------------------------------

    def profile_context(self, actor: Actor, related: tuple[Card, ...]) -> dict:
        """What profile.html sees; built when the page is rendered (in a worker)."""
        url = self.absolute(routes.actor(actor.slug))
        logo_route = self.logo_route(actor)
        logo_url = self.absolute(logo_route) if logo_route else ""
        html = self.derived.html(actor.id)
        profile = Profile(
            actor=actor,
            services=tuple(
                Section(s.title, s.tagline, description)
                for s, description in zip(actor.services, html.services, strict=True)
            ),
            experiences=tuple(
                Section(
                    e.client,
                    e.title,
                    description,
                    self.url(routes.client(client_key(self.canonical(e.client)))),
                )
                for e, description in zip(actor.experiences, html.experiences, strict=True)
            ),
            about_html=html.about,
            clients=tuple(
                Link(name, self.url(routes.client(client_key(self.canonical(name)))))
                for name in actor.clients
            ),
            territories=self.term_links(actor.territories),
            contexts=self.term_links(actor.contexts),
            related=related,
            updated_text=long_date(actor.updated, self.settings.language) if actor.updated else "",
            logo=(
                LogoView(self.url(logo_route), actor.logo.width, actor.logo.height)
                if actor.logo
                else None
            ),
            json_url=self.url(routes.actor_json(actor.slug)),
            json_ld=json_ld(actor, url, logo_url),
        )
        return {
            "profile": profile,
            "description": actor.summary,
            "og_type": "profile",
            "og_image": logo_url,
        }

    def actor_json(self, actor: Actor) -> bytes:
        return self.derived.json(actor.id)

    def export_json(self) -> Iterator[bytes]:
        return json_array_chunks(self.derived.each("json"))

    def export_csv(self) -> Iterator[bytes]:
        return csv_chunks(self.derived.each("csv_row"))

    def profile(self, actor: Actor) -> Page:
        related = tuple(self.card(a) for a in self.index.related(actor))
        return Page(
            routes.actor(actor.slug),
            "profile.html",
            actor.name,
            lazy=partial(self.profile_context, actor, related),
            lastmod=lastmod(actor),
            source=actor.source,
            source_line=actor.lines.get("slug"),
        )

    def actor_pages(self, actor: Actor) -> list[Page]:
        route = routes.actor(actor.slug)
        logo_route = self.logo_route(actor)
        pages = [
            self.profile(actor),
            Page(
                routes.actor_json(actor.slug),
                None,
                actor.name,
                in_sitemap=False,
                lazy=partial(self.actor_json, actor),
                source=actor.source,
                source_line=actor.lines.get("slug"),
            ),
        ]
        if actor.logo:
            pages.append(
                Page(
                    logo_route,
                    None,
                    "",
                    data=actor.logo.data,
                    in_sitemap=False,
                    source=actor.source,
                    source_line=actor.lines.get("logo"),
                )
            )
        redirects = [(routes.actor_by_id(actor.id), actor.lines.get("id"))]
        redirects += [(routes.actor(alias), actor.lines.get("aliases")) for alias in actor.aliases]
        for redirect_route, line in redirects:
            pages.append(
                Page(
                    redirect_route,
                    "redirect.html",
                    actor.name,
                    in_sitemap=False,
                    context={"target": self.url(route), "target_absolute": self.absolute(route)},
                    source=actor.source,
                    source_line=line,
                )
            )
        return pages

    def canonical(self, name: str) -> str:
        return self.catalogue.client_aliases.canonical_by_key.get(client_key(name), name)

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
        )

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

    def client_index(self) -> list[Page]:
        links = [Link(c.name, self.url(routes.client(c.key)), len(c.works)) for c in self.clients]
        return self.paginate(
            routes.CLIENTS,
            links,
            "clients.html",
            self.t["clients_title"],
            self.t["clients_intro_page"],
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

    # -- data, search, feeds and the rest ----------------------------------------------

    def data_pages(self) -> list[Page]:
        files = {
            "json": Link("acteurs.json", self.url(routes.DATA_JSON)),
            "csv": Link("acteurs.csv", self.url(routes.DATA_CSV)),
            "schema": Link("actor.schema.json", self.url(routes.DATA_SCHEMA)),
        }
        return [
            Page(
                routes.DATA,
                "data.html",
                self.t["data_title"],
                self.t["data_intro"],
                {"files": files, "count": len(self.catalogue.actors)},
            ),
            *(
                # every actor's record: written as it is made, redone when any actor changes
                Page(route, None, "", chunks=chunks, deps=self.catalogue.actors, in_sitemap=False)
                for route, chunks in (
                    (routes.DATA_JSON, self.export_json),
                    (routes.DATA_CSV, self.export_csv),
                )
            ),
            Page(routes.DATA_SCHEMA, None, "", data=self.schema_json, in_sitemap=False),
        ]

    def search(self) -> Page:
        facets = {
            name: tuple(
                Link(t.label, self.url(routes.term(t)), len(self.actors_by_term[t]))
                for t in self.catalogue.vocabularies.terms(name)
            )
            for name in ("territories", "contexts")
        }
        return Page(
            routes.SEARCH,
            "search.html",
            self.t["search_title"],
            self.t["search_intro"],
            {"facets": facets, "bundle_url": self.url(routes.SEARCH_BUNDLE)},
        )

    def feed(self, actors: Iterable[Actor] | None = None) -> Page:
        """The most recently updated of `actors` (every actor by default; quick.py gives
        the few it found to be the most recent)."""
        candidates = self.catalogue.actors if actors is None else actors
        dated = sorted((a for a in candidates if a.updated), key=feed_order, reverse=True)
        entries = tuple(
            (a, self.absolute(routes.actor(a.slug))) for a in dated[: self.settings.feed_size]
        )
        updated = entries[0][0].updated if entries else date(2000, 1, 1)
        return Page(
            routes.FEED,
            "feed.xml",
            self.t["feed_title"],
            in_sitemap=False,
            context={
                "entries": entries,
                "updated": updated,
                "feed_url": self.absolute(routes.FEED),
            },
        )

    def not_found(self) -> Page:
        return Page(routes.NOT_FOUND, "404.html", self.t["not_found_title"], in_sitemap=False)

    def sitemap(self, entries: Iterable[tuple[str, str]]) -> Page:
        """The sitemap of `entries` (from sitemap_entries)."""
        urls = tuple((self.absolute(route), modified) for route, modified in entries)
        return Page(routes.SITEMAP, "sitemap.xml", "", context={"entries": urls}, in_sitemap=False)

    def robots(self) -> Page:
        return Page(
            routes.ROBOTS,
            "robots.txt",
            "",
            in_sitemap=False,
            context={"sitemap_url": self.absolute(routes.SITEMAP)},
        )


def lastmod(actor: Actor) -> str:
    """The date of the last change of an actor's profile, as the sitemap gives it."""
    return actor.updated.isoformat() if actor.updated else ""


def feed_order(actor: Actor) -> tuple[date, int]:
    """The feed lists the actors by this, highest first."""
    assert actor.updated is not None
    return actor.updated, actor.id


def sitemap_entries(pages: Iterable[Page]) -> tuple[tuple[str, str], ...]:
    """The route and lastmod of every page the sitemap lists, in the order it lists them."""
    return tuple(
        (p.route, p.lastmod)
        for p in sorted(pages, key=lambda p: p.route)
        if p.in_sitemap and p.template and p.template.endswith(".html")
    )


def check_routes(pages: list[Page]) -> None:
    """Two pages never share an address. Real pages claim theirs first, so a clash is
    reported on the redirect (an alias) that tries to take a page's place."""
    owner: dict[str, Page] = {}
    problems = []
    for page in sorted(pages, key=lambda p: p.template == "redirect.html"):
        other = owner.setdefault(page.route, page)
        if other is page:
            continue
        where = f"{other.source}:{other.source_line}" if other.source else "a page of the site"
        problems.append(
            Problem(
                page.source or "content",
                page.source_line,
                f"the address /{page.route} is already taken by {where}",
                "Choose another alias: this one is the address of another page.",
            )
        )
    if problems:
        raise ContentError(problems)


def plan_pages(
    settings: Settings,
    catalogue: Catalogue,
    schema_json: bytes,
    derived: Derived,
    workers: int | None = None,
    cache_dir: Path | None = None,
) -> list[Page]:
    """Every page of the site, in a stable order; two pages never share a route."""
    planner = PagePlanner(settings, catalogue, schema_json, derived, workers, cache_dir)
    pages = planner.pages()
    check_routes(pages)
    return pages
