"""The view model: small frozen records that templates read. Built by the planner, no logic here."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from site_gen.content.model import Actor


@dataclass(frozen=True)
class Page:
    """One file of the site, before rendering: a template and its context, or raw data."""

    route: str
    template: str | None
    title: str
    description: str = ""
    context: dict[str, Any] = field(default_factory=dict)
    data: bytes | None = None  # for files that are not rendered (JSON, CSV, images…)
    # Built only when the page is rendered (in a worker), so heavy contexts and exports
    # are never all in memory at once: returns more context, or the file's bytes.
    lazy: Callable[[], dict[str, Any] | bytes] | None = field(default=None, compare=False)
    # What `lazy` or `chunks` depends on besides its arguments and the build's settings and
    # templates (picklable): with them, it tells a rebuild whether the page must be
    # rendered again (incremental.py).
    deps: Any = field(default=None, compare=False, repr=False)
    # For a file too big to hold at once (the exports): its bytes, piece by piece, written
    # as they come by the main process; `deps` as for `lazy`.
    chunks: Callable[[], Iterable[bytes]] | None = field(default=None, compare=False)
    lastmod: str = ""  # ISO date for the sitemap
    in_sitemap: bool = True
    source: str = ""  # the content file responsible for this page, for collision messages
    source_line: int | None = None


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    count: int = 0


@dataclass(frozen=True)
class ClientLink:
    """A client on the clients overview, under the heading of its type."""

    label: str
    url: str
    count: int
    group: str  # its type's label, or the heading of clients without one
    type_url: str = ""  # its type's page


@dataclass(frozen=True)
class Card:
    """An actor as lists show it."""

    name: str
    url: str
    summary: str
    territories: tuple[Link, ...]
    contexts: tuple[Link, ...]
    digest: str = field(default="", compare=False, repr=False)  # its actor's: see Actor.digest


@dataclass(frozen=True)
class Section:
    """A piece of a profile with a heading: a service or an experience."""

    heading: str
    subheading: str
    html: Markup
    url: str = ""  # for experiences: the client's page


@dataclass(frozen=True)
class LogoView:
    url: str
    width: int
    height: int


@dataclass(frozen=True)
class Profile:
    actor: Actor
    services: tuple[Section, ...]
    experiences: tuple[Section, ...]
    about_html: Markup
    clients: tuple[Link, ...]  # each with its type (`Link.label` of `client_types`), if any
    territories: tuple[Link, ...]
    contexts: tuple[Link, ...]
    related: tuple[Card, ...]
    updated_text: str
    logo: LogoView | None
    json_url: str
    json_ld: Markup
    edit_url: str = ""  # "Modifier cette fiche": the web editor or the repository (cms.py)
    phone_url: str = ""  # tel: link, when the number has digits
    client_types: tuple[str, ...] = ()  # the type of each of `clients` ("" for none)
    toc: tuple[Link, ...] = ()  # the sections of a long profile, for its table of contents


@dataclass(frozen=True)
class PageLink:
    number: int
    url: str
    current: bool


@dataclass(frozen=True)
class Pagination:
    """Where a page stands in a paginated list; `pages` holds None for an ellipsis."""

    number: int
    count: int
    previous_url: str
    next_url: str
    pages: tuple[PageLink | None, ...]


@dataclass(frozen=True)
class LetterLink:
    label: str
    url: str  # empty when no actor files under this letter
    current: bool = False


@dataclass(frozen=True)
class ClientActor:
    """An actor on a client's page, with what it did there."""

    card: Card
    experiences: tuple[Section, ...]
