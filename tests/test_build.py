"""End to end: the sample catalogue built as a user builds it, checked as a reader reads it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from site_gen.text import sort_key

from .conftest import SAMPLE_CONTENT, VALID_ACTOR, run_cli, tree_snapshot


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def inline_scripts(document: BeautifulSoup) -> list:
    """Script elements a browser would run from the page itself (JSON-LD data is not run)."""
    return [
        s
        for s in document.find_all("script")
        if not s.get("src") and s.get("type") != "application/ld+json"
    ]


def text_of(node) -> str:
    return " ".join(node.get_text(" ").split())


@pytest.fixture(scope="module")
def passages():
    return yaml.safe_load((SAMPLE_CONTENT / "actors" / "passages.yaml").read_text())


@pytest.fixture(scope="module")
def profile_293(sample_site):
    return soup(sample_site / "acteurs" / "passages" / "index.html")


def test_profile_293_shows_number_name_and_legal_form(profile_293):
    assert profile_293.html["lang"] == "fr"
    assert text_of(profile_293.find("h1")) == "PASSAGES"
    assert "Fiche n° 293" in text_of(profile_293.find(class_="profile-number"))
    assert "GIE" in text_of(profile_293.find(class_="legal-form"))


def test_profile_293_lists_every_service_with_its_tagline(profile_293, passages):
    section = profile_293.find("section", class_="services")
    headings = [text_of(h) for h in section.find_all("h3")]
    assert headings == [s["title"] for s in passages["services"]]
    assert len(headings) == 3
    for service in passages["services"]:
        assert service["tagline"] in text_of(section)
        assert " ".join(service["description"].split()[:12]) in text_of(section)


def test_profile_293_lists_the_seven_clients(profile_293, passages):
    items = [text_of(li.a) for li in profile_293.select("section.clients li")]
    assert items == passages["clients"]
    assert "Métropole Aix-Marseille-Provence" in items and len(items) == 7


def test_profile_293_shows_experiences_with_the_client_as_heading(profile_293, passages):
    section = profile_293.find("section", class_="experiences")
    clients = [text_of(h) for h in section.find_all("h3")]
    assert clients == [e["client"] for e in passages["experiences"]]
    assert len(clients) == 3
    lyon = section.find_all(class_="experience")[1]
    assert len(lyon.find_all("li")) == 3  # the Markdown list is a real list
    # the seed's scraping artifact repeated the end of the last experience: dropped
    assert text_of(section).count("Une première phase d’étude") == 1


def test_profile_293_has_who_we_are_and_commons(profile_293):
    about = profile_293.find("section", class_="about")
    assert len(about.find_all("p")) == 4
    assert "collectif de praticiens expérimentés" in text_of(about)
    commons = text_of(profile_293.find("section", attrs={"aria-labelledby": "communs"}))
    assert commons.startswith("Contribution aux communs Ne partage pas (encore)")


def test_headings_are_in_order_on_every_page(sample_site):
    for page in sample_site.rglob("*.html"):
        document = soup(page)
        if document.find("meta", attrs={"http-equiv": "refresh"}):
            continue  # a redirect page: no content of its own
        levels = [int(h.name[1]) for h in document.find_all(re.compile("^h[1-6]$"))]
        assert levels[0] == 1, page
        assert levels.count(1) == 1, page
        for before, after in zip(levels, levels[1:], strict=False):
            assert after <= before + 1, f"{page}: h{before} then h{after}"


def test_profile_terms_link_to_their_term_pages(sample_site):
    page = soup(sample_site / "acteurs" / "ecologie-territoires" / "index.html")
    links = {text_of(a): a["href"] for a in page.select("aside a[href^='/territoires/']")}
    assert links
    for label, href in links.items():
        term_page = soup(sample_site / href.strip("/") / "index.html")
        assert text_of(term_page.find("h1")) == label
        assert "Écologie & Territoires" in text_of(term_page.find("main"))


def test_home_lists_all_actors_in_french_order_with_letter_bar(sample_site):
    home = soup(sample_site / "index.html")
    names = [text_of(a) for a in home.select(".card-title a")]
    actor_files = list((SAMPLE_CONTENT / "actors").iterdir())
    assert len(names) == len(actor_files)
    assert names == sorted(names, key=sort_key)
    # "Écologie" files under E, between "Concertance" and "la kaz citoyenne"
    assert names.index("Concertance") < names.index("Écologie & Territoires")
    assert names.index("Écologie & Territoires") < names.index("la kaz citoyenne")
    letter_e = home.select_one(".alphabet a[href='/lettres/e/']")
    assert text_of(letter_e) == "E"
    page_e = soup(sample_site / "lettres" / "e" / "index.html")
    assert [text_of(a) for a in page_e.select(".card-title a")] == ["Écologie & Territoires"]
    assert home.select_one(".alphabet span.alphabet-empty")  # letters without actors: no link


def test_vocabulary_overviews_show_counts(sample_site):
    page = soup(sample_site / "territoires" / "index.html")
    items = page.select(".term-overview li")
    assert len(items) == 20
    occitanie = next(li for li in items if "Occitanie" in text_of(li))
    count = int(re.search(r"(\d+) acteur", text_of(occitanie))[1])
    term_page = soup(sample_site / "territoires" / "occitanie" / "index.html")
    assert len(term_page.select(".card")) == count > 0


def test_site_has_404_sitemap_robots_and_one_local_stylesheet(sample_site):
    assert (sample_site / "404.html").exists()
    sitemap = (sample_site / "sitemap.xml").read_text()
    assert (
        "<loc>https://example.org/acteurs/passages/</loc><lastmod>2026-11-01</lastmod>" in sitemap
    )
    assert "404" not in sitemap
    assert "Sitemap: https://example.org/sitemap.xml" in (sample_site / "robots.txt").read_text()
    for page in sample_site.rglob("*.html"):
        document = soup(page)
        assert inline_scripts(document) == [], page
        if document.find("meta", attrs={"http-equiv": "refresh"}):
            continue
        if page.parent.name == "admin":  # the web editor: Decap styles itself (test_cms.py)
            continue
        stylesheets = [link["href"] for link in document.find_all("link", rel="stylesheet")]
        assert len(stylesheets) == 1 and stylesheets[0].startswith("/assets/style.")


def test_canonical_urls_are_absolute_and_links_are_paths(sample_site):
    page = soup(sample_site / "acteurs" / "passages" / "index.html")
    assert page.find("link", rel="canonical")["href"] == "https://example.org/acteurs/passages/"
    internal = [a["href"] for a in page.find_all("a") if "example.org" in a["href"]]
    assert internal == []


def test_sub_path_base_url_prefixes_every_internal_link(tmp_path):
    output = tmp_path / "out"
    result = run_cli(
        "--content",
        SAMPLE_CONTENT,
        "--output",
        output,
        "--base-url",
        "https://exemple.gouv.fr/annuaire",
    )
    assert result.status == 0, result.stderr
    page = soup(output / "acteurs" / "passages" / "index.html")
    hrefs = [a["href"] for a in page.find_all("a")] + [
        link["href"] for link in page.find_all("link") if link["rel"] != ["canonical"]
    ]
    local = [h for h in hrefs if h.startswith("/")]
    assert local and all(h.startswith("/annuaire/") for h in local)
    canonical = page.find("link", rel="canonical")["href"]
    assert canonical == "https://exemple.gouv.fr/annuaire/acteurs/passages/"


def test_building_twice_gives_identical_files(tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    assert run_cli("--content", SAMPLE_CONTENT, "--output", first).status == 0
    assert run_cli("--content", SAMPLE_CONTENT, "--output", second).status == 0
    one = {k: v[0] for k, v in tree_snapshot(first).items()}
    two = {k: v[0] for k, v in tree_snapshot(second).items()}
    assert one == two


def test_pages_of_deleted_actors_disappear(make_site, tmp_path):
    output = tmp_path / "out"
    content = make_site({"a.yaml": VALID_ACTOR, "b.yaml": "id: 2\nname: Bientôt parti\n"})
    assert run_cli("--content", content, "--output", output).status == 0
    assert (output / "acteurs" / "bientot-parti" / "index.html").exists()
    (content / "actors" / "b.yaml").unlink()
    assert run_cli("--content", content, "--output", output).status == 0
    assert not (output / "acteurs" / "bientot-parti").exists()
    assert "Bientôt parti" not in (output / "index.html").read_text()


def test_output_folder_with_foreign_files_is_refused(make_site, tmp_path):
    output = tmp_path / "precious"
    output.mkdir()
    (output / "thesis.tex").write_text("do not delete")
    result = run_cli("--content", make_site({"a.yaml": VALID_ACTOR}), "--output", output)
    assert result.status == 2
    assert "did not write" in result.stderr
    assert (output / "thesis.tex").read_text() == "do not delete"


def test_markdown_in_content_is_sanitized_on_the_page(make_site, tmp_path):
    content = make_site(
        {
            "x.yaml": """\
        id: 9
        name: Piège
        about: |
          <script>alert(1)</script> [lien](javascript:alert(1)) <b onmouseover="x()">gras</b>
          [site](https://www.exemple.fr)
        """
        }
    )
    output = tmp_path / "out"
    assert run_cli("--content", content, "--output", output).status == 0
    html = (output / "acteurs" / "piege" / "index.html").read_text()
    assert inline_scripts(soup(output / "acteurs" / "piege" / "index.html")) == []
    document = soup(output / "acteurs" / "piege" / "index.html")
    attributes = [v for tag in document.find_all(True) for v in tag.attrs.values()]
    assert not any("javascript:" in str(v) for v in attributes)
    assert not any(name.startswith("on") for tag in document.find_all(True) for name in tag.attrs)
    assert "alert(1)</script>" not in html and "<b>gras</b>" in html
    assert '<a href="https://www.exemple.fr" rel="noopener">site</a>' in html


def test_names_are_escaped_by_the_templates(make_site, tmp_path):
    content = make_site({"x.yaml": 'id: 9\nname: "<img src=x onerror=alert(1)>"\nslug: x\n'})
    output = tmp_path / "out"
    assert run_cli("--content", content, "--output", output).status == 0
    html = (output / "acteurs" / "x" / "index.html").read_text()
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_check_validates_without_writing(tmp_path):
    result = run_cli("check", "--content", SAMPLE_CONTENT, cwd=tmp_path)
    assert result.status == 0, result.stderr
    assert result.stdout.startswith("12 acteurs vérifiés : aucun problème")
    assert not (tmp_path / "output").exists()


def test_summary_line_counts_actors_pages_and_seconds(tmp_path):
    result = run_cli("--content", SAMPLE_CONTENT, "--output", tmp_path / "o")
    assert re.fullmatch(
        r"Site fabriqué : 12 acteurs, (\d+) pages \(\1 refaites\), \d+ fichiers dans .* "
        r"en \d+\.\d\d s\n",
        result.stdout,
    )


def test_a_catalogue_without_actors_still_builds(make_site, tmp_path):
    output = tmp_path / "out"
    result = run_cli("--content", make_site({}), "--output", output)
    assert result.status == 0, result.stderr
    assert "0 acteurs" in result.stdout
    assert (output / "recherche" / "index.html").exists()
