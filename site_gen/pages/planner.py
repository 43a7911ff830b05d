"""Turn the catalogue into the list of pages to write: each page's route, template, context.

Templates see only the view records the planner builds (views.py), never the raw files.
The planner is made of one part per kind of page: actor_pages, list_pages and site_pages,
on the common ground of planner_base.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from site_gen.content.config import Settings
from site_gen.content.model import Catalogue
from site_gen.errors import ContentError, Problem
from site_gen.i18n import _
from site_gen.pages import routes
from site_gen.pages.actor_pages import ActorPages
from site_gen.pages.cms import admin_headers
from site_gen.pages.derived import Derived
from site_gen.pages.home_pages import HomePages
from site_gen.pages.indexes import index_catalogue
from site_gen.pages.info_pages import InfoPages
from site_gen.pages.list_pages import LETTERS, ListPages
from site_gen.pages.security import headers_file
from site_gen.pages.site_pages import SitePages
from site_gen.pages.views import Page


# Parts of one class, not functions given the planner: a page's lazy context is a method
# of the planner, which its key and recipe hold by name (incremental.py), and quick_pages.py
# reads a recipe back with a planner of its own in its place.
class PagePlanner(ActorPages, ListPages, HomePages, InfoPages, SitePages):
    """Builds every page of a catalogue; one instance per build. `last`: the index of
    the planner of an earlier version of the catalogue, reused if it fits (see
    indexes.index_catalogue)."""

    def pages(self) -> list[Page]:
        pages = self.home()
        pages.append(self.choose())
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
        for client_type, listed in self.client_types().items():
            pages += self.client_type(client_type, listed)
        pages += self.data_pages()
        pages += self.info_pages()
        pages += [self.search(), self.not_found(), self.feed()]
        headers = headers_file() + admin_headers(self.settings.cms, self.settings.base_path)
        pages.append(Page(routes.HEADERS, None, "", data=headers, in_sitemap=False))
        pages += [self.sitemap(sitemap_entries(pages)), self.robots()]
        return pages


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
) -> list[Page]:
    """Every page of the site, in a stable order; two pages never share a route."""
    index = index_catalogue(settings, catalogue, workers, cache_dir)
    planner = PagePlanner(settings, catalogue, schema_json, derived, index)
    pages = planner.pages()
    check_routes(pages)
    return pages
