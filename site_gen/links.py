"""Verify the rendered site: every internal link and #fragment points at something written."""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from html import unescape
from urllib.parse import unquote, urlsplit

from . import routes
from .errors import Problem

# Our templates and the sanitizer always write double-quoted attributes, so a regular
# expression is exact here and far faster than a full HTML parser on 10,000 pages.
_LINK = re.compile(rb'\s(?:href|src)="([^"]*)"')
_ID = re.compile(rb'\sid="([^"]*)"')
_NOTHING: frozenset[str] = frozenset()


def extract(path: str, data: bytes) -> tuple[tuple[str, ...], frozenset[str]]:
    """The distinct links and the element ids of a page (nothing for other files).

    Pure, so it runs in the workers that render the pages."""
    if not path.endswith(".html"):
        return (), _NOTHING
    links = tuple(dict.fromkeys(h.decode("utf-8", "replace") for h in _LINK.findall(data)))
    return links, frozenset(i.decode("utf-8", "replace") for i in _ID.findall(data))


class LinkChecker:
    """Collects the links and ids of pages as they are rendered, then verifies them.

    Pages go through one at a time, so the site never needs to be in memory at once; each
    distinct href and id set is stored once (interned) and each href checked once.
    """

    def __init__(self, base_path: str):
        self.base_path = base_path
        self.existing: set[str] = set()
        self.ids: dict[str, frozenset[str]] = {}
        self.links: dict[str, tuple[str, ...]] = {}
        self._id_sets: dict[frozenset[str], frozenset[str]] = {}

    def add(self, path: str, data: bytes) -> None:
        self.add_extracted(path, *extract(path, data))

    def add_extracted(self, path: str, links: tuple[str, ...], ids: frozenset[str]) -> None:
        """A page given by what `extract` found in it; no links: a page verified before."""
        route = routes.route_of_path(path)
        self.existing.update((path, route))
        if path.endswith(".html"):
            self.ids[route] = self._id_sets.setdefault(ids, ids)
            if links:
                self.links[path] = tuple(sys.intern(h) for h in links)

    def problems(self) -> list[Problem]:
        """Problems for links to missing pages or anchors, by output path of the page."""
        problems = []
        verdicts: dict[tuple[str, str], str] = {}  # the same links recur on thousands of pages
        for path, hrefs in sorted(self.links.items()):
            page_route = routes.route_of_path(path)
            for href in hrefs:
                # only same-page fragments depend on the page; other links are checked once
                key = (href, page_route if href.startswith("#") else "")
                if key not in verdicts:
                    verdicts[key] = _check(
                        unescape(href), page_route, self.base_path, self.existing, self.ids
                    )
                if verdicts[key]:
                    problems.append(
                        Problem(
                            f"output/{path}",
                            None,
                            f"broken link {href!r}: {verdicts[key]}",
                            "A template or a route builds a wrong address.",
                        )
                    )
        return problems


def broken_links(files: Mapping[str, bytes], base_path: str) -> list[Problem]:
    """The problems of a whole site given at once (see LinkChecker)."""
    checker = LinkChecker(base_path)
    for path, data in files.items():
        checker.add(path, data)
    return checker.problems()


def _check(
    href: str, page_route: str, base_path: str, existing: set[str], ids: dict[str, set[str]]
) -> str:
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return ""  # external: listed and checked elsewhere, never during a build
    if not parts.path:
        route = page_route  # "#fragment" on the same page
    elif not parts.path.startswith(base_path):
        return f"does not start with the site's base path {base_path!r}"
    else:
        route = unquote(parts.path[len(base_path) :])
    if route not in existing:
        return "no such page"
    if parts.fragment and parts.fragment not in ids.get(route, set()):
        return f"no element with id {parts.fragment!r} on that page"
    return ""
