"""The only owner of URL and output-path rules: every page's address comes from here."""

from __future__ import annotations

import re

from site_gen.content.model import Term

# Routes are relative to the site root: "" is the home page, "acteurs/passages/" a profile.
_SAFE_ROUTE = re.compile(r"^(?:[a-z0-9_][a-z0-9._-]*/)*(?:[a-z0-9_][a-z0-9._-]*)?$")

VOCABULARY_SECTIONS = {"territories": "territoires", "contexts": "contextes"}
HOME = ""
NOT_FOUND = "404.html"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
FEED = "flux.xml"
HEADERS = "_headers"
SEARCH = "recherche/"
SEARCH_BUNDLE = "recherche/index/"  # the search index (search.py): meta.json and its files
CLIENTS = "clients/"
DATA = "donnees/"
DATA_JSON = "donnees/acteurs.json"
DATA_CSV = "donnees/acteurs.csv"
DATA_SCHEMA = "donnees/actor.schema.json"
ADMIN = "admin/"  # the web editor, with a `cms:` block in site.yaml (cms.py)
ADMIN_CONFIG = "admin/config.yml"
CHOOSE = "choisir/"  # the home page's chooser without JavaScript: every pair of terms
ABOUT = "a-propos/"
PROPOSE = "proposer-une-fiche/"
LEGAL = "mentions-legales/"
ACCESSIBILITY = "accessibilite/"
INFO_PAGES = {
    "a-propos": ABOUT,
    "proposer": PROPOSE,
    "mentions-legales": LEGAL,
    "accessibilite": ACCESSIBILITY,
}


def actor(slug: str) -> str:
    return f"acteurs/{slug}/"


def actor_json(slug: str) -> str:
    return f"acteurs/{slug}.json"


def actor_by_id(actor_id: int) -> str:
    return f"acteurs/{actor_id}/"


def letter(letter: str) -> str:
    """A–Z letter pages; "#" (names starting with a digit or a symbol) is "autres"."""
    return "lettres/autres/" if letter == "#" else f"lettres/{letter.lower()}/"


def client(key: str) -> str:
    return f"clients/{key}/"


def client_type(slug: str) -> str:
    """The actors that worked with a client of a type (outside clients/: a client's key
    could be any slug)."""
    return f"types-de-clients/{slug}/"


def term_pair(territory: Term, context: Term) -> str:
    return f"{VOCABULARY_SECTIONS['territories']}/{territory.slug}/{context.slug}/"


def numbered(route: str, page: int) -> str:
    """Page `page` (1-based) of a paginated list starting at `route`."""
    return route if page == 1 else f"{route}page/{page}/"


def logo(slug: str, digest: str, extension: str) -> str:
    return f"logos/{slug}.{digest}{extension}"


def vocabulary(name: str) -> str:
    return f"{VOCABULARY_SECTIONS[name]}/"


def term(term: Term) -> str:
    return f"{VOCABULARY_SECTIONS[term.vocabulary]}/{term.slug}/"


def asset(name: str) -> str:
    return f"assets/{name}"


def url(base_path: str, route: str) -> str:
    """The link to a route as a path from the domain root ("/annuaire/acteurs/x/")."""
    return base_path + route


def output_path(route: str) -> str:
    """Where a route is written under output/: directories get an index.html."""
    if not is_safe(route):
        raise ValueError(f"unsafe route {route!r}")
    return route + "index.html" if route == "" or route.endswith("/") else route


def is_safe(route: str) -> bool:
    """No absolute path, no `..`, nothing but lower-case names: a route cannot leave output/."""
    return bool(_SAFE_ROUTE.match(route)) and ".." not in route.split("/")


def route_of_path(path: str) -> str:
    """Inverse of output_path, for link checking: "acteurs/x/index.html" → "acteurs/x/"."""
    return path[: -len("index.html")] if path.endswith("index.html") else path
