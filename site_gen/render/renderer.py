"""Jinja environment and page rendering: a Page in, the bytes of a file out. Never writes."""

from __future__ import annotations

import contextlib
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup

from site_gen import fingerprint
from site_gen.cache import dump_bytes, load_bytes
from site_gen.content.config import Settings
from site_gen.errors import SiteGenError
from site_gen.pages import routes
from site_gen.pages.security import CONTENT_SECURITY_POLICY, REFERRER_POLICY
from site_gen.pages.strings import strings_for
from site_gen.pages.views import Card, Page

STATIC_DIR = "static"
# Cards rendered kept for the next pages that show them; past it, all are forgotten. About
# 1 KB each, every actor's at 100,000 (two heading levels); kept fewer, each render worker
# makes the cards of the related actors again and again (at 40,000: +28 % CPU at 100,000).
CARDS_KEPT = 200_000


class TemplateError(SiteGenError):
    """A template is broken: a developer's mistake, reported with file and line."""


@dataclass(frozen=True)
class Asset:
    """A static file copied to output/ under a content-hashed name (cacheable forever)."""

    source: Path
    route: str
    url: str
    data: bytes


def collect_assets(templates_dir: Path, settings: Settings) -> dict[str, Asset]:
    """Static files by their source name, e.g. assets["style.css"].url."""
    assets = {}
    static = templates_dir / STATIC_DIR
    for path in sorted(static.iterdir()) if static.is_dir() else ():
        if not path.is_file() or fingerprint.is_leftover(path.name):
            continue
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()[:10]
        route = routes.asset(f"{path.stem}.{digest}{path.suffix}")
        assets[path.name] = Asset(path, route, routes.url(settings.base_path, route), data)
    return assets


class SealedBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates in `folder`, sealed (cache_trust.py): code objects are loaded only
    from files this user's builds wrote, never from a .cache/ that came from elsewhere."""

    def __init__(self, folder: Path):
        self.folder = folder

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError, ValueError):
            bucket.bytecode_from_string(load_bytes(self.folder / f"{bucket.key}.sealed"))

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            dump_bytes(self.folder / f"{bucket.key}.sealed", bucket.bytecode_to_string())


def environment(templates_dir: Path, cache_dir: Path | None = None) -> jinja2.Environment:
    """Jinja as our templates need it; with a `cache_dir`, compiled templates are kept
    there (by the hash of their source) instead of being compiled again by every build."""
    bytecode_cache = None
    if cache_dir is not None:
        folder = cache_dir / "templates"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            bytecode_cache = SealedBytecodeCache(folder)
        except OSError:
            pass  # compiling costs a few tenths of a second, nothing more
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        autoescape=jinja2.select_autoescape(("html", "xml"), default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # one build, one set of templates: no stat() per page
        bytecode_cache=bytecode_cache,
    )
    env.filters["xml_text"] = xml_text
    return env


# What XML 1.0 does not allow in a document (the feed would not be well-formed): C0
# controls but tab and line ends, lone surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: object) -> str:
    """The `xml_text` filter: a text as an XML document may hold it (the content's checks
    refuse these characters already; a setting or a template's string could bring one)."""
    return _NOT_XML.sub("\ufffd", str(value))


class Renderer:
    """Renders pages with the context every template can rely on:

    - `site`: the Settings (title, description, base_url, base_path, language)
    - `page`: the Page (route, title, description) and `canonical_url`
    - `t`: the UI strings of the site's language; `assets`: static files by source name
    - `nav`: the main navigation links (label, url, route)
    - `home_url`, `search_url`, `feed_url`, `data_url`; `info_urls`: the footer's pages
      by name (routes.INFO_PAGES); `security`: the CSP and referrer policy
    - `render_card(card, heading_level)`: an actor's card from partials/cards.html, memoized
    - everything in `page.context`
    """

    def __init__(
        self,
        templates_dir: Path,
        settings: Settings,
        assets: dict[str, Asset],
        cache_dir: Path | None = None,
    ):
        self.made_from = (templates_dir, settings, assets, cache_dir)
        self.env = environment(templates_dir, cache_dir)
        self.settings = settings
        t = strings_for(settings.language)

        def url(route: str) -> str:
            return routes.url(settings.base_path, route)

        self.globals = {
            "site": settings,
            "t": t,
            "assets": {name: a.url for name, a in assets.items()},
            "home_url": url(routes.HOME),
            "search_url": url(routes.SEARCH),
            "feed_url": url(routes.FEED),
            "data_url": url(routes.DATA),
            "info_urls": {name: url(route) for name, route in routes.INFO_PAGES.items()},
            "nav": tuple(
                (t[key], url(route), route)
                for key, route in (
                    ("nav_catalogue", routes.HOME),
                    ("nav_territories", routes.vocabulary("territories")),
                    ("nav_contexts", routes.vocabulary("contexts")),
                    ("nav_clients", routes.CLIENTS),
                    ("nav_data", routes.DATA),
                )
            ),
            "security": {
                "content_security_policy": CONTENT_SECURITY_POLICY,
                "referrer_policy": REFERRER_POLICY,
            },
        }

        cards_module = self.env.get_template("partials/cards.html").make_module(self.globals)
        card_macro = cards_module.card
        rendered_cards: dict[tuple[Card, int], Markup] = {}

        def render_card(card: Card, heading_level: int) -> Markup:
            key = (card, heading_level)
            if key not in rendered_cards:
                if len(rendered_cards) >= CARDS_KEPT:
                    rendered_cards.clear()
                rendered_cards[key] = Markup(card_macro(card, heading_level).strip("\n"))
            return rendered_cards[key]

        self.globals["render_card"] = render_card

    def __reduce__(self) -> tuple:
        """Sent to a worker, a renderer is made again there from what it was made from."""
        return Renderer, self.made_from

    def render(self, page: Page) -> bytes:
        if page.data is not None:
            return page.data
        if page.chunks is not None:
            return b"".join(page.chunks())
        extra = page.lazy() if page.lazy is not None else {}
        if isinstance(extra, bytes):
            return extra
        try:
            template = self.env.get_template(page.template)
            html = template.render(
                self.globals,
                page=page,
                canonical_url=self.settings.base_url + page.route,
                **page.context,
                **extra,
            )
        except jinja2.TemplateSyntaxError as error:
            raise TemplateError(
                f"{error.filename}:{error.lineno}: template error: {error.message}"
            ) from error
        except jinja2.TemplateError as error:
            raise TemplateError(
                f"template {page.template} (page /{page.route}): {error}"
            ) from error
        return html.encode("utf-8")
