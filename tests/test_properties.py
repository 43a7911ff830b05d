"""Properties that must hold for any input a contributor can send (hypothesis).

- Any bytes, any YAML-shaped document, as an actor file: loading gives an Actor or our
  problem list, never another exception, never a hang, and writes nothing at all.
- Any catalogue a contributor can write: the build succeeds or reports problems, writes only
  output/ and its hidden siblings, and no page carries script, an on* attribute or a
  javascript:/data: URL that the templates did not put there.
- Any Markdown, dangerous fragments mixed in every way we know: the sanitized HTML has only
  allowed tags and attributes, and no URL outside http, https, mailto and tel.

Bounded for `make test` by the `ci` profile (the default); `HYPOTHESIS_PROFILE=thorough` runs
many more examples. Every example also has a hard time limit (SIGALRM), so a hang fails.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import shutil
import signal
import string
import struct
import sys
import tempfile
import zlib
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from site_gen import cache_trust
from site_gen.build.pipeline import BuildOptions, build
from site_gen.content.load import load_actor, load_catalogue, load_vocabularies
from site_gen.content.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, MarkdownRenderer
from site_gen.content.model import Actor
from site_gen.content.schema import FIELDS_BY_NAME, Field
from site_gen.errors import ContentError, Problem

from .conftest import SAMPLE_CONTENT

settings.register_profile(
    "ci",
    max_examples=200,
    deadline=datetime.timedelta(seconds=3),
    database=None,  # nothing written into the repository
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("thorough", parent=settings.get_profile("ci"), max_examples=5000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

EXAMPLE_SECONDS = 20  # far above any real example; only a hang reaches it
PROBLEMS: list[Problem] = []
VOCABULARIES = load_vocabularies(SAMPLE_CONTENT / "vocabularies.yaml", PROBLEMS)
assert not PROBLEMS
TERMS = [t.label for t in VOCABULARIES.territories + VOCABULARIES.contexts]


# --- guards: a hard time limit, and every write the process attempts -------------------------


@contextmanager
def time_limit(seconds: float):
    def expire(signum, frame):
        raise TimeoutError(f"an example ran for more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


_WRITES: list[list[str]] = []  # a list while a `recording_writes` block runs
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
# audit event → ((index of a path written, index of its dir_fd or None), ...)
_WRITE_EVENTS = {
    "os.mkdir": ((0, 2),),
    "os.remove": ((0, 1),),
    "os.rmdir": ((0, 1),),
    "os.rename": ((0, 2), (1, 3)),
    "os.replace": ((0, 2), (1, 3)),
    "os.link": ((1, 3),),
    "os.symlink": ((1, 2),),
    "os.truncate": ((0, None),),
    "os.chmod": ((0, 2),),
    "os.chown": ((0, 3),),
    "os.utime": ((0, 3),),
    "shutil.rmtree": ((0, 1),),
    "shutil.copyfile": ((1, None),),
    "shutil.move": ((0, None), (1, None)),
}


def _fd_path(fd: int) -> str:
    return os.readlink(f"/proc/self/fd/{fd}") if sys.platform == "linux" else f"?fd{fd}"


def _audit(event: str, args: tuple) -> None:
    if not _WRITES:
        return
    written = []
    if event == "open":
        path, mode, flags = args
        if (mode is not None and any(c in str(mode) for c in "wax+")) or (
            isinstance(flags, int) and flags & _WRITE_FLAGS
        ):
            written.append((path, None))
    for path_index, fd_index in _WRITE_EVENTS.get(event, ()):
        dir_fd = args[fd_index] if fd_index is not None and fd_index < len(args) else None
        written.append((args[path_index], dir_fd))
    for path, dir_fd in written:
        if isinstance(path, int):
            path = _fd_path(path)
        path = os.fsdecode(path)
        if isinstance(dir_fd, int) and not os.path.isabs(path):
            path = os.path.join(_fd_path(dir_fd), path)
        if "__pycache__" not in path:  # Python's own bytecode cache, on a lazy import
            _WRITES[-1].append(os.path.abspath(path))


sys.addaudithook(_audit)


@contextmanager
def recording_writes():
    """Every path the code opens for writing, creates, renames or removes meanwhile."""
    written: list[str] = []
    _WRITES.append(written)
    try:
        yield written
    finally:
        _WRITES.pop()


# --- HTML checks, with a real parser ---------------------------------------------------------

_C0_AND_SPACE = "".join(chr(c) for c in range(0x21))


def url_scheme(url: str) -> str:
    """The scheme a browser sees (WHATWG URL parsing): leading and trailing controls and
    spaces stripped, tabs and newlines removed anywhere, case folded; "" for a relative URL."""
    url = re.sub(r"[\t\n\r]", "", url.strip(_C0_AND_SPACE))
    match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", url)
    return match[1].lower() if match else ""


SAFE_SCHEMES = {"http", "https", "mailto", "tel"}  # written here, not read from the code
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "cite", "background", "data"}


class Elements(HTMLParser):
    """Every start tag with its attributes (entities decoded), and script texts."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[tuple[dict[str, str], str]] = []
        self._in_script: dict[str, str] | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        self.elements.append((tag, attributes))
        if tag == "script":
            self._in_script = attributes
            self.scripts.append((attributes, ""))

    def handle_data(self, data):
        if self._in_script is not None:
            attributes, text = self.scripts[-1]
            self.scripts[-1] = (attributes, text + data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None


def unsafe_parts(html: str) -> list[str]:
    """What in `html` could run script: on* attributes, URLs of other schemes, and script
    elements other than a local file or JSON-LD data that parses."""
    found = []
    page = Elements(html)
    for tag, attributes in page.elements:
        for name, value in attributes.items():
            if name.startswith("on"):
                found.append(f"<{tag} {name}>")
            if name in URL_ATTRIBUTES and url_scheme(value) not in SAFE_SCHEMES | {""}:
                found.append(f"<{tag} {name}={value!r}>")
            if name == "srcset" and any(
                url_scheme(u) not in SAFE_SCHEMES | {""} for u in value.split(",")
            ):
                found.append(f"<{tag} srcset={value!r}>")
        if tag in ("iframe", "object", "embed", "base", "frame", "applet"):
            found.append(f"<{tag}>")
        if tag == "meta" and attributes.get("http-equiv", "").lower() == "refresh":
            target = attributes.get("content", "").partition("=")[2]
            if url_scheme(target.strip("'\" ")) not in SAFE_SCHEMES | {""}:
                found.append(f"<meta refresh {target!r}>")
    for attributes, text in page.scripts:
        src = attributes.get("src", "")
        if src:
            if not src.startswith("/") or src.startswith("//") or text.strip():
                found.append(f"<script src={src!r}>")
        elif attributes.get("type") == "application/ld+json":
            try:
                json.loads(text)
            except ValueError:
                found.append("<script type=application/ld+json> that is not JSON")
        else:
            found.append("inline <script>")
    return found


# --- strategies: hostile Markdown, URLs and markup -------------------------------------------

DANGEROUS_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "\x01javascript:alert(1)",
    "jav&#x09;ascript:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)",
    "&#0000106&#0000097vascript:alert(1)",
    "javascript&colon;alert(1)",
    "javascript&#58;alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:text/html,<script>alert(1)</script>",
    "data:image/svg+xml,<svg onload=alert(1)>",
    "https://exemple.fr/ok",
    "/relative/ok",
    "mailto:contact@exemple.fr",
]
DANGEROUS_MARKUP = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>script>alert(1)<</script>/script>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=x OnErRoR=alert(1)>",
    '<a href="#" onclick="alert(1)">x</a>',
    "<a href=# onmouseover\n=alert(1)>x</a>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<object data=javascript:alert(1)>",
    "<embed src=javascript:alert(1)>",
    "<base href=javascript:alert(1)//>",
    "<form action=javascript:alert(1)><button>x</button></form>",
    "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
    "<style>@import 'javascript:alert(1)';</style>",
    "<div style=\"background:url('javascript:alert(1)')\">x</div>",
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<textarea><script>alert(1)</script></textarea>",
    '<a href="javas&#99;ript:alert(1)">x</a>',
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "`<script>alert(1)</script>`",
    "    <script>alert(1)</script>",
]


def _mixed_case(draw, text: str) -> str:
    flips = draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    return "".join(c.swapcase() if flip else c for c, flip in zip(text, flips, strict=True))


def _encoded(draw, text: str) -> str:
    """Some characters written as decimal, hex or zero-padded character references."""
    out = []
    for char in text:
        how = draw(st.sampled_from(["plain"] * 4 + ["dec", "hex", "pad", "nosemi"]))
        out.append(
            {
                "plain": char,
                "dec": f"&#{ord(char)};",
                "hex": f"&#x{ord(char):x};",
                "pad": f"&#{ord(char):07d};",
                "nosemi": f"&#{ord(char)}",
            }[how]
        )
    return "".join(out)


@st.composite
def dangerous_urls(draw) -> str:
    url = draw(st.sampled_from(DANGEROUS_URLS))
    if draw(st.booleans()):
        url = _mixed_case(draw, url)
    if draw(st.booleans()):
        at = draw(st.integers(0, len(url)))
        url = (
            url[:at]
            + draw(st.sampled_from(["\t", "\n", " ", "\x00", "&Tab;", "&NewLine;"]))
            + url[at:]
        )
    return url


@st.composite
def dangerous_fragments(draw) -> str:
    url = draw(dangerous_urls())
    fragment = draw(
        st.sampled_from(
            [
                "[lien]({url})",
                "[lien](<{url}>)",
                '[lien]({url} "titre")',
                "![image]({url})",
                "<{url}>",
                "[lien][ref]\n\n[ref]: {url}",
                '<a href="{url}">lien</a>',
                "<a href='{url}'>lien</a>",
                "<a href={url}>lien</a>",
                '<img src="{url}">',
                '<a href="{url}" onclick="x()">lien</a>',
                "{markup}",
                "{markup}",
                "**{markup}**",
                "- {markup}",
                "> {markup}",
            ]
        )
    )
    markup = draw(st.sampled_from(DANGEROUS_MARKUP))
    if draw(st.booleans()):
        markup = _mixed_case(draw, markup)
    if "{url}" in fragment and draw(st.booleans()):
        url = _encoded(draw, url)
    return fragment.replace("{url}", url).replace("{markup}", markup)


# Characters no text may hold, and those a terminal acts on: C0 and C1 controls, DEL,
# noncharacters, lone surrogates, bidi overrides.
ODD_CHARACTERS = (
    "".join(map(chr, range(0x20)))
    + "\x7f\x85\x9b\ufdd0\ufdef\ufffe\uffff\U0001fffe\U0010ffff\ud800\u202e\u2066"
)
odd_texts = st.text(alphabet=st.sampled_from(ODD_CHARACTERS + "ab é"), min_size=1, max_size=20)
NESTING_UNITS = ["> ", ">", "<div>", "<blockquote>", "- ", "1. ", "<ul><li>", "> - "]


def deeply_nested(deepest: int) -> st.SearchStrategy:
    """Markdown nested up to `deepest` levels: the renderer takes seconds past a few
    thousand (the checks refuse more than MAX_NESTING before it runs)."""
    return st.builds(
        lambda unit, depth, tail: unit * depth + tail,
        st.sampled_from(NESTING_UNITS),
        st.integers(min_value=50, max_value=deepest),
        st.sampled_from(["x", "", "\n\ntexte"]),
    )


markdown_sources = st.one_of(
    st.text(alphabet=st.sampled_from(string.printable + "éà«»\u2028\x00"), max_size=300),
    st.text(max_size=200),
    odd_texts,
    deeply_nested(300),
    st.lists(
        st.sampled_from(["&#xFFFE;", "&#xFFFF;", "&#xFDD0;", "&#0;", "&#x1F;", "&#x10FFFF;", "a"]),
        min_size=1,
        max_size=5,
    ).map(" ".join),
    st.lists(
        st.one_of(dangerous_fragments(), st.text(max_size=20), st.sampled_from(["\n\n", "\n"])),
        min_size=1,
        max_size=6,
    ).map("".join),
)


# --- strategies: what a contributor can put in an actor file ---------------------------------

LOGO = "logos/x.png"  # a real PNG in the build test's content folder
HOSTILE_PATHS = ["../../etc/passwd.png", "/etc/x.png", "a\x00b.png", "\x01.png", "a" * 300 + ".png"]
KEYS = sorted(FIELDS_BY_NAME) + ["teritories", "nom", "", " ", "__class__", "<<"]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(),
    st.text(max_size=40),
    st.sampled_from(TERMS),
    st.sampled_from(["https://exemple.fr", "javascript:alert(1)", "/etc/passwd", "../x"]),
    st.sampled_from(["logos/x.png", "actors/a.yaml", "logos", *HOSTILE_PATHS]),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), children, max_size=4),
    ),
    max_leaves=20,
)
actor_documents = st.dictionaries(st.sampled_from(KEYS), values, max_size=10)

hostile_text = st.one_of(
    st.text(min_size=1, max_size=40).filter(str.strip),
    odd_texts.filter(str.strip),
    st.sampled_from(DANGEROUS_MARKUP),
    dangerous_urls(),
    st.sampled_from(
        ["{{ 7*7 }}", "{% raw %}", "</script><script>alert(1)</script>", "\"'><b onclick=x>"]
    ),
)
slugs = st.from_regex(r"[a-z][a-z0-9]{0,7}(-[a-z0-9]{1,8}){0,2}", fullmatch=True)


def rarely(rare: st.SearchStrategy, usual: st.SearchStrategy) -> st.SearchStrategy:
    """`rare` one time in ten, else `usual`."""
    return st.integers(min_value=0, max_value=9).flatmap(lambda n: rare if n == 0 else usual)


def field_values(field: Field) -> st.SearchStrategy:
    """A value of the field's kind (hostile text included), so that the build goes far."""
    well_typed = {
        "POSITIVE_INTEGER": st.integers(min_value=1, max_value=10**6),
        "TEXT": hostile_text,
        "PLAIN_TEXT": hostile_text,
        "SLUG": slugs,
        "URL": rarely(dangerous_urls(), st.sampled_from(["https://a.fr/", "http://a.fr/?q=<z>"])),
        "EMAIL": rarely(hostile_text, st.emails()),
        "MARKDOWN": rarely(deeply_nested(20_000), markdown_sources.filter(str.strip)),
        "BOOLEAN": st.booleans(),
        "DATE": st.dates(),
        "TEXT_LIST": st.lists(hostile_text, max_size=3),
        "TERM_LIST": st.lists(
            st.sampled_from([t.label for t in getattr(VOCABULARIES, field.vocabulary or "", ())]),
            max_size=3,
            unique=True,
        ),
        "SLUG_LIST": st.lists(slugs, max_size=2),
        "IMAGE": rarely(st.sampled_from(HOSTILE_PATHS), st.just(LOGO)),
        "OBJECT_LIST": st.lists(
            st.fixed_dictionaries(
                {f.name: field_values(f) for f in field.fields if f.required},
                optional={f.name: field_values(f) for f in field.fields if not f.required},
            ),
            max_size=2,
        ),
    }
    return well_typed.get(field.kind.name, values)


plausible_actors = st.fixed_dictionaries(
    {name: field_values(f) for name, f in FIELDS_BY_NAME.items() if f.required},
    optional={name: field_values(f) for name, f in FIELDS_BY_NAME.items() if not f.required},
)

YAML_FRAGMENTS = [
    "!!python/object/apply:os.system ['touch /tmp/site-gen-pwned']",
    "!!python/name:os.system",
    "&a [1, 2]",
    "*a",
    "<<: *a",
    "? [complex, key]\n: value",
    "!!binary aGVsbG8=",
    "!!set {a, b}",
    "!!omap [a: 1]",
    "!!timestamp 2026-13-45",
    "updated: !!timestamp x",
    "commons: !!bool maybe",
    "id: !!int abc",
    "2026-02-30",
    "id: 99999999999999999999999999999999",
    "id: 0x1F",
    "id: 1_000",
    "id: .inf",
    "name: ~",
    "%YAML 1.1\n---",
    "---\n...\n---",
    "{",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1",
    "\t- tab",
    "key: value: other",
    "\x00",
    "\ufeff",
    "\r",
    "a: &x\n  b: *x",
    "- &l [*l]",
    "'unterminated",
    '"\\x00\\uD800"',
]
yaml_texts = st.one_of(
    plausible_actors.map(lambda d: yaml.safe_dump(d, allow_unicode=True)),
    actor_documents.map(lambda d: yaml.safe_dump(d, allow_unicode=True)),
    st.lists(
        st.one_of(
            st.sampled_from(YAML_FRAGMENTS),
            actor_documents.map(lambda d: yaml.safe_dump(d, default_flow_style=True)),
            st.text(max_size=30),
        ),
        max_size=8,
    ).map("\n".join),
)


SAMPLE_FILES = {p.name: p.read_bytes() for p in sorted((SAMPLE_CONTENT / "actors").iterdir())}
SPLINTERS = [b"\n", b":", b"- ", b"  ", b"---\n", b"<script>", b"&a ", b"*a", b"!!", b"\t", b"\xff"]


@st.composite
def mutated_samples(draw) -> tuple[str, bytes]:
    """A real actor file of the sample with a few bytes inserted, deleted or replaced."""
    name = draw(st.sampled_from(sorted(SAMPLE_FILES)))
    data = bytearray(SAMPLE_FILES[name])
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        at = draw(st.integers(min_value=0, max_value=len(data)))
        chunk = draw(st.one_of(st.binary(min_size=1, max_size=8), st.sampled_from(SPLINTERS)))
        how = draw(st.sampled_from(["insert", "delete", "replace"]))
        end = at if how == "insert" else at + draw(st.integers(min_value=1, max_value=40))
        data[at:end] = b"" if how == "delete" else chunk
    return name, bytes(data)


# --- loading ---------------------------------------------------------------------------------


def write_actor(folder: Path, name: str, data: bytes) -> Path:
    path = folder / "actors" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def assert_loads_or_explains(name: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as work:
        content = Path(work) / "content"
        path = write_actor(content, name, data)
        problems: list[Problem] = []
        with time_limit(EXAMPLE_SECONDS), recording_writes() as written:
            actor = load_actor(path, content, VOCABULARIES, problems)
        assert written == [], f"loading wrote {written}"
        assert all(isinstance(p, Problem) for p in problems)
        event("loaded" if actor else f"refused: {problems[0].message[:30]}" if problems else "?")
        if actor is None:
            assert problems, "refused without saying why"
            assert all(name in str(p) for p in problems)
        else:
            assert isinstance(actor, Actor) and problems == []


@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".yaml", ".md"]))
def test_any_bytes_load_or_give_problems(data, suffix):
    assert_loads_or_explains(f"actor{suffix}", data)


@given(sample=mutated_samples())
def test_damaged_sample_files_load_or_give_problems(sample):
    name, data = sample
    assert_loads_or_explains(name, data)


@given(text=yaml_texts)
def test_any_yaml_document_loads_or_gives_problems(text):
    assert_loads_or_explains("actor.yaml", text.encode("utf-8", "surrogatepass"))


@given(front=yaml_texts, body=st.text(max_size=200))
def test_any_markdown_actor_file_loads_or_gives_problems(front, body):
    text = f"---\n{front}\n---\n{body}"
    assert_loads_or_explains("actor.md", text.encode("utf-8", "surrogatepass"))


# --- Markdown --------------------------------------------------------------------------------

RENDER = MarkdownRenderer().render


def assert_markdown_is_safe(source: str) -> None:
    with time_limit(EXAMPLE_SECONDS):
        html = str(RENDER(source))
    assert "<script" not in html.lower()
    assert unsafe_parts(html) == [], html
    for tag, attributes in Elements(html).elements:
        assert tag in ALLOWED_TAGS, html
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ALLOWED_ATTRIBUTES["*"]
        allowed |= {"rel"} if tag == "a" else set()
        assert set(attributes) <= allowed, html


@given(source=markdown_sources)
def test_sanitized_markdown_never_carries_script(source):
    assert_markdown_is_safe(source)


@settings(max_examples=40)
@given(fragments=st.lists(dangerous_fragments(), min_size=3, max_size=12))
def test_many_dangerous_fragments_nested_in_each_other(fragments):
    nested = ""
    for fragment in fragments:  # each fragment inside the previous one
        middle = len(nested) // 2
        nested = nested[:middle] + fragment + nested[middle:]
    assert_markdown_is_safe(nested)


def test_the_html_checks_catch_what_they_look_for():
    """The checker itself: each of these must be found, or the properties above prove nothing."""
    for html in [
        "<p onclick=x>",
        '<a href="jav&#x09;ascript:x">',
        "<a href=' DATA:text/html,x'>",
        "<script>x</script>",
        "<SCRIPT src=//evil.example/x.js></SCRIPT>",
        '<script type="application/ld+json">{"a": "</script><b>"}</script>',
        "<iframe src=/x>",
        "<meta http-equiv=Refresh content='0;url=javascript:x'>",
    ]:
        assert unsafe_parts(html), html
    assert unsafe_parts('<a href="https://x.fr">x</a><script src="/a.js"></script>') == []


# --- the whole build -------------------------------------------------------------------------


def unexpected_writes(written: list[str], allowed: tuple[Path, ...]) -> list[str]:
    """Writes outside the allowed folders, except in a scratch folder of the system's
    temporary directory that no longer exists (the search index is made in one)."""
    temp = Path(tempfile.gettempdir()).resolve()
    found = []
    for path in map(Path, written):
        if any(path.is_relative_to(folder) for folder in allowed):
            continue
        scratch = path.is_relative_to(temp) and path != temp
        if scratch and not (temp / path.relative_to(temp).parts[0]).exists():
            continue
        found.append(str(path))
    return found


def png(width: int = 1, height: int = 1) -> bytes:
    """A real, tiny PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress((b"\x00" + b"\x00" * width) * height)  # filter byte + grey row
    chunks = chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


def actor_file(data: dict, markdown: bool) -> bytes:
    """`data` as a .yaml file, or as a .md file with `about` as the text after the keys."""
    if not markdown:
        return yaml.safe_dump(data, allow_unicode=True).encode("utf-8", "surrogatepass")
    data = dict(data)
    body = data.pop("about", "")
    if not isinstance(body, str):
        data["about"], body = body, ""
    front = yaml.safe_dump(data, allow_unicode=True) if data else ""
    return f"---\n{front}---\n{body}".encode("utf-8", "surrogatepass")


@settings(max_examples=60)
@given(
    actor=plausible_actors,
    other=st.one_of(st.none(), plausible_actors, plausible_actors, actor_documents),
)
def test_any_catalogue_builds_safe_pages_or_reports_problems(actor, other):
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        content = work / "content"
        write_actor(content, "a.yaml", actor_file(actor, markdown=False))
        if other is not None:
            write_actor(content, "b.md", actor_file(other, markdown=True))
        (content / "vocabularies.yaml").write_bytes(
            (SAMPLE_CONTENT / "vocabularies.yaml").read_bytes()
        )
        (content / LOGO).parent.mkdir()
        (content / LOGO).write_bytes(png())
        output, cache = work / "site" / "output", work / "cache"
        options = BuildOptions(content_dir=content, output_dir=output, cache_dir=cache)
        cwd = os.getcwd()
        os.chdir(work)
        try:
            with time_limit(EXAMPLE_SECONDS), recording_writes() as written:
                try:
                    build(options)
                except ContentError as error:
                    event(f"refused: {error.problems[0].message[:40]}")
                    assert error.problems
                    assert not output.exists()
                    return
        finally:
            os.chdir(cwd)
        event("built")
        allowed = (output.parent, cache, cache_trust.key_path().parent)  # the key, made once
        assert unexpected_writes(written, allowed=allowed) == []
        beside = sorted(p.name for p in output.parent.iterdir())
        assert beside == [
            ".output.lock",
            ".output.manifest",
            ".output.spare",  # hard links to the site, for the next build
            ".output.spare.manifest",
            "output",
        ]
        for page in output.rglob("*.html"):
            assert unsafe_parts(page.read_text(encoding="utf-8")) == [], page
        for document in output.rglob("*.xml"):  # well-formed, whatever the texts held
            ElementTree.parse(document)


# --- file names that are not UTF-8, or hold control characters -----------------------------

file_names = st.binary(min_size=1, max_size=30).filter(
    lambda name: b"/" not in name and b"\0" not in name and name not in (b".", b"..")
)


@settings(max_examples=60)
@given(names=st.lists(file_names, min_size=1, max_size=3, unique=True))
def test_any_file_names_load_or_give_problems_a_terminal_can_print(names):
    with tempfile.TemporaryDirectory() as work:
        content = Path(work) / "content"
        (content / "actors").mkdir(parents=True)
        (content / "vocabularies.yaml").write_bytes(
            (SAMPLE_CONTENT / "vocabularies.yaml").read_bytes()
        )
        for number, name in enumerate(names, start=1):
            path = os.path.join(os.fsencode(content / "actors"), name + b".yaml")
            with open(path, "wb") as file:
                file.write(f"id: {number}\nname: Acteur {number}\n".encode())
        with time_limit(EXAMPLE_SECONDS):
            try:
                load_catalogue(content)
                event("loaded")
            except ContentError as error:
                event(f"refused: {error.problems[0].message[:30]}")
                for problem in error.problems:
                    shown = str(problem)
                    shown.encode("utf-8")  # printable: no byte that is not UTF-8
                    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", shown), shown


def test_the_write_recorder_sees_writes(tmp_path):
    """The recorder itself: if it missed these, 'writes nothing outside' would prove nothing."""
    (tmp_path / "d").mkdir()
    with recording_writes() as written:
        (tmp_path / "f").write_text("x")
        os.rename(tmp_path / "f", tmp_path / "g")
        shutil.rmtree(tmp_path / "d")
        (tmp_path / "g").read_text()
    assert str(tmp_path / "f") in written and str(tmp_path / "g") in written
    assert str(tmp_path / "d") in written
