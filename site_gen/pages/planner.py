"""The page planner: the catalogue turned into every page of the site, in groups (the home
page and its numbered pages, one actor's pages, a term's list…), each group a call of one
method whose reads of the catalogue's index are recorded.

Templates see only the view records the planner builds (views.py), never the raw files.

What a group reads are facts: the results of the planner's methods marked `@fact` (the
actors under a term, a term's count, the pairs of terms, an actor's related actors…), each
named by the method and its arguments. `plan` notes, for each group, the facts it read and
the addresses of its pages. An edit rebuild (build/edit_pages.py) asks the planner of the
edited catalogue for the value of every fact the last build recorded: only the groups that
read a fact whose value changed are planned again (and of their pages, only those whose
key changed are rendered). A new kind of page is a new group: what it reads is recorded
like any other's, with nothing to declare. A group that reads `catalogue` whole is planned
again after any edit of an actor.
"""

from __future__ import annotations

import functools
import hashlib
import heapq
import io
import itertools
import json
import pickle
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

from site_gen.cache import digest
from site_gen.catalogue.clients import Client, actors_of, by_type, client_keys
from site_gen.content.config import Settings
from site_gen.content.markdown import MarkdownRenderer
from site_gen.content.model import Actor, Catalogue, ClientAliases, Term, Vocabularies
from site_gen.errors import ContentError, Problem
from site_gen.i18n import _
from site_gen.pages import routes
from site_gen.pages.cms import admin_headers, edit_url
from site_gen.pages.derived import Derived
from site_gen.pages.exports import (
    csv_chunks,
    csv_header,
    csv_row_chunk,
    json_array_chunks,
    json_array_item,
    json_ld,
)
from site_gen.pages.indexes import CatalogueIndex, index_catalogue, listing
from site_gen.pages.keys import planner_ref
from site_gen.pages.regions_map import CREDIT, RegionMap, region_map
from site_gen.pages.security import headers_file
from site_gen.pages.strings import long_date, strings_for
from site_gen.pages.views import (
    Card,
    ClientActor,
    ClientLink,
    LetterLink,
    Link,
    LogoView,
    Page,
    PageLink,
    Pagination,
    Profile,
    Section,
)
from site_gen.text import client_key, initial

Fact = tuple  # a `@fact` method's name and its arguments: ("members", <Term Occitanie>)
Group = tuple  # a group's name: ("home",), ("actor", 42), ("term", "territoires/occitanie/")
SITE: Group = ("groups",)  # the group whose reads decide which groups there are
WHOLE: Fact = ("whole_catalogue",)  # read by a group that reads `catalogue`
NEWEST: Fact = ("newest",)  # the feed's actors


class GroupRecord(NamedTuple):
    """What planning a group read, and the addresses of the pages it made."""

    reads: frozenset[Fact]
    routes: tuple[str, ...]


class Plan(NamedTuple):
    pages: list[Page]  # every page but the sitemap
    groups: dict[Group, GroupRecord]


def fact(method: Callable | None = None, *, within: str | None = None) -> Callable:
    """Marks a planner method as a fact: called while a group is planned, it records its
    name and arguments among the group's reads (PagePlanner.planned). `within`: the field
    of Touched that holds its arguments whenever an edit can change its value (with two
    arguments, the pair of them); None: any edit of an actor's listing may change it."""
    if method is None:
        return functools.partial(fact, within=within)

    @functools.wraps(method)
    def recorded(planner: Any, *arguments: Any) -> Any:
        if planner.reads is not None:
            planner.reads.add((method.__name__, *arguments))
        return method(planner, *arguments)

    recorded.fact = True  # type: ignore[attr-defined]
    recorded.within = within  # type: ignore[attr-defined]
    return recorded


class Touched(NamedTuple):
    """What an edit of some actors can change the facts of: the arguments of the facts
    (by their `within`) whose value may differ. An edit changes a list, a count or a
    client only through the terms, initials and clients its actors had or have, and
    the related actors of those it ranks again or that list an edited actor."""

    ids: frozenset[int]
    terms: frozenset[Term]
    pairs: frozenset[tuple[Term, Term]]
    letters: frozenset[str]
    clients: frozenset[str]
    related: frozenset[int]


def touched(index: CatalogueIndex, versions: Iterable[Actor]) -> Touched:
    """What an edit can change (Touched), from both versions of each edited actor (the
    last build's and the new) and the index of the catalogue with the new ones."""
    versions = tuple(versions)
    terms = {t for a in versions for t in a.territories + a.contexts}
    pairs = {p for a in versions for p in itertools.product(a.territories, a.contexts)}
    edited = {index.positions[a.id] for a in versions}
    ranking = index.ranking
    holding = (p for p, listed in enumerate(ranking.ranked) if not edited.isdisjoint(listed))
    actors = index.catalogue.actors
    return Touched(
        frozenset(a.id for a in versions),
        frozenset(terms),
        frozenset(pairs),
        frozenset(initial(a.name) for a in versions),
        frozenset(k for a in versions for k in client_keys(a, index.catalogue)),
        frozenset(actors[p].id for p in (*ranking.reranked, *holding)),
    )


def may_change(read: Fact, changes: Touched) -> bool:
    """Whether an edit that touches `changes` can change the value of this fact."""
    within = getattr(PagePlanner, read[0]).within
    if within is None:
        return True
    arguments = read[1] if len(read) == 2 else read[1:]
    return arguments in getattr(changes, within)


def tel_url(phone: str) -> str:
    """A tel: link of the number as written ("01 23 45 67 89" → tel:0123456789), its
    leading + kept; "" when it holds no digit."""
    digits = "".join(c for c in phone if c.isdigit())
    if not digits:
        return ""
    return "tel:" + ("+" if phone.strip().startswith("+") else "") + digits


def lastmod(actor: Actor) -> str:
    """The date of the last change of an actor's profile, as the sitemap gives it."""
    return actor.updated.isoformat() if actor.updated else ""


LETTERS = tuple("ABCDEFGHIJKLMNOPQRSTUVWXYZ") + ("#",)


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


_TITLES = {
    "a-propos": "about_title",
    "proposer": "propose_title",
    "mentions-legales": "legal_title",
    "accessibilite": "accessibility_title",
}


_TOP = {"accessibilite": 2}


_UPDATED = re.compile(rb'"updated": ?"(\d{4}-\d{2}-\d{2})"')


def file_size(size: int) -> str:
    """A size as French readers read it: 850 octets, 12,4 ko, 3,1 Mo."""
    if size < 1000:
        return f"{size} octets"
    value, unit = (size / 1000, "ko") if size < 1_000_000 else (size / 1_000_000, "Mo")
    return f"{value:.1f}".replace(".", ",") + f"\u00a0{unit}"


def feed_order(actor: Actor) -> tuple[date, int]:
    """The feed lists the actors by this, highest first."""
    assert actor.updated is not None
    return actor.updated, actor.id


def newest(actors: Iterable[Actor], count: int) -> tuple[Actor, ...]:
    """The `count` most recently updated of these actors, newest first (the feed's)."""
    return tuple(heapq.nlargest(count, (a for a in actors if a.updated), key=feed_order))


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
                _("the address /{route} is already taken by {where}").format(
                    route=page.route, where=where
                ),
                _("Choose another alias: this one is the address of another page."),
                code="address-taken",
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
) -> tuple[list[Page], PagePlanner, dict[Group, GroupRecord]]:
    """Every page of the site, in a stable order, with the sitemap; two pages never share
    a route. Also the planner, and what each group of pages read (PagePlanner.plan)."""
    index = index_catalogue(settings, catalogue, workers, cache_dir)
    planner = PagePlanner(settings, schema_json, derived, index)
    plan = planner.plan()
    pages = plan.pages + [planner.sitemap(sitemap_entries(plan.pages))]
    check_routes(pages)
    return pages, planner, plan.groups


def fact_digests(
    planner: PagePlanner,
    facts: Iterable[Fact],
    known: dict[str, tuple[int, str]] | None = None,
    clients: dict[int, tuple[Client, tuple]] | None = None,
) -> dict[Fact, str]:
    """The digest of the value of each of these facts in the planner's catalogue, where
    an actor stands for its id and what other pages show of it (indexes.listing): what
    else they show of it is the actor itself, in the pages' recipes (pages/keys.py).
    `known`: the id and the digest of the listing of actors, by their digest, as the
    record of the site has them (edit_record.ActorEntry), not made again. `clients`: the
    digest of each client already digested, by id() (with the client, so that no other
    object takes its id), filled: clients are immutable, and an index made from another
    shares those no edit touched."""
    listed: dict[str, tuple[int, str]] = dict(known or {})
    clients = {} if clients is None else clients  # a client is in several facts: once

    def actor(value: Actor) -> tuple:
        if value.digest not in listed:
            listed[value.digest] = (value.id, digest(listing(value)))
        return listed_actor, listed[value.digest]

    def client(value: Client) -> tuple:
        if id(value) not in clients:
            clients[id(value)] = (value, (value.key, _digest(value, {Actor: actor})))
        return listed_client, clients[id(value)][1]

    return {
        read: _digest(planner.fact_value(read), {Actor: actor, Client: client}) for read in facts
    }


def _digest(value: Any, dispatch: dict[type, Callable]) -> str:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.dispatch_table = dispatch
    pickler.dump(value)
    return hashlib.blake2b(buffer.getbuffer(), digest_size=16).hexdigest()


def listed_client(key: str, value: str) -> Client:
    raise TypeError("a client in a fact's digest is never read back")


def listed_actor(actor_id: int, listed: str) -> Actor:
    raise TypeError("an actor in a fact's digest is never read back")


@dataclass(frozen=True)
class PlannerSeed:
    """A planner's settings, data and lists but none of its actors (PagePlanner.seed):
    small enough to send to a render worker, which makes pages from recipes with it."""

    settings: Settings
    schema_json: bytes
    derived: Derived
    catalogue: Catalogue  # of no actors
    export_facts: tuple[dict[str, int], date | None] | None

    def planner(self) -> PagePlanner:
        made = PagePlanner(
            self.settings,
            self.schema_json,
            self.derived,
            index_catalogue(self.settings, self.catalogue, 1),
        )
        made.export_facts = self.export_facts
        return made


class PagePlanner:
    """Builds every page of a catalogue, group by group (`groups`, `plan`); one instance
    per build, or per edit rebuild."""

    def __init__(
        self,
        settings: Settings,
        schema_json: bytes,
        derived: Derived,
        index: CatalogueIndex,
    ):
        self.settings = settings
        self.schema_json = schema_json
        self.derived = derived
        self.t = strings_for(settings.language)
        self.index = index
        self.cards = self.index.cards
        self.term_links_made: dict[Term, Link] = {}
        self.reads: set[Fact] | None = None  # those of the group being planned
        # The exports' sizes and the newest date, when an edit rebuild knows them from the
        # exports it patched (data_facts then reads no record).
        self.export_facts: tuple[dict[str, int], date | None] | None = None

    def __reduce__(self) -> tuple:
        """In a page's key and recipe (incremental.py), the planner whose method makes the
        page's context lazily stands as a reference: its inputs are the method's arguments
        and the build's salt. build/edit_pages.py supplies a planner of its own in its place."""
        return planner_ref, ()

    def seed(self) -> PlannerSeed:
        """What a planner of no actors is made from that makes the contexts of this one's
        pages from their recipes, in a render worker."""
        catalogue = self.index.catalogue
        return PlannerSeed(
            self.settings,
            self.schema_json,
            self.derived.reader(),
            Catalogue((), catalogue.vocabularies, catalogue.client_aliases, catalogue.texts),
            self.export_facts,
        )

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

    # -- what groups of pages read (recorded) --------------------------------------------

    def planned(self, make: Callable[[], list[Page]]) -> tuple[list[Page], frozenset[Fact]]:
        """The pages `make` plans, and the facts it read to plan them."""
        self.reads = set()
        try:
            return make(), frozenset(self.reads)
        finally:
            self.reads = None

    def fact_value(self, read: Fact) -> object:
        """The value of a fact, as the method of that name gives it now (not recorded)."""
        method = getattr(type(self), read[0], None)
        if getattr(method, "fact", False) is not True:
            raise KeyError(f"no fact {read[0]}")
        return method.__wrapped__(self, *read[1:])

    @property
    def catalogue(self) -> Catalogue:
        """The catalogue itself: a group that reads it is planned again whenever any actor
        changes (a new page kind is right on its first rebuild before it reads facts)."""
        return self.whole_catalogue()

    @fact
    def whole_catalogue(self) -> Catalogue:
        return self.index.catalogue

    @fact(within="ids")
    def actor(self, actor_id: int) -> Actor:
        return self.index.catalogue.actors[self.index.positions[actor_id]]

    @fact
    def all_actors(self) -> tuple[Actor, ...]:
        return self.index.catalogue.actors

    @fact(within="terms")
    def members(self, term: Term) -> tuple[Actor, ...]:
        """The actors listed under a term, in catalogue order."""
        return tuple(self.index.by_term.get(term, ()))

    @fact(within="terms")
    def count(self, term: Term) -> int:
        return len(self.index.by_term.get(term, ()))

    @fact(within="terms")
    def pairs_with(self, term: Term) -> tuple[tuple[Term, Term, int], ...]:
        """Each pair of terms holding this term and actors, with its number of actors."""
        return tuple(p for p in self.all_pairs.__wrapped__(self) if term in p[:2])

    @fact
    def all_pairs(self) -> tuple[tuple[Term, Term, int], ...]:
        """Every pair of terms that actors hold, with its number of actors, by address."""
        pairs = sorted(self.index.pairs.items(), key=lambda item: routes.term_pair(*item[0]))
        return tuple((territory, context, len(listed)) for (territory, context), listed in pairs)

    @fact(within="pairs")
    def pair_members(self, territory: Term, context: Term) -> tuple[Actor, ...]:
        return self.index.pairs.get((territory, context), ())

    @fact
    def letters_used(self) -> tuple[str, ...]:
        """The initials that actors' names have, in LETTERS' order."""
        return tuple(letter for letter in LETTERS if self.index.letters.get(letter))

    @fact(within="letters")
    def letter_members(self, letter: str) -> tuple[Actor, ...]:
        return tuple(self.index.letters.get(letter, ()))

    @fact(within="related")
    def related(self, actor_id: int) -> tuple[Actor, ...]:
        return self.index.related(self.actor.__wrapped__(self, actor_id))

    @fact
    def clients(self) -> tuple[Client, ...]:
        return self.index.clients

    @fact(within="clients")
    def client_named(self, key: str) -> Client | None:
        return self.index.client_by_key.get(key)

    @fact
    def client_types(self) -> dict[Term, list[Client]]:
        return by_type(self.index.clients, self.vocabularies.client_types)

    @fact
    def newest(self) -> tuple[Actor, ...]:
        """The actors the feed lists: the most recently updated."""
        return newest(self.index.catalogue.actors, self.settings.feed_size)

    # What every page is made from, with the templates and code: a change of these is a
    # change of the build's salt (pipeline.page_salt), which plans every group again.

    @property
    def vocabularies(self) -> Vocabularies:
        return self.index.catalogue.vocabularies

    @property
    def client_aliases(self) -> ClientAliases:
        return self.index.catalogue.client_aliases

    @property
    def texts(self) -> tuple[tuple[str, str], ...]:
        return self.index.catalogue.texts

    # -- the groups of pages -----------------------------------------------------------

    def groups(self) -> dict[Group, Callable[[], list[Page]]]:
        """Every group of pages of the site, by name, each made by a call (see `plan`)."""
        made: dict[Group, Callable[[], list[Page]]] = {
            ("home",): self.home,
            ("choose",): lambda: [self.choose()],
        }
        for letter in self.letters_used():
            made[("letter", letter)] = partial(self.letter, letter)
        for actor in self.all_actors():
            made[("actor", actor.id)] = partial(self.actor_pages, actor.id)
        for vocabulary in ("territories", "contexts"):
            made[("vocabulary", vocabulary)] = partial(self.vocabulary, vocabulary)
            for term in self.vocabularies.terms(vocabulary):
                made[("term", routes.term(term))] = partial(self.term, term)
        for territory, context, _count in self.all_pairs():
            made[("pair", routes.term_pair(territory, context))] = partial(
                self.term_pair, territory, context
            )
        made[("clients",)] = self.client_index
        for client in self.clients():
            made[("client", client.key)] = partial(self.client, client.key)
        for client_type in self.client_types():
            made[("client-type", client_type.slug)] = partial(self.client_type, client_type)
        made[("data",)] = self.data_pages
        made[("info",)] = self.info_pages
        made[("site",)] = self.site_files
        return made

    def plan(self) -> Plan:
        """Every page of the site, but the sitemap (made from them: `sitemap`), and what
        each group of them read. The group SITE is the choice of the groups themselves."""
        made, reads = self.planned(self.groups)
        groups = {SITE: GroupRecord(reads, ())}
        pages: list[Page] = []
        for name, make in made.items():
            planned, reads = self.planned(make)
            groups[name] = GroupRecord(reads, tuple(page.route for page in planned))
            pages += planned
        return Plan(pages, groups)

    def site_files(self) -> list[Page]:
        """The search page, the feed, the 404 page, the headers file and robots.txt."""
        headers = headers_file() + admin_headers(self.settings.cms, self.settings.base_path)
        return [
            self.search(),
            self.not_found(),
            self.feed(),
            Page(routes.HEADERS, None, "", data=headers, in_sitemap=False),
            self.robots(),
        ]

    # -- an actor's own pages ------------------------------------------------

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
            edit_url=edit_url(self.settings, actor.source),
            phone_url=tel_url(actor.phone),
            client_types=tuple(self.client_type_of(name) for name in actor.clients),
            toc=self.toc(actor, bool(html.about)),
        )
        return {
            "profile": profile,
            "description": actor.summary,
            "og_type": "profile",
            "og_image": logo_url,
        }

    def client_type_of(self, name: str) -> str:
        """The label of the type clients.yaml gives the client of this name, or ""."""
        key = client_key(self.canonical(name))
        found = self.client_aliases.type_by_key.get(key)
        return found.label if found else ""

    def toc(self, actor: Actor, has_about: bool) -> tuple[Link, ...]:
        """The sections of a profile long enough to want a table of contents: three
        sections or more, or four services and experiences or more."""
        present = (
            ("services", "services", bool(actor.services)),
            ("about", "qui-sommes-nous", has_about),
            ("clients", "accompagnements", bool(actor.clients)),
            ("experiences", "experiences", bool(actor.experiences)),
        )
        links = tuple(Link(self.t[key], f"#{anchor}") for key, anchor, shown in present if shown)
        long = len(links) >= 3 or len(actor.services) + len(actor.experiences) >= 4
        return links if long and len(links) > 1 else ()

    def actor_json(self, actor: Actor) -> bytes:
        return self.derived.json(actor.id)

    def profile(self, actor: Actor) -> Page:
        related = tuple(self.card(a) for a in self.related(actor.id))
        return Page(
            routes.actor(actor.slug),
            "profile.html",
            actor.name,
            lazy=partial(self.profile_context, actor, related),
            lastmod=lastmod(actor),
            source=actor.source,
            source_line=actor.lines.get("slug"),
        )

    def actor_pages(self, actor_id: int) -> list[Page]:
        """The actor's profile, its JSON record, its logo, and the redirects from its id
        and its aliases to its profile."""
        actor = self.actor(actor_id)
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
        return self.client_aliases.canonical_by_key.get(client_key(name), name)

    # -- lists cut into pages ------------------------------------------------

    def paginate(
        self,
        route: str,
        items: Sequence,
        template: str,
        title: str,
        description: str = "",
        first: Mapping[str, object] | None = None,
        **context,
    ) -> list[Page]:
        """One page per `page_size` items: route, route/page/2/, …; `items` holds each slice.
        Only the first page shows how many items there are, and `first`, what it shows in
        place of the same keys of `context` (counts): when a list gains or loses an item,
        its numbered pages change only where their slice moves."""
        size = self.settings.page_size
        count = max(1, -(-len(items) // size))
        pages = []
        for number in range(1, count + 1):
            pagination = self.pagination(route, number, count)
            page_title = title if number == 1 else f"{title} ({self.t['page']} {number})"
            shown = context | {"total": None}  # the numbered pages say "page N sur M"
            if number == 1:
                shown = {**context, **(first or {}), "total": len(items)}
            pages.append(
                Page(
                    routes.numbered(route, number),
                    template,
                    page_title,
                    description,
                    shown
                    | {
                        "items": items[(number - 1) * size : number * size],
                        "pagination": pagination,
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
        used = self.letters_used()
        return tuple(
            LetterLink(
                self.t["letter_other"] if letter == "#" else letter,
                self.url(routes.letter(letter)) if letter in used else "",
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

    def letter(self, letter: str) -> list[Page]:
        label = self.t["letter_other"] if letter == "#" else letter
        return self.actor_list(
            routes.letter(letter),
            "letter.html",
            f"{self.t['letter_title']} {label}",
            "",
            self.letter_members(letter),
            letter=letter,
        )

    # -- vocabularies, terms and pairs ---------------------------------------

    def vocabulary(self, name: str) -> list[Page]:
        terms = tuple(
            Link(t.label, self.url(routes.term(t)), self.count(t))
            for t in self.vocabularies.terms(name)
        )
        page = Page(
            routes.vocabulary(name),
            "vocabulary.html",
            self.t[f"{name}_title"],
            self.t[f"{name}_intro"],
            {"terms": terms, "vocabulary": name},
        )
        return [page]

    def term(self, term: Term) -> list[Page]:
        actors = self.members(term)
        is_territory = term.vocabulary == "territories"
        refine = []
        for territory, context, count in self.pairs_with(term):
            if term == (territory if is_territory else context):
                other = context if is_territory else territory
                link = Link(other.label, self.url(routes.term_pair(territory, context)), count)
                refine.append(link)
        order = self.vocabularies.terms("contexts" if is_territory else "territories")
        position = {t.label: i for i, t in enumerate(order)}
        refine.sort(key=lambda link: position[link.label])
        heading_key = "term_actors_in_territory" if is_territory else "term_actors_in_context"
        overview = Link(
            self.t[f"{term.vocabulary}_title"], self.url(routes.vocabulary(term.vocabulary))
        )
        territories = self.vocabularies.territories
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
            first={"refine": tuple(refine)},
            refine=tuple(Link(link.label, link.url) for link in refine),
            refine_key="refine_by_context" if is_territory else "refine_by_territory",
            region_map=locator,
        )

    def term_link_url(self, term: Term) -> str:
        return self.url(routes.term(term))

    def term_pair(self, territory: Term, context: Term) -> list[Page]:
        actors = self.pair_members(territory, context)
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

    # -- clients -------------------------------------------------------------

    def client_index(self) -> list[Page]:
        """Every client, grouped by type (in the vocabulary's order, untyped last), each
        group by number of actors; above, each type with the number of its actors."""
        grouped = self.client_types()
        typed = {client.key for listed in grouped.values() for client in listed}
        untyped = [c for c in self.clients() if c.key not in typed]
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
            first={"types": types},
        )

    def client_type(self, term: Term) -> list[Page]:
        """The actors that worked with a client of this type, and those clients."""
        listed = self.client_types().get(term, [])
        actors = actors_of(listed, self.index.positions)
        overview = Link(self.t["clients_title"], self.url(routes.CLIENTS))
        clients = tuple(Link(c.name, self.url(routes.client(c.key)), len(c.works)) for c in listed)
        return self.paginate(
            routes.client_type(term.slug),
            [self.card(a) for a in actors],
            "client_type.html",
            f"{self.t['client_type_title']} {term.label}",
            f"{self.t['client_type_description']} {term.label}.",
            first={"clients": clients},
            client_type=term,
            overview=overview,
        )

    def client(self, key: str) -> list[Page]:
        client = self.client_named(key)
        if client is None:
            return []
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
        territory = self.client_aliases.territory_by_key.get(client.key)
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

    # -- the home page and the chooser ---------------------------------------

    def term_url(self, term: Term) -> str:
        return self.url(routes.term(term))

    def chooser(self) -> Chooser:
        def choices(vocabulary: str) -> tuple[Choice, ...]:
            return tuple(
                Choice(t.slug, t.label, self.count(t), self.term_url(t))
                for t in self.vocabularies.terms(vocabulary)
            )

        pairs = {
            f"{territory.slug}/{context.slug}": self.url(routes.term_pair(territory, context))
            for territory, context, _count in self.all_pairs()
        }
        return Chooser(
            choices("territories"),
            choices("contexts"),
            self.url(routes.CHOOSE),
            json.dumps(pairs, ensure_ascii=False, separators=(",", ":")),
            self.url(routes.HOME) + "#acteurs",
        )

    def home_map(self) -> RegionMap:
        territories = self.vocabularies.territories
        return region_map(territories, self.count, self.term_url)

    def home(self) -> list[Page]:
        cards = [self.card(a) for a in self.all_actors()]
        return self.paginate(
            routes.HOME,
            cards,
            "home.html",
            self.settings.title,
            self.settings.description,
            first={"chooser": self.chooser(), "region_map": self.home_map()},
            letters=self.letter_bar(),
        )

    def choose(self) -> Page:
        contexts = self.vocabularies.contexts
        position = {t: i for i, t in enumerate(contexts)}
        by_territory: dict[Term, list[tuple[Term, int]]] = {}
        for territory, context, count in self.all_pairs():
            by_territory.setdefault(territory, []).append((context, count))
        territories = tuple(
            TerritoryPairs(
                Link(t.label, self.term_url(t), self.count(t)),
                t.slug,
                tuple(
                    Link(c.label, self.url(routes.term_pair(t, c)), n)
                    for c, n in sorted(by_territory.get(t, ()), key=lambda p: position[p[0]])
                ),
            )
            for t in self.vocabularies.territories
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

    # -- the pages of the footer ---------------------------------------------

    def info_pages(self) -> list[Page]:
        texts = dict(self.texts)
        markdown = MarkdownRenderer()
        return [
            Page(
                route,
                "info.html",
                self.t[_TITLES[name]],
                "",
                {
                    "kind": name,
                    # "## …" in the file is a section of the page (h2); the
                    # accessibility statement shows its file under a heading of its own
                    "body": markdown.render(texts.get(name, ""), top_heading=_TOP.get(name, 1)),
                    "site_url": self.settings.base_url,
                    "map_credit": CREDIT,
                },
            )
            for name, route in routes.INFO_PAGES.items()
        ]

    # -- the site-wide pages and files ---------------------------------------

    def export_json(self) -> Iterator[bytes]:
        return json_array_chunks(self.derived.each("json"))

    def export_csv(self) -> Iterator[bytes]:
        return csv_chunks(self.derived.each("csv_row"))

    def data_pages(self) -> list[Page]:
        actors = self.all_actors()
        return [
            self.data_page([actor.digest for actor in actors]),
            *(
                # every actor's record: written as it is made, redone when any actor changes
                Page(route, None, "", chunks=chunks, deps=actors, in_sitemap=False)
                for route, chunks in (
                    (routes.DATA_JSON, self.export_json),
                    (routes.DATA_CSV, self.export_csv),
                )
            ),
            Page(routes.DATA_SCHEMA, None, "", data=self.schema_json, in_sitemap=False),
        ]

    def data_page(self, actors: Sequence[str]) -> Page:
        """The page of the open data, of the actors of these digests (in catalogue order)."""
        files = {
            "json": Link("acteurs.json", self.url(routes.DATA_JSON)),
            "csv": Link("acteurs.csv", self.url(routes.DATA_CSV)),
            "schema": Link("actor.schema.json", self.url(routes.DATA_SCHEMA)),
        }
        return Page(
            routes.DATA,
            "data.html",
            self.t["data_title"],
            self.t["data_intro"],
            {
                "files": files,
                "count": len(actors),
                "schema_size": file_size(len(self.schema_json)),
            },
            # each file's size and the newest date: from every actor's record, made
            # again whenever any actor changes, as the exports are (one digest of them
            # all: the page shows none of them)
            lazy=self.data_facts,
            deps=(digest("\0".join(actors)),),
        )

    def data_facts(self) -> dict:
        """The size of each export, in bytes as its chunks make it (the schema's is in the
        page's context), and the date of the data (the newest `updated` of the records,
        "" if none has one); from `export_facts` if an edit rebuild gave them."""
        if self.export_facts is not None:
            return self.data_facts_text(*self.export_facts)
        newest = ""
        json_size = 0
        for position, record in enumerate(self.derived.each("json")):
            json_size += len(json_array_item(position, record))
            if found := _UPDATED.search(record):
                newest = max(newest, found[1].decode())
        json_size += len(b"]\n") if json_size else len(b"[]\n")
        rows = self.derived.each("csv_row")
        csv_size = len(csv_header()) + sum(len(csv_row_chunk(n, row)) for n, row in enumerate(rows))
        sizes = {"json": json_size, "csv": csv_size}
        return self.data_facts_text(sizes, date.fromisoformat(newest) if newest else None)

    def data_facts_text(self, sizes: dict[str, int], when: date | None) -> dict:
        return {
            "sizes": {name: file_size(n) for name, n in sizes.items()},
            "data_date": long_date(when, self.settings.language) if when else "",
        }

    def search(self) -> Page:
        facets = {
            name: tuple(
                Link(t.label, self.url(routes.term(t)), self.count(t))
                for t in self.vocabularies.terms(name)
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
        """The most recently updated actors (`newest`), or of `actors` (the few an edit
        rebuild found to be the most recent: build/edit_pages.py)."""
        dated = self.newest() if actors is None else newest(actors, self.settings.feed_size)
        entries = tuple((a, self.absolute(routes.actor(a.slug))) for a in dated)
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
        """The sitemap of `entries` (from pages.sitemap_entries)."""
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
