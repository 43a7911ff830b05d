"""French typography for what readers read: typographic apostrophes, a narrow no-break
space before ; ! ? and », a no-break space before : and inside « » (the Imprimerie
nationale's rules), in plain text (`french`) and in sanitized HTML (`french_html`), never
inside a web address, an e-mail address, an HTML entity or a tag, nor in code."""

from __future__ import annotations

import re
from functools import cache
from itertools import chain, pairwise

NBSP = "\u00a0"  # before ":" and inside « »
NNBSP = "\u202f"  # before ";", "!" and "?"

# Between the texts of one HTML document, so that `french_html` sets them all in one call:
# never in sanitized HTML (cmark-gfm and nh3 replace U+0000), and no rule, address or
# entity runs across it, so each text comes out as it would on its own.
_BOUNDARY = "\x00"
# What the rules must never touch: web and e-mail addresses, HTML entities. Each with what
# it cannot match without: the e-mail pattern alone, tried at every letter, would take
# longer than all the rules.
_PROTECTED = (
    (
        ("://", "mailto:", "tel:", "www."),
        r"(?:https?://|ftp://|mailto:|tel:|www\.)[^\s<>\"\x00]*[^\s<>\"'.,;:!?)»\x00]",
    ),
    (("@",), r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    (("&",), r"&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+\d*);"),
)
_SPACES = " \u00a0\u202f\t"  # what a space before a sign may be, replaced by the right one
# The rules, in this order (tests/test_typography.py writes each as one regular expression:
# here each starts at its sign, which the engine finds without trying every position, and
# a sign's spaces are removed with str.rstrip). l'eau, aujourd'hui; an elision at a word's end.
_APOSTROPHE = re.compile(r"'(?:(?<=\w')(?=\w)|(?<=[^\W\d_]')(?=\s|$|\x00))")
_SIGNS = re.compile("([;!?])")  # a narrow space before ; ! ?, spaces before them removed
_LETTER = re.compile(r"[^\W\d_]")  # a space before ":" after spaces or a letter: "Note: …"
_OPENING = re.compile(f"«[{_SPACES}]*")  # a space after «, and before »
# A run of "?!" or "!!" keeps one space, before the first sign.
_DOUBLED = re.compile(f"([;!?]){NNBSP}(?=[;!?])")


# Every rule starts at one of these: a text holding none is left as it is, at once.
_TRIGGERS = re.compile("[';!?:«»]")


def french(text: str) -> str:
    """`text` (plain text) with French typography; addresses and entities as they were."""
    if not text or not _TRIGGERS.search(text):
        return text
    protected = _protected(tuple(any(mark in text for mark in marks) for marks, _ in _PROTECTED))
    if protected is None:
        return _apply(text)
    pieces = []
    last = 0
    for match in protected.finditer(text):
        pieces.append(_apply(text[last : match.start()]))
        pieces.append(match.group())
        last = match.end()
    pieces.append(_apply(text[last:]))
    return "".join(pieces)


@cache
def _protected(present: tuple[bool, ...]) -> re.Pattern[str] | None:
    """What may be protected in a text that holds the marks of these parts of _PROTECTED
    (the others cannot match: leaving them out gives the same matches)."""
    found = [pattern for (_, pattern), there in zip(_PROTECTED, present, strict=True) if there]
    return re.compile("|".join(found)) if found else None


def _apply(text: str) -> str:
    if "'" in text:
        text = _APOSTROPHE.sub("’", text)
    if ";" in text or "!" in text or "?" in text:
        parts = _SIGNS.split(text)  # text, sign, text, …, text
        signs = zip(parts[:-1:2], parts[1::2], strict=True)
        text = "".join(part.rstrip(_SPACES) + NNBSP + sign for part, sign in signs) + parts[-1]
    if ":" in text:
        text = _colons(text)
    if "«" in text:
        text = _OPENING.sub("«" + NBSP, text)
    if "»" in text:
        parts = text.split("»")
        text = "".join(part.rstrip(_SPACES) + NBSP + "»" for part in parts[:-1]) + parts[-1]
    return _DOUBLED.sub(r"\1", text) if NNBSP in text else text


def _colons(text: str) -> str:
    """A no-break space before each ":" that spaces precede (they go), or a letter and a
    space follows ("Note: …", not "10:30" nor "https:")."""
    parts = text.split(":")
    spaced = []
    for before, after in pairwise(parts):  # around each ":"
        kept = before.rstrip(_SPACES)
        if kept != before or (before and _LETTER.match(before[-1]) and after[:1].isspace()):
            kept += NBSP
        spaced.append(kept)
    return ":".join([*spaced, parts[-1]])


_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>|<!--.*?-->", re.DOTALL)
_VERBATIM = frozenset({"code", "pre", "kbd", "samp", "script", "style"})
# Where HTML may open or close one of them (or only mention it, in a comment: then it
# takes the longer way).
_MAY_BE_VERBATIM = re.compile(
    rf"</?(?:{'|'.join(sorted(_VERBATIM))})(?![a-zA-Z0-9])", re.IGNORECASE
)
_TAG_SPLIT = re.compile(f"({_TAG.pattern})", re.DOTALL)  # text, tag, /, name, text, …


def french_html(html: str) -> str:
    """Sanitized HTML with `french` applied to its text, outside tags (so never in an
    attribute: links keep their addresses) and outside code, pre, kbd and samp.

    The texts between tags (dozens in a description) are joined by _BOUNDARY and set in one
    call of `french`, then split again: the same result as one call per text, with the
    work of one call (derive sets every text of every actor)."""
    if not _MAY_BE_VERBATIM.search(html) and _BOUNDARY not in html:  # every text, split in C
        parts = _TAG_SPLIT.split(html)
        texts = french(_BOUNDARY.join(parts[::4])).split(_BOUNDARY)
        return "".join(chain.from_iterable(zip(texts, parts[1::4], strict=False))) + texts[-1]
    pieces = []  # text, tag, text, tag, …, text
    typeset = []  # by text: whether it gets typography (not in code)
    last = 0
    verbatim = 0
    for match in _TAG.finditer(html):
        pieces += (html[last : match.start()], match.group())
        typeset.append(not verbatim)
        name = (match.group(2) or "").lower()
        if name in _VERBATIM:
            verbatim = max(0, verbatim + (-1 if match.group(1) else 1))
        last = match.end()
    pieces.append(html[last:])
    typeset.append(not verbatim)
    at = [2 * number for number, wanted in enumerate(typeset) if wanted and pieces[2 * number]]
    texts = [pieces[index] for index in at]
    if not texts:
        return html
    if _BOUNDARY in html:  # not sanitized HTML: each text alone
        done = [french(text) for text in texts]
    else:
        done = french(_BOUNDARY.join(texts)).split(_BOUNDARY)
    for index, text in zip(at, done, strict=True):
        pieces[index] = text
    return "".join(pieces)
