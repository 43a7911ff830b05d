"""Markdown → sanitized HTML. Knows nothing about actors; the sanitizer is nh3 (Rust ammonia)."""

from __future__ import annotations

import re

import markdown as markdown_lib
import nh3
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


class MarkdownRenderer:
    """Renders editors' Markdown to HTML that is safe to put in a page.

    Headings are shifted so that a `#` in a description nests under the section that
    holds it (the page keeps one h1 and ordered headings).
    """

    def __init__(self) -> None:
        self._markdown = markdown_lib.Markdown(extensions=["sane_lists"], output_format="html")

    def render(self, source: str, top_heading: int = 3) -> Markup:
        if not source:
            return Markup("")
        html = self._markdown.reset().convert(source)
        clean = nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=URL_SCHEMES,
            link_rel="noopener",
            strip_comments=True,
        )
        shift = top_heading - 1
        if shift:
            clean = _HEADING.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + shift, 6)}", clean)
        return Markup(clean)
