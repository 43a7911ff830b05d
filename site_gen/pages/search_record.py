"""An actor's record for the search index (search.py), and the words of a text.

The words are folded and split as the search page (templates/static/search.js) folds and
splits a query: the folding rules and the stop words are sent to it in meta.json, so both
sides agree. A record holds an actor's terms by weight, what a result shows and its facet
values; it is made on every core, once per actor (derived.py keeps it between builds).
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from html import unescape

from site_gen.content.config import Settings
from site_gen.content.model import Actor
from site_gen.pages import routes
from site_gen.pages.strings import strings_for
from site_gen.text import sort_key

FACETS = {"territories": "territoire", "contexts": "contexte", "commons": "communs"}
# Field weights, the most important last: a term takes the weight of the best field it is in.
BODY, TITLES, MAIN, NAME = 1, 2, 3, 4
WEIGHTS = (BODY, TITLES, MAIN, NAME)
# Seventy words read better as one text than as a list of one word per line.
STOP_WORDS = (  # noqa: SIM905
    "afin ainsi au aux avec ce ces cet cette comme dans de des du elle elles en est et etre "
    "eux il ils je la le les leur leurs lui ma mais me meme mes moi mon ne nos notre nous on "
    "ont ou par pas pour qu que qui sa se ses son sont sur ta te tes toi ton tu un une vos "
    "votre vous"
).split()
# Folding: NFKD, lower case, these combining marks removed, these letters spelt out (the
# ligatures, and the Greek final sigma, whose lower case depends on the next letter).
MARKS = r"\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
LETTERS = {"œ": "oe", "æ": "ae", "ß": "ss", "ς": "σ"}
MIN_LENGTH = 2  # characters; shorter words are not indexed

_MARKS = re.compile(f"[{MARKS}]")
_WORD = re.compile(rf"[^\W_]{{{MIN_LENGTH},}}")  # letters and digits, as \p{L}\p{N} in JS
# bytes.translate table: ASCII other than letters and digits → space, other bytes unchanged
_ASCII_SEPARATORS = bytes(c if chr(c).isalnum() else 32 for c in range(128)) + bytes(
    range(128, 256)
)
_TOO_SHORT = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_DROPPED = frozenset(STOP_WORDS) | _TOO_SHORT
_TAG = re.compile(r"<[^>]*>")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_URL = re.compile(r"\bhttps?://\S+")
# Markdown's signs of emphasis, headings, quotes and tables, left out of excerpts: these
# characters, and underscores at a word's start or end (the pattern starts at "_": one
# starting with a lookbehind would be tried at every position of every text).
_MARKUP = re.compile(r"[*`#>\[\]|]+")
_UNDERSCORES = re.compile(r"_(?<!\w_)_*|_+(?!\w)")
# The fields an excerpt can come from (search.js names them with strings of strings.py).
SERVICE, EXPERIENCE, CLIENTS, ABOUT = "service", "experience", "clients", "about"


def fold(text: str) -> str:
    """Lower case without accents or ligatures ("Œuvre Élue" → "oeuvre elue"): for words,
    what text.fold gives, and what search.js's fold gives for a query."""
    text = unicodedata.normalize("NFKD", text).lower()
    if text.isascii():
        return text
    for mark in "\u0301\u0300\u0302\u0308\u0327":  # é è ê ë ç: str.replace is quick
        if mark in text:
            text = text.replace(mark, "")
    if _MARKS.search(text):
        text = _MARKS.sub("", text)
    for letter, spelling in LETTERS.items():
        if letter in text:
            text = text.replace(letter, spelling)
    return text


def terms_of(text: str) -> set[str]:
    """The distinct terms of a text: its words of MIN_LENGTH letters or digits or more,
    folded (stop words included).

    The text is split at ASCII separators with bytes.translate and split, in C; only the
    pieces with other characters go through fold and _WORD, each once per process
    ("l’éco-quartier" → "l’éco", "quartier"; "l’éco" → "eco"). 1.7 times faster than
    folding the text, then splitting it with a regular expression, for the same terms.
    """
    data = text.encode().lower().translate(_ASCII_SEPARATORS)
    if data.isascii():
        return set(data.decode().split()) - _TOO_SHORT
    found: set[str] = set()
    for piece in set(data.split()):
        if piece.isascii():
            found.add(piece.decode())
        else:
            found |= _terms_of_piece(piece)
    return found - _TOO_SHORT


@lru_cache(maxsize=1 << 16)
def _terms_of_piece(piece: bytes) -> frozenset[str]:
    return frozenset(_WORD.findall(fold(piece.decode())))


def _plain(markdown: str) -> str:
    """The words of Markdown source: tags, link targets and URLs left out, entities read.

    Rendering to HTML first would cost five times as much for the same words."""
    if "<" in markdown:
        markdown = _TAG.sub(" ", markdown)
    if "](" in markdown:
        markdown = _LINK_TARGET.sub(" ", markdown)
    if "://" in markdown:
        markdown = _URL.sub(" ", markdown)
    return unescape(markdown) if "&" in markdown else markdown


def _readable(markdown: str) -> str:
    """The text of Markdown source as a reader sees it, on one line: for excerpts."""
    text = _plain(markdown)
    if "_" in text:
        text = _UNDERSCORES.sub("", text)
    return " ".join(_MARKUP.sub("", text).split())


def encoded(value: object) -> bytes:
    """`value` as every file of the index holds it: compact UTF-8 JSON, keys sorted."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def texts(actor: Actor) -> list[list[str]]:
    """The passages an excerpt can be taken from: [field, label, text] for each service
    (its title; its tagline and description), each experience (its client and title; its
    description), the list of clients and the about text, those with a text only."""
    found = [
        [SERVICE, s.title, " — ".join(filter(None, (s.tagline, _readable(s.description))))]
        for s in actor.services
    ]
    found += [
        [EXPERIENCE, " — ".join(filter(None, (e.client, e.title))), _readable(e.description)]
        for e in actor.experiences
    ]
    found.append([CLIENTS, "", ", ".join(actor.clients)])
    found.append([ABOUT, "", _readable(actor.about)])
    return [item for item in found if item[2]]


def record(settings: Settings, actor: Actor) -> dict:
    """An actor's terms by weight, what a result shows, the passages of its excerpts
    (`texts`, as texts/<id>.json holds them: encoded once, in derive's workers, they are
    bytes for the search stage to write) and its facet values.

    `terms` holds one string per weight (BODY first), the distinct terms of that weight
    separated by spaces: a tenth of the memory of a dict, for 10,000 records held at once.
    The words of Markdown are read from its source (_plain), without rendering it.
    Pure: the same actor, base path and language give an equal record, so records can be
    kept between builds by actor.
    """
    territories = [t.label for t in actor.territories]
    contexts = [t.label for t in actor.contexts]
    fields: dict[int, list[str]] = {
        NAME: [actor.name],
        MAIN: [actor.summary, actor.legal_form, actor.city, *territories, *contexts],
        TITLES: [*actor.clients],
        BODY: [_plain(actor.about)],
    }
    for service in actor.services:
        fields[TITLES] += [service.title, service.tagline]
        fields[BODY].append(_plain(service.description))
    for experience in actor.experiences:
        fields[TITLES] += [experience.client, experience.title]
        fields[BODY].append(_plain(experience.description))
    by_weight = []
    taken = set(_DROPPED)
    for weight in reversed(WEIGHTS):  # a term takes the highest weight it has
        found = terms_of("\n".join(fields[weight])) - taken
        taken |= found
        by_weight.append(" ".join(sorted(found)))
    facets = {FACETS["territories"]: territories, FACETS["contexts"]: contexts}
    if actor.commons is not None:
        yes_no = strings_for(settings.language)["commons_yes" if actor.commons else "commons_no"]
        facets[FACETS["commons"]] = [yes_no]
    return {
        "id": actor.id,
        "doc": [
            routes.url(settings.base_path, routes.actor(actor.slug)),
            actor.name,
            actor.summary,
            ", ".join(territories),
            ", ".join(contexts),
        ],
        "texts": encoded(texts(actor)),
        "sort": sort_key(actor.name)[0],  # French alphabetical order, as on the site's lists
        "facets": {name: values for name, values in facets.items() if values},
        "terms": tuple(reversed(by_weight)),
    }
