"""The pages and files of the site as a whole, one of each: the data page and the
exports, the search page, the feed, the 404 page, the sitemap and robots.txt."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date

from site_gen.content.model import Actor
from site_gen.pages import routes
from site_gen.pages.exports import (
    csv_chunks,
    csv_header,
    csv_row_chunk,
    json_array_chunks,
    json_array_item,
)
from site_gen.pages.planner_base import PlannerBase
from site_gen.pages.strings import long_date
from site_gen.pages.views import Link, Page

_UPDATED = re.compile(rb'"updated": ?"(\d{4}-\d{2}-\d{2})"')


def file_size(size: int) -> str:
    """A size as French readers read it: 850 octets, 12,4 ko, 3,1 Mo."""
    if size < 1000:
        return f"{size} octets"
    value, unit = (size / 1000, "ko") if size < 1_000_000 else (size / 1_000_000, "Mo")
    return f"{value:.1f}".replace(".", ",") + f"\u00a0{unit}"


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
                {
                    "files": files,
                    "count": len(self.catalogue.actors),
                    "schema_size": file_size(len(self.schema_json)),
                },
                # each file's size and the newest date: from every actor's record, made
                # again whenever any actor changes, as the exports are
                lazy=self.data_facts,
                deps=self.catalogue.actors,
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

    def data_facts(self) -> dict:
        """The size of each export, in bytes as its chunks make it (the schema's is in the
        page's context: a quick rebuild's planner has none), and the date of the
        data (the newest `updated` of the records, "" if none has one)."""
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
        when = date.fromisoformat(newest) if newest else None
        return {
            "sizes": {name: file_size(n) for name, n in sizes.items()},
            "data_date": long_date(when, self.settings.language) if when else "",
        }

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
