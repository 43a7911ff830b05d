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
_LINK = re.compile(r'\s(?:href|src)="([^"]*)"')
_ID = re.compile(r'\sid="([^"]*)"')


class LinkChecker:
    """Collects the links and ids of pages as they are rendered, then verifies them.

    Pages go through one at a time, so the site never needs to be in memory at once; each
    distinct href is stored once (interned) and checked once.
    """

    def __init__(self, base_path: str):
        self.base_path = base_path
        self.existing: set[str] = set()
        self.ids: dict[str, set[str]] = {}
        self.links: dict[str, tuple[str, ...]] = {}

    def add(self, path: str, data: bytes) -> None:
        self.existing.update((path, routes.route_of_path(path)))
        if path.endswith(".html"):
            html = data.decode("utf-8")
            self.ids[routes.route_of_path(path)] = {sys.intern(i) for i in _ID.findall(html)}
            self.links[path] = tuple(dict.fromkeys(sys.intern(h) for h in _LINK.findall(html)))

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
