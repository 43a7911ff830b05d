"""Text helpers shared by the stages: French sort keys, folding, slugs, nearest matches."""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import lru_cache

from slugify import slugify as _slugify

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})


# The combining marks of Latin letters, all of class > 0 (U+034F, the grapheme joiner, is 0):
# removed in C before the characters of other scripts are looked at one by one.
_LATIN_MARKS = re.compile("[\u0300-\u034e\u0350-\u036f]")
_NOT_SORTED = re.compile(r"[^\w ]|_")  # \w is what str.isalnum() keeps, and "_"


def fold(text: str) -> str:
    """Lower case, accents and ligatures removed: "Écologie" → "ecologie"."""
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    decomposed = _LATIN_MARKS.sub("", decomposed)
    if not decomposed.isascii():
        decomposed = "".join(c for c in decomposed if not unicodedata.combining(c))
    return decomposed.casefold()


def sort_key(text: str) -> tuple[str, str]:
    """French dictionary order: accents and case only break ties, punctuation is ignored."""
    return (_NOT_SORTED.sub("", fold(text)).strip(), text)


def initial(text: str) -> str:
    """The A–Z bar letter a name files under; "#" for names starting with a digit or symbol."""
    for char in sort_key(text)[0]:
        if "a" <= char <= "z":
            return char.upper()
        if char != " ":
            return "#"
    return "#"


@lru_cache(maxsize=65536)
def slugify(text: str) -> str:
    """ASCII words joined by hyphens; an apostrophe separates words ("d’Azur" → "d-azur")."""
    return _slugify(text.replace("’", " ").replace("'", " "), lowercase=True)


def client_key(name: str) -> str:
    """Client names that differ only by case, accents, punctuation or spaces share a key."""
    return slugify(name)


def nearest(word: str, candidates: list[str]) -> str | None:
    """The candidate an editor most likely meant, compared without case and accents."""
    target = fold(word).strip()
    best, best_score = None, 0.6
    for candidate in candidates:
        # Compare with the whole label and with each of its words, so "Urbanism" finds
        # "Urbanisme et aménagement" and "teritories" finds "territories".
        folded = fold(candidate)
        pieces = [folded, *folded.replace("-", " ").split()]
        score = max(difflib.SequenceMatcher(None, target, p).ratio() for p in pieces)
        if score > best_score:
            best, best_score = candidate, score
    return best
