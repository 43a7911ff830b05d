"""Markdown → sanitized HTML. Knows nothing about actors.

The engine is cmark-gfm (GitHub's CommonMark, via cmarkgfm), the sanitizer nh3 (Rust ammonia).
cmark-gfm passes raw HTML through so that nh3 alone decides what survives, and removes a
<script> with its content rather than leaving the code as visible text.
"""

from __future__ import annotations

import re

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options
from markupsafe import Markup

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "abbr",
    "q",
    "cite",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "code",
    "pre",
    "a",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "h1",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "ol": {"start"},
    "th": {"scope"},
    "td": set(),
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
_HEADING = re.compile(r"<(/?)h([1-6])\b")


CMARK_OPTIONS = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_VALIDATE_UTF8
# GitHub's extensions minus "tagfilter", which would escape a <script> into visible text
# instead of letting nh3 remove it with its content.
CMARK_EXTENSIONS = ["table", "strikethrough", "autolink"]


# Built once: nh3.clean would turn these sets into the sanitizer's own on every call (half
# its time on our texts).
_SANITIZER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel="noopener",
    # Editors' links must be full addresses: a relative one would point into this site's
    # own folders, where nothing of the editor's lives.
    url_relative="deny",
    strip_comments=True,
)


class MarkdownRenderer:
    """Renders editors' Markdown to HTML that is safe to put in a page.

    Headings are shifted so that a `#` in a description nests under the section that
    holds it (the page keeps one h1 and ordered headings). Results are remembered: the
    same text shows on a profile, in the exports and on client pages.
    """

    def __init__(self) -> None:
        self._memo: dict[tuple[str, int], Markup] = {}

    def render(self, source: str, top_heading: int = 3) -> Markup:
        if not source:
            return Markup("")
        key = (source, top_heading)
        if key not in self._memo:
            self._memo[key] = self._render(source, top_heading)
        return self._memo[key]

    def _render(self, source: str, top_heading: int) -> Markup:
        html = cmarkgfm.markdown_to_html_with_extensions(
            source, options=CMARK_OPTIONS, extensions=CMARK_EXTENSIONS
        )
        clean = _SANITIZER.clean(html)
        shift = top_heading - 1
        if shift:
            clean = _HEADING.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + shift, 6)}", clean)
        return Markup(clean)
