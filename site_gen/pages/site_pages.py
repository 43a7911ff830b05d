"""The pages and files of the site as a whole, one of each: the data page and the
exports, the search page, the feed, the 404 page, the sitemap and robots.txt."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from site_gen.content.model import Actor
from site_gen.pages import routes
from site_gen.pages.exports import csv_chunks, json_array_chunks
from site_gen.pages.planner_base import PlannerBase
from site_gen.pages.views import Link, Page


class SitePages(PlannerBase):
    """The planner's part that makes the site-wide pages and files."""

    def export_json(self) -> Iterator[bytes]:
        return json_array_chunks(self.derived.each("json"))

    def export_csv(self) -> Iterator[bytes]:
        return csv_chunks(self.derived.each("csv_row"))

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
        """The most recently updated of `actors` (every actor by default; quick_pages.py gives
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


def feed_order(actor: Actor) -> tuple[date, int]:
    """The feed lists the actors by this, highest first."""
    assert actor.updated is not None
    return actor.updated, actor.id
