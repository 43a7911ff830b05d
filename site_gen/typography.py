"""French typography for what readers read: typographic apostrophes, a narrow no-break
space before ; ! ? and », a no-break space before : and inside « » (the Imprimerie
nationale's rules), in plain text (`french`) and in sanitized HTML (`french_html`), never
inside a web address, an e-mail address, an HTML entity or a tag, nor in code."""

from __future__ import annotations

import re

NBSP = "\u00a0"  # before ":" and inside « »
NNBSP = "\u202f"  # before ";", "!" and "?"

# What the rules must never touch: web and e-mail addresses, HTML entities.
_PROTECTED = re.compile(
    r"(?:https?://|ftp://|mailto:|tel:|www\.)[^\s<>\"]*[^\s<>\"'.,;:!?)»]"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+\d*);"
)
_SPACES = "[ \u00a0\u202f\t]"
# Each rule with the character it needs: a rule whose character the text lacks is skipped.
_RULES = (
    ("'", re.compile(r"(?<=\w)'(?=\w)"), "’"),  # l'eau, aujourd'hui
    ("'", re.compile(r"(?<=[^\W\d_])'(?=\s|$)"), "’"),  # an elision at a word's end (rare)
    (";!?", re.compile(rf"{_SPACES}*([;!?])"), NNBSP + r"\1"),
    (":", re.compile(rf"{_SPACES}+:"), NBSP + ":"),
    (":", re.compile(r"(?<=[^\W\d_]):(?=\s)"), NBSP + ":"),  # "Note: …" → "Note : …"
    ("«", re.compile(rf"«{_SPACES}*"), "«" + NBSP),
    ("»", re.compile(rf"{_SPACES}*»"), NBSP + "»"),
)
# A run of "?!" or "!!" keeps one space, before the first sign.
_DOUBLED = re.compile(f"([;!?]){NNBSP}(?=[;!?])")


# Every rule starts at one of these: a text holding none is left as it is, at once.
_TRIGGERS = re.compile("[';!?:«»]")


def french(text: str) -> str:
    """`text` (plain text) with French typography; addresses and entities as they were."""
    if not text or not _TRIGGERS.search(text):
        return text
    pieces = []
    last = 0
    for match in _PROTECTED.finditer(text):
        pieces.append(_apply(text[last : match.start()]))
        pieces.append(match.group())
        last = match.end()
    pieces.append(_apply(text[last:]))
    return "".join(pieces)


def _apply(text: str) -> str:
    if not text:
        return text
    for needed, pattern, replacement in _RULES:
        if any(character in text for character in needed):
            text = pattern.sub(replacement, text)
    return _DOUBLED.sub(r"\1", text) if NNBSP in text else text


_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>|<!--.*?-->", re.DOTALL)
_VERBATIM = frozenset({"code", "pre", "kbd", "samp", "script", "style"})


def french_html(html: str) -> str:
    """Sanitized HTML with `french` applied to its text, outside tags (so never in an
    attribute: links keep their addresses) and outside code, pre, kbd and samp."""
    pieces = []
    last = 0
    verbatim = 0
    for match in _TAG.finditer(html):
        text = html[last : match.start()]
        pieces.append(text if verbatim else french(text))
        pieces.append(match.group())
        name = (match.group(2) or "").lower()
        if name in _VERBATIM:
            verbatim = max(0, verbatim + (-1 if match.group(1) else 1))
        last = match.end()
    tail = html[last:]
    pieces.append(tail if verbatim else french(tail))
    return "".join(pieces)
