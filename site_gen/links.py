"""Verify the rendered site: every internal link and #fragment points at something written."""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import unescape
from urllib.parse import unquote, urlsplit

from . import routes
from .errors import Problem

# Our templates and the sanitizer always write double-quoted attributes, so a regular
# expression is exact here and far faster than a full HTML parser on 10,000 pages.
_LINK = re.compile(r'\s(?:href|src)="([^"]*)"')
_ID = re.compile(r'\sid="([^"]*)"')


def broken_links(files: Mapping[str, bytes], base_path: str) -> list[Problem]:
    """Problems for links to missing pages or anchors, by output path of the page."""
    ids: dict[str, set[str]] = {}
    html_pages = {
        path: data.decode("utf-8") for path, data in files.items() if path.endswith(".html")
    }
    for path, html in html_pages.items():
        ids[routes.route_of_path(path)] = set(_ID.findall(html))
    existing = {routes.route_of_path(path) for path in files} | set(files)
    problems = []
    verdicts: dict[tuple[str, str], str] = {}  # the same links recur on thousands of pages
    for path, html in sorted(html_pages.items()):
        page_route = routes.route_of_path(path)
        for href in _LINK.findall(html):
            # only same-page fragments depend on the page; other links are checked once
            key = (href, page_route if href.startswith("#") else "")
            if key not in verdicts:
                verdicts[key] = _check(unescape(href), page_route, base_path, existing, ids)
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
