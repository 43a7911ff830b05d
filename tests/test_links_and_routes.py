"""Routes cannot leave output/, and the link verifier catches what a reader would hit."""

from __future__ import annotations

import itertools
import os
import xml.etree.ElementTree as ET

import pytest

from site_gen.pages import routes
from site_gen.render.links import LinkChecker, bits_of, broken_links, may_link_to, signature

from .conftest import VALID_ACTOR, run_cli


@pytest.mark.parametrize("route", ["../x/", "/etc/", "acteurs/../../x", "a//b", "A/", "~/x"])
def test_unsafe_routes_are_refused(route):
    assert not routes.is_safe(route)
    with pytest.raises(ValueError):
        routes.output_path(route)


def test_routes_map_to_index_files():
    assert routes.output_path("") == "index.html"
    assert routes.output_path("acteurs/passages/") == "acteurs/passages/index.html"
    assert routes.output_path("sitemap.xml") == "sitemap.xml"


def page(body: str) -> bytes:
    return f'<html><body id="top">{body}</body></html>'.encode()


def test_link_verifier_reports_missing_pages_and_fragments():
    files = {
        "index.html": page(
            '<a href="/acteurs/a/">a</a> <a href="/acteurs/b/">b</a>'
            ' <a href="/acteurs/a/#nope">x</a> <a href="#top">t</a>'
            ' <a href="https://ailleurs.example/">e</a>'
        ),
        "acteurs/a/index.html": page('<a href="/#top">home</a> <a href="#absent">y</a>'),
    }
    problems = broken_links(files, "/")
    assert [(p.path, p.message) for p in problems] == [
        (
            "output/acteurs/a/index.html",
            "lien cassé « #absent » : aucun élément d'id « absent » sur cette page",
        ),
        ("output/index.html", "lien cassé « /acteurs/b/ » : cette page n'existe pas"),
        (
            "output/index.html",
            "lien cassé « /acteurs/a/#nope » : aucun élément d'id « nope » sur cette page",
        ),
    ]


def test_a_page_that_may_link_to_a_route_is_told_by_its_bytes():
    gone = [b"acteurs/b/", b"acteurs/b.json"]
    assert may_link_to(page('<a href="/annuaire/acteurs/b/#services">b</a>'), gone)
    assert may_link_to(page('<a href="/acteurs/b/index.html">b</a>'), gone)
    assert may_link_to(page('<a href="/acteurs/%62/">b</a>'), gone)  # read to be sure
    assert not may_link_to(page('<a href="/acteurs/bb/">bb</a> acteurs/b'), gone)


def test_a_page_that_links_to_a_route_has_its_bits_in_its_signature():
    # what tells which pages to read when a page is gone, without reading them all
    bits = bits_of(["acteurs/b/"])
    linking = [
        "/annuaire/acteurs/b/",
        "/annuaire/acteurs/b/#services",
        "/annuaire/acteurs/b/index.html",
        "/annuaire/acteurs/%62/",
        "/annuaire/acteurs/b/?vue=carte",
    ]
    for href in linking:
        assert signature(["/annuaire/", href], "/annuaire/") & bits, href
    for href in ["/annuaire/acteurs/bb/", "https://ailleurs.fr/annuaire/acteurs/b/", "#b"]:
        assert not signature([href], "/annuaire/") & bits, href
    assert not signature(["/acteurs/b/"], "/annuaire/"), "not the site's: a broken link"


def test_link_verifier_requires_the_base_path():
    files = {"index.html": page('<a href="/acteurs/">x</a>')}
    assert "chemin de base du site « /annuaire/ »" in broken_links(files, "/annuaire/")[0].message


def test_sample_sitemap_is_valid_xml_listing_every_page(sample_site):
    tree = ET.parse(sample_site / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text for e in tree.findall("s:url/s:loc", ns)]
    pages = [
        p
        for p in sample_site.rglob("index.html")
        if 'http-equiv="refresh"' not in p.read_text() and "noindex" not in p.read_text()
    ]  # redirects and the web editor (/admin/, noindex) are not listed
    expected = set()
    for page in pages:
        route = page.parent.relative_to(sample_site).as_posix()
        expected.add("https://example.org/" + ("" if route == "." else route + "/"))
    assert set(locs) == expected and len(locs) == len(expected)


def test_symlink_to_a_file_outside_content_is_refused(make_site, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("id: 7\nname: Secret\n")
    content = make_site({"a.yaml": VALID_ACTOR})
    os.symlink(secret, content / "actors" / "link.yaml")
    result = run_cli("check", "--content", content)
    assert result.status == 1
    assert "link.yaml: ce fichier est un lien vers un endroit hors du dossier" in result.stderr


def test_broken_template_is_reported_without_traceback(make_site, tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    from .conftest import ROOT

    for source in (ROOT / "templates").rglob("*"):
        target = templates / source.relative_to(ROOT / "templates")
        if source.is_dir():
            target.mkdir(exist_ok=True)
        else:
            target.write_bytes(source.read_bytes())
    (templates / "404.html").write_text(
        "{% extends 'base.html' %}{% block content %}{{ t.no_such_string }}{% endblock %}"
    )
    result = run_cli(
        "--content",
        make_site({"a.yaml": VALID_ACTOR}),
        "--output",
        tmp_path / "out",
        "--templates",
        templates,
    )
    assert result.status == 1
    assert "404.html" in result.stderr and "no_such_string" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_links_checked_as_pages_come_give_the_same_problems_in_any_order():
    files = {
        "index.html": page(
            '<a href="/acteurs/a/#fin">a</a> <a href="/acteurs/b/">b</a>'
            ' <a href="/acteurs/a/#nope">x</a> <a href="/style.css">s</a>'
        ),
        "acteurs/a/index.html": page('<a href="/#top">home</a> <p id="fin"></p>'),
        "acteurs/c/index.html": page('<a href="/#absent">y</a> <a href="/acteurs/a/">a</a>'),
        "style.css": b"body {}",
    }
    expected = broken_links(files, "/")
    assert len(expected) == 3
    for order in itertools.permutations(files):
        checker = LinkChecker("/")
        checker.expect(path for path in files if path.endswith(".html"))  # the pages
        for path in order:
            checker.add(path, files[path])
        assert checker.problems() == expected, order
        # a link to a page the site will have is decided at once, not kept until the end
        kept = {href for links in checker.links.values() for _, href in links}
        assert "/acteurs/a/" not in kept and "/acteurs/b/" in kept
