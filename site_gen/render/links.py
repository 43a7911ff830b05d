"""Verify the rendered site: every internal link and #fragment points at something written."""

from __future__ import annotations

import re
import sys
import zlib
from collections.abc import Container, Iterable, Mapping, MutableMapping, Set
from functools import lru_cache
from html import unescape
from urllib.parse import unquote, urlsplit

from site_gen.errors import Problem
from site_gen.i18n import _
from site_gen.pages import routes

# Our templates and the sanitizer always write double-quoted attributes, so a regular
# expression is exact here and far faster than a full HTML parser on 10,000 pages. Each
# starts with its literal (which `re` looks for at C speed) and then checks that a space
# comes before it: four times faster than one pattern starting with \s.
_HREF = re.compile(rb'href="(?<=\shref=")([^"]*)"')
_SRC = re.compile(rb'src="(?<=\ssrc=")([^"]*)"')
_ID = re.compile(rb'id="(?<=\sid=")([^"]*)"')
_NOTHING: frozenset[str] = frozenset()
# What makes a link more than a plain path of the site: a scheme or a host (":" or "//"),
# a query, a fragment, an escape or an entity; such links go through urlsplit (_check).
_SPECIAL = re.compile(r"[:?#%&]|//")


def extract(path: str, data: bytes) -> tuple[tuple[str, ...], frozenset[str]]:
    """The distinct links and the element ids of a page (nothing for other files).

    Pure, so it runs in the workers that render the pages."""
    if not path.endswith(".html"):
        return (), _NOTHING
    found = (*_HREF.findall(data), *_SRC.findall(data))
    links = tuple(dict.fromkeys(h.decode("utf-8", "replace") for h in found))
    return links, frozenset(i.decode("utf-8", "replace") for i in _ID.findall(data))


def may_link_to(data: bytes, routes: Iterable[bytes]) -> bool:
    """Whether a page may link to one of `routes` (as bytes), told without extracting its
    links. A link into the site is the base path and then the route, or the path of its
    file, which starts with the route: the route is in the page's bytes as it is, since it
    holds only characters that neither HTML nor URLs escape (routes.is_safe), unless a
    percent escape was written by hand (then the page's links are read, to be sure)."""
    return b"%" in data or any(route in data for route in routes)


SIGNATURE_BITS = 512  # 64 bytes a page, whose 30–70 links set 6–13 % of them


def signature(links: Iterable[str], base_path: str) -> int:
    """The pages a page links to (its links, from `extract`), folded into an int: for
    each, one bit chosen by its route. Whether a page may link to some routes is then
    told without reading it: only if its signature has a bit of theirs (see `bits_of`),
    which 3–5 % of the pages of a generated site of 10,000 actors have by chance for
    a given route."""
    found = 0
    for href in links:
        found |= _link_bit(href, base_path)
    return found


def bits_of(routes: Iterable[str]) -> int:
    """The bits of these routes in a signature."""
    found = 0
    for route in routes:
        found |= _route_bit(route)
    return found


def _route_bit(route: str) -> int:
    return 1 << (zlib.crc32(route.encode()) % SIGNATURE_BITS)  # the same in every process


@lru_cache(maxsize=65536)  # most links recur on many pages
def _link_bit(href: str, base_path: str) -> int:
    """The bit of the page `href` points to (0: none of the site's, or the same page)."""
    if not href.startswith(base_path):
        return 0  # another site, a same-page #fragment, mailto:…
    target = href[len(base_path) :]
    if _SPECIAL.search(target):  # a query, a fragment, an escape, a host…: as _check reads it
        parts = urlsplit(unescape(href))
        if parts.scheme or parts.netloc or not parts.path.startswith(base_path):
            return 0
        target = unquote(parts.path[len(base_path) :])
    return _route_bit(routes.route_of_path(target))


def link_targets(paths: Iterable[str]) -> set[str]:
    """What links may point to in a site holding these files: each one's path and route."""
    return {name for path in paths for name in (path, routes.route_of_path(path))}


class _Known:
    """Names known already (never copied: a site may have 100,000 files), and names added."""

    def __init__(self, known: Set[str]):
        self.known, self.added, self.removed = known, set(), set()

    def __contains__(self, name: object) -> bool:
        return name in self.added or (name in self.known and name not in self.removed)

    def update(self, names: Iterable[str]) -> None:
        self.added.update(names)

    def difference_update(self, names: Iterable[str]) -> None:
        names = set(names)
        self.added -= names
        self.removed |= names


class LinkChecker:
    """Checks the links and ids of pages as they are rendered.

    Pages go through one at a time, so the site never needs to be in memory at once. A link
    is checked as soon as it can be: at once when its target is a page the site will have
    (`expect`) or one seen already, and, for a #fragment on another page, once that page's
    ids are known. Only the links still undecided are kept until `problems`; each distinct
    href is checked once.
    """

    def __init__(
        self,
        base_path: str,
        existing: Set[str] = frozenset(),
        ids: MutableMapping[str, frozenset[str]] | None = None,
    ):
        """`existing` and `ids`: what is known already of the site's other pages (the
        paths and routes of its files, the ids of its pages by route)."""
        self.base_path = base_path
        self.existing: set[str] | _Known = _Known(existing) if existing else set()
        self.ids = {} if ids is None else ids
        self.links: dict[str, tuple[tuple[int, str], ...]] = {}  # undecided, by position
        self.found: list[tuple[str, int, str, str]] = []  # path, position, href, verdict
        self._verdicts: dict[str, str] = {}  # the same links recur on every page
        self._id_sets: dict[frozenset[str], frozenset[str]] = {}

    def expect(self, paths: Iterable[str]) -> None:
        """Files the site will have (its pages): links to them need not wait for them."""
        self.existing.update(link_targets(paths))

    def forget(self, names: Iterable[str]) -> None:
        """Files and routes the site no longer has (see link_targets): links to them fail."""
        self.existing.difference_update(names)

    def add(self, path: str, data: bytes) -> None:
        self.add_extracted(path, *extract(path, data))

    def add_extracted(self, path: str, links: tuple[str, ...], ids: frozenset[str]) -> None:
        """A page given by what `extract` found in it; no links: a page verified before."""
        route = routes.route_of_path(path)
        self.existing.update((path, route))
        if not path.endswith(".html"):
            return
        self.ids[route] = self._id_sets.setdefault(ids, ids)
        undecided = []
        for position, href in enumerate(links):
            verdict = self._verdict(href, route, final=False)
            if verdict is None:
                undecided.append((position, sys.intern(href)))
            elif verdict:
                self.found.append((path, position, href, verdict))
        if undecided:
            self.links[path] = tuple(undecided)
        else:
            self.links.pop(path, None)

    def _verdict(self, href: str, page_route: str, final: bool) -> str | None:
        """What is wrong with `href` on the page at `page_route` ("" nothing); None if it
        cannot be told yet (not `final`: a target or its ids may still come)."""
        if href.startswith(self.base_path):
            # a plain path, most links: told at once, and not remembered (most are unique).
            # What is known holds only routes and paths, never a query, a #fragment or an
            # escape: found there, the href is a plain path.
            if href[len(self.base_path) :] in self.existing:
                return ""
            if not _SPECIAL.search(href):
                return _("no such page") if final else None
        # Other links are checked once; a same-page #fragment depends on its page, so it
        # is never remembered (one entry per page).
        remembered = not href.startswith("#")
        verdict = self._verdicts.get(href) if remembered else None
        if verdict is None:
            verdict = _check(
                unescape(href), page_route, self.base_path, self.existing, self.ids, final
            )
            if verdict is not None and remembered:
                self._verdicts[href] = verdict
        return verdict

    def problems(self) -> list[Problem]:
        """Problems for links to missing pages or anchors, by output path of the page."""
        found = list(self.found)
        for path, hrefs in self.links.items():
            page_route = routes.route_of_path(path)
            for position, href in hrefs:
                verdict = self._verdict(href, page_route, final=True)
                if verdict:
                    found.append((path, position, href, verdict))
        return [
            Problem(
                f"output/{path}",
                None,
                _("broken link '{href}': {reason}").format(href=href, reason=verdict),
                _("A template or a route builds a wrong address."),
                code="broken-link",
            )
            for path, _position, href, verdict in sorted(found)
        ]


def broken_links(files: Mapping[str, bytes], base_path: str) -> list[Problem]:
    """The problems of a whole site given at once (see LinkChecker)."""
    checker = LinkChecker(base_path)
    for path, data in files.items():
        checker.add(path, data)
    return checker.problems()


def _check(
    href: str,
    page_route: str,
    base_path: str,
    existing: Container[str],
    ids: Mapping[str, frozenset[str]],
    final: bool = True,
) -> str | None:
    """What is wrong with a link ("" nothing); None when not `final` and the target, or its
    ids, may still come."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return ""  # external: listed and checked elsewhere, never during a build
    if not parts.path:
        route = page_route  # "#fragment" on the same page
    elif not parts.path.startswith(base_path):
        return _("does not start with the site's base path '{path}'").format(path=base_path)
    else:
        route = unquote(parts.path[len(base_path) :])
    if route not in existing:
        return _("no such page") if final else None
    # "#/…" is a route inside a script's page (the web editor's), not an element's id
    if (
        parts.fragment
        and not parts.fragment.startswith("/")
        and parts.fragment not in ids.get(route, ())
    ):
        if not final and route not in ids:
            return None
        return _("no element with id '{id}' on that page").format(id=parts.fragment)
    return ""
