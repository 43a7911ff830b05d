import os

import cmarkgfm
import pytest

from site_gen.content import markdown
from site_gen.content.markdown import MarkdownRenderer


@pytest.fixture(scope="module")
def render():
    return MarkdownRenderer().render


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
        '<img src=x onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](&#106;avascript:alert(1))",
        '<a href="&#x6A;avascript&#x3A;alert(1)">x</a>',
        '<a href=" javascript:alert(1)">x</a>',
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        '<div onclick="alert(1)">x</div>',
        "<svg><script>alert(1)</script></svg>",
        '<iframe src="https://evil.example"></iframe>',
        "<style>body{display:none}</style>",
    ],
)
def test_dangerous_markup_never_survives(render, source):
    html = str(render(source)).lower()
    assert "<script" not in html
    assert "javascript:" not in html
    assert "data:" not in html
    assert " on" not in html.replace(' rel="noopener"', "")
    assert "<iframe" not in html and "<style" not in html


def test_links_keep_their_address_and_get_noopener(render):
    html = render("Voir [le site](https://www.exemple.fr).")
    assert '<a href="https://www.exemple.fr" rel="noopener">le site</a>' in html


def test_lists_paragraphs_and_emphasis_are_kept(render):
    html = render("Intro **forte**\n\n- un\n- deux\n")
    assert "<strong>forte</strong>" in html
    assert "<li>un</li>" in html


def test_headings_nest_under_the_section(render):
    html = render("# Titre\n\n## Sous-titre", top_heading=3)
    assert "<h3>Titre</h3>" in html and "<h4>Sous-titre</h4>" in html


def test_only_the_attributes_allowed_on_a_tag_are_kept(render):
    html = str(render('<p title="x" lang="en" class="big">Hello</p>\n\n<abbr title="t">A</abbr>'))
    assert html == '<p lang="en">Hello</p>\n<p><abbr title="t">A</abbr></p>\n'


def test_empty_source_gives_empty_html(render):
    assert render("") == ""


def test_relative_links_lose_their_address(render):
    html = render("[page](autre.html) [racine](/acteurs/) [ancre](#x) [web](https://e.fr)")
    assert 'href="autre.html"' not in html and 'href="/acteurs/"' not in html
    assert 'href="#x"' not in html
    assert '<a href="https://e.fr" rel="noopener">web</a>' in html


SAMPLES = [
    "# Titre\n\nUn *texte* avec **gras** et un [lien](https://exemple.fr).",
    "| Année | Commune |\n|---|---|\n| 2021 | Lyon |\n\n~~barré~~ et www.exemple.fr",
    "- un\n- deux\n\n1. trois\n\n> citation\n\n```\ncode <b>\n```",
    "<p onclick='x'>brut</p> é à ç œ ’ — ½",
    "",
]


@pytest.mark.parametrize("source", SAMPLES)
def test_html_is_what_cmarkgfm_makes(source):
    expected = cmarkgfm.markdown_to_html_with_extensions(
        source, options=markdown.CMARK_OPTIONS, extensions=markdown.CMARK_EXTENSIONS
    )
    assert markdown.to_html(source) == expected


def resident_megabytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 2**20


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="needs Linux's /proc")
def test_rendering_many_texts_does_not_grow_the_memory():
    """cmarkgfm's own function loses the tree and the HTML of every text (~60 MB here): the
    derive workers of a 100,000-actor catalogue grew to 1.2 GB each."""
    texts = [f"{SAMPLES[0]}\n\n{SAMPLES[1]}\n\n{SAMPLES[2]}\n\nTexte {n}." * 4 for n in range(5000)]
    markdown.to_html(texts[0])
    before = resident_megabytes()
    for text in texts:
        markdown.to_html(text)
    assert resident_megabytes() - before < 15
