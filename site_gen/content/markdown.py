"""Markdown → sanitized HTML. Knows nothing about actors.

The engine is cmark-gfm (GitHub's CommonMark, via cmarkgfm), the sanitizer nh3 (Rust ammonia).
cmark-gfm passes raw HTML through so that nh3 alone decides what survives, and removes a
<script> with its content rather than leaving the code as visible text.
"""

from __future__ import annotations

import ctypes
import re

import nh3
from cmarkgfm import _cmark, cmark
from cmarkgfm.cmark import Options
from markupsafe import Markup

from site_gen.typography import french_html

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
    # On every tag: nh3 would otherwise allow ammonia's default, `lang` and `title`. `lang`
    # marks a passage in another language (WCAG 3.1.2); a title is a tooltip, out of reach
    # of keyboards and phones: only where it is the point (links, abbreviations).
    "*": {"lang"},
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


# Block quotes and HTML elements nested hundreds of thousands deep take cmark-gfm and nh3
# a time that grows with the square of the depth (minutes, under the 1 MB file limit).
MAX_NESTING = 100
# a quote marker, or a list marker (followed by a space or the end of the line: not ---)
_CONTAINERS = re.compile(r"[ \t]*(?:(?:>|(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$))[ \t]*)+", re.ASCII)
_MARKER = re.compile(r">|[-+*]|\d{1,9}[.)]", re.ASCII)
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?:[^<>]*?(/?))>")
_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


def nesting(source: str) -> int:
    """How deep `source` nests blocks: the most block quotes and list items opened on one
    line, or the most HTML elements open at once, whichever is deeper."""
    deepest = 0
    for line in source.split("\n"):
        if (found := _CONTAINERS.match(line)) and found.end() > 1:
            deepest = max(deepest, len(_MARKER.findall(found[0])))
    if "<" in source:
        depth = 0
        for closing, name, self_closing in _TAG.findall(source):
            if closing:
                depth = max(depth - 1, 0)
            elif not self_closing and name.lower() not in _VOID:
                depth += 1
                deepest = max(deepest, depth)
    return deepest


class _Allocator(ctypes.Structure):  # cmark_mem, as cmark.h declares it
    _fields_ = [
        ("calloc", ctypes.c_void_p),
        ("realloc", ctypes.c_void_p),
        ("free", ctypes.CFUNCTYPE(None, ctypes.c_void_p)),
    ]


# cmarkgfm's markdown_to_html_with_extensions (2025.10.22, the latest) frees the parser but
# neither the document's tree nor the HTML it renders: ~5 KB lost per text, 2.4 GB in the
# workers that make the HTML of 100,000 actors. `to_html` takes the same steps and frees
# both, with cmark-gfm's own functions, which the library's module exports.
_NATIVE = ctypes.CDLL(_cmark.__file__)
_NATIVE.cmark_node_free.argtypes = [ctypes.c_void_p]
_NATIVE.cmark_node_free.restype = None
_NATIVE.cmark_get_default_mem_allocator.restype = ctypes.POINTER(_Allocator)
_FREE = _NATIVE.cmark_get_default_mem_allocator().contents.free


cmark.core_extensions_ensure_registered()
_EXTENSIONS = [cmark.find_syntax_extension(name) for name in CMARK_EXTENSIONS]  # static in C


def _address(pointer: object) -> int:
    return int(_cmark.ffi.cast("uintptr_t", pointer))


def to_html(source: str) -> str:
    """cmark-gfm's HTML for `source`, with CMARK_OPTIONS and CMARK_EXTENSIONS."""
    parser = cmark.parser_new(CMARK_OPTIONS)
    try:
        for extension in _EXTENSIONS:
            cmark.parser_attach_syntax_extension(parser, extension)
        try:
            cmark.parser_feed(parser, source)
        except UnicodeEncodeError:  # a lone surrogate (the checks refuse them): U+FFFD
            cmark.parser_feed(parser, source.encode("utf-8", "replace").decode("utf-8"))
        root = cmark.parser_finish(parser)
        try:
            if _cmark.lib.cmark_node_get_type(root) == _cmark.lib.CMARK_NODE_NONE:
                raise ValueError("cmark-gfm could not parse the text")  # as cmarkgfm does
            attached = cmark.parser_get_syntax_extensions(parser)
            html = _cmark.lib.cmark_render_html(root, CMARK_OPTIONS, attached)
            try:
                # "replace": cmark-gfm writes a noncharacter entity (&#xFFFE;) as invalid UTF-8
                return _cmark.ffi.string(html).decode("utf-8", "replace")
            finally:
                _FREE(_address(html))
        finally:
            _NATIVE.cmark_node_free(_address(root))
    finally:
        cmark.parser_free(parser)


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


# Text between tags: the sanitizer escapes < and > there, not ". An editor's inline code
# `<img src="/x.png">` would then read as an attribute to the link checker's patterns
# (links.py), which look for ` src="` in the page: in text, quotes become &quot;.
_TEXT = re.compile(r">[^<]+")


def _quotes_escaped(text: re.Match[str]) -> str:
    return text[0].replace('"', "&quot;")


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
        clean = _SANITIZER.clean(to_html(source))
        if '"' in clean:
            clean = _TEXT.sub(_quotes_escaped, clean)
        shift = top_heading - 1
        if shift:
            clean = _HEADING.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + shift, 6)}", clean)
        return Markup(french_html(clean))
