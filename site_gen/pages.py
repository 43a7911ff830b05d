"""Turn the catalogue into the list of pages to render: each page's route, template and context.

This is the view model: templates see only what is built here, never the raw files.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from . import routes
from .config import Settings
from .markdown import MarkdownRenderer
from .model import Actor, Catalogue, Term
from .strings import long_date, strings_for
from .text import initial

LETTERS = tuple("ABCDEFGHIJKLMNOPQRSTUVWXYZ") + ("#",)


@dataclass(frozen=True)
class Page:
    """One file of the site, before rendering."""

    route: str
    template: str
    title: str
    description: str = ""
    context: dict[str, Any] = field(default_factory=dict)
    lastmod: str = ""  # ISO date for the sitemap
    in_sitemap: bool = True


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    count: int = 0


@dataclass(frozen=True)
class Card:
    """An actor as lists show it."""

    name: str
    url: str
    summary: str
    territories: tuple[Link, ...]
    contexts: tuple[Link, ...]


@dataclass(frozen=True)
class Section:
    """A piece of a profile with a heading: a service or an experience."""

    heading: str
    subheading: str
    html: Markup


@dataclass(frozen=True)
class Profile:
    actor: Actor
    services: tuple[Section, ...]
    experiences: tuple[Section, ...]
    about_html: Markup
    territories: tuple[Link, ...]
    contexts: tuple[Link, ...]
    updated_text: str


@dataclass(frozen=True)
class LetterGroup:
    letter: str
    label: str
    anchor: str
    cards: tuple[Card, ...]


class PagePlanner:
    """Builds every page of a catalogue; one instance per build."""

    def __init__(self, settings: Settings, catalogue: Catalogue, markdown: MarkdownRenderer):
        self.settings = settings
        self.catalogue = catalogue
        self.markdown = markdown
        self.t = strings_for(settings.language)
        self.actors_by_term: dict[Term, list[Actor]] = defaultdict(list)
        for actor in catalogue.actors:
            for term in actor.territories + actor.contexts:
                self.actors_by_term[term].append(actor)

    def url(self, route: str) -> str:
        return routes.url(self.settings.base_path, route)

    def term_links(self, terms: tuple[Term, ...]) -> tuple[Link, ...]:
        return tuple(Link(t.label, self.url(routes.term(t))) for t in terms)

    def card(self, actor: Actor) -> Card:
        return Card(
            actor.name,
            self.url(routes.actor(actor.slug)),
            actor.summary,
            self.term_links(actor.territories),
            self.term_links(actor.contexts),
        )

    def pages(self) -> list[Page]:
        pages = [self.home(), self.not_found()]
        pages += [self.profile(actor) for actor in self.catalogue.actors]
        for vocabulary in ("territories", "contexts"):
            pages.append(self.vocabulary(vocabulary))
            pages += [self.term(t) for t in self.catalogue.vocabularies.terms(vocabulary)]
        pages += [self.sitemap(pages), self.robots()]
        return pages

    def home(self) -> Page:
        groups: dict[str, list[Card]] = defaultdict(list)
        for actor in self.catalogue.actors:
            groups[initial(actor.name)].append(self.card(actor))
        letter_groups = tuple(
            LetterGroup(
                letter,
                self.t["letter_other"] if letter == "#" else letter,
                "lettre-autres" if letter == "#" else f"lettre-{letter.lower()}",
                tuple(groups[letter]),
            )
            for letter in LETTERS
        )
        return Page(
            routes.HOME,
            "home.html",
            self.settings.title,
            self.settings.description,
            {"groups": letter_groups, "count": len(self.catalogue.actors)},
        )

    def profile(self, actor: Actor) -> Page:
        render = self.markdown.render
        profile = Profile(
            actor=actor,
            services=tuple(
                Section(s.title, s.tagline, render(s.description, 4)) for s in actor.services
            ),
            experiences=tuple(
                Section(e.client, e.title, render(e.description, 4)) for e in actor.experiences
            ),
            about_html=render(actor.about, 3),
            territories=self.term_links(actor.territories),
            contexts=self.term_links(actor.contexts),
            updated_text=long_date(actor.updated, self.settings.language) if actor.updated else "",
        )
        return Page(
            routes.actor(actor.slug),
            "profile.html",
            actor.name,
            actor.summary,
            {"profile": profile},
            lastmod=actor.updated.isoformat() if actor.updated else "",
        )

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

    def term(self, term: Term) -> Page:
        actors = self.actors_by_term[term]
        heading_key = (
            "term_actors_in_territory"
            if term.vocabulary == "territories"
            else "term_actors_in_context"
        )
        overview = Link(
            self.t[f"{term.vocabulary}_title"], self.url(routes.vocabulary(term.vocabulary))
        )
        return Page(
            routes.term(term),
            "term.html",
            term.label,
            f"{self.t[heading_key]} {term.label}.",
            {
                "term": term,
                "cards": tuple(self.card(a) for a in actors),
                "overview": overview,
                "heading_key": heading_key,
            },
        )

    def not_found(self) -> Page:
        return Page(routes.NOT_FOUND, "404.html", self.t["not_found_title"], in_sitemap=False)

    def sitemap(self, pages: list[Page]) -> Page:
        entries = tuple(
            (self.settings.base_url + p.route, p.lastmod)
            for p in sorted(pages, key=lambda p: p.route)
            if p.in_sitemap
        )
        return Page(
            routes.SITEMAP, "sitemap.xml", "", context={"entries": entries}, in_sitemap=False
        )

    def robots(self) -> Page:
        return Page(
            routes.ROBOTS,
            "robots.txt",
            "",
            in_sitemap=False,
            context={"sitemap_url": self.settings.base_url + routes.SITEMAP},
        )


def plan_pages(settings: Settings, catalogue: Catalogue) -> list[Page]:
    """Every page of the site, in a stable order; two pages never share a route."""
    pages = PagePlanner(settings, catalogue, MarkdownRenderer()).pages()
    seen: set[str] = set()
    for page in pages:
        if page.route in seen:  # routes are built from unique slugs, so this is a bug
            raise AssertionError(f"two pages share the route {page.route!r}")
        seen.add(page.route)
    return pages
