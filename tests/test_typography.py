"""French typography: apostrophes and no-break spaces where a French reader expects them,
never inside addresses, entities, tags or code; on the UI strings and rendered Markdown."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from site_gen.content.markdown import MarkdownRenderer
from site_gen.pages.strings import strings_for
from site_gen.typography import NBSP, NNBSP, french, french_html


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Qui sommes-nous ?", f"Qui sommes-nous{NNBSP}?"),
        ("Qui sommes-nous?", f"Qui sommes-nous{NNBSP}?"),
        ("Vraiment ?!", f"Vraiment{NNBSP}?!"),
        ("Bravo !", f"Bravo{NNBSP}!"),
        ("un ; deux", f"un{NNBSP}; deux"),
        ("Contact : ici", f"Contact{NBSP}: ici"),
        ("Contact: ici", f"Contact{NBSP}: ici"),
        ("« bon »", f"«{NBSP}bon{NBSP}»"),
        ("«bon»", f"«{NBSP}bon{NBSP}»"),
        ("l'eau d'aujourd'hui", "l’eau d’aujourd’hui"),
        ("à 10:30", "à 10:30"),
        ("", ""),
    ],
)
def test_french_typography_of_plain_text(written, expected):
    assert french(written) == expected


@pytest.mark.parametrize(
    "address",
    [
        "https://example.org/a?b=1;c=2&d=l'x",
        "http://example.org/a!b",
        "www.example.org/?q=a:b",
        "mailto:contact@example.org?subject=Bonjour",
        "contact@example.org",
    ],
)
def test_addresses_are_left_as_written(address):
    assert address in french(f"Voir {address} ou ailleurs")


def test_html_entities_are_left_as_written():
    assert french("Tom &amp; Jerry &#39;x&#39; &eacute;") == "Tom &amp; Jerry &#39;x&#39; &eacute;"


def test_markdown_text_gets_it_but_not_code_links_or_attributes():
    html = str(
        MarkdownRenderer().render(
            "L'atelier : voir `a ? b` et [le site ?](https://x.org/?q=l'a;b).\n\n"
            "```\nfor x in y: print('a ; b')\n```\n\n<https://y.org/l'a?x>"
        )
    )
    assert f"L’atelier{NBSP}: voir" in html
    assert "<code>a ? b</code>" in html
    assert f">le site{NNBSP}?</a>" in html
    assert 'href="https://x.org/?q=l\'a;b"' in html or 'href="https://x.org/?q=l&#39;a;b"' in html
    assert "print('a ; b')" in html or "print(&#39;a ; b&#39;)" in html
    assert ">https://y.org/l'a?x</a>" in html


def test_tags_are_never_touched():
    html = '<a title="Note : x" href="https://x.org/?a=1">Lien ?</a>'
    assert french_html(html) == f'<a title="Note : x" href="https://x.org/?a=1">Lien{NNBSP}?</a>'


def test_ui_strings_are_typographed():
    t = strings_for("fr")
    assert t["about"].endswith(f"{NNBSP}?")
    assert "'" not in "".join(t.values())


# --- the rules, written plainly: the quicker code must give what they give -------------------

_SPACE = "[ \u00a0\u202f\t]"
_ADDRESS = re.compile(
    r"(?:https?://|ftp://|mailto:|tel:|www\.)[^\s<>\"]*[^\s<>\"'.,;:!?)»]"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+\d*);"
)
_RULES = (
    (r"(?<=\w)'(?=\w)", "’"),
    (r"(?<=[^\W\d_])'(?=\s|$)", "’"),
    (rf"{_SPACE}*([;!?])", NNBSP + r"\1"),
    (rf"{_SPACE}+:", NBSP + ":"),
    (r"(?<=[^\W\d_]):(?=\s)", NBSP + ":"),
    (rf"«{_SPACE}*", "«" + NBSP),
    (rf"{_SPACE}*»", NBSP + "»"),
    (f"([;!?]){NNBSP}(?=[;!?])", r"\1"),
)
_HTML_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>|<!--.*?-->", re.DOTALL)


def rules(text: str) -> str:
    """Each rule applied in turn to each part of `text` between addresses and entities."""
    parts = re.split(f"({_ADDRESS.pattern})", text)  # text, address, text, …
    for number in range(0, len(parts), 2):
        for pattern, replacement in _RULES:
            parts[number] = re.sub(pattern, replacement, parts[number])
    return "".join(parts)


def rules_html(html: str) -> str:
    """`rules` applied to each text between two tags, but in code."""
    pieces, last, verbatim = [], 0, 0
    for match in _HTML_TAG.finditer(html):
        text = html[last : match.start()]
        pieces += (text if verbatim else rules(text), match[0])
        if (match[2] or "").lower() in {"code", "pre", "kbd", "samp", "script", "style"}:
            verbatim = max(0, verbatim + (-1 if match[1] else 1))
        last = match.end()
    return "".join(pieces) + (html[last:] if verbatim else rules(html[last:]))


_PIECES = st.sampled_from(
    [*"ab1_é²'’:;!?«» \u00a0\u202f\t\n.@&#;/<>\"-", "http://", "www.", "mailto:", "tel:"]
    + ["&amp;", "<p>", "</p>", "<code>", "</code>", "<a href='x:y'>", "</a>", "<!-- a -->"]
)


@settings(max_examples=400)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_french_gives_what_the_rules_give(text):
    assert french(text) == rules(text)


@settings(max_examples=400)
@given(st.lists(_PIECES, max_size=30).map("".join))
@example("L'atelier : <em>voir</em> ! <code>a ? b</code> « x »<a href='https://x.org'>y:</a> z")
def test_french_html_gives_what_the_rules_give_between_tags(html):
    assert french_html(html) == rules_html(html)
