"""Issue 25 on the sample site: the home page's chooser and map agree with the term
pages, the chooser works without JavaScript, clients by type, profiles a reader scans,
the footer's pages, and their editors' mistakes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .conftest import ROOT, VALID_ACTOR, run_cli


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def text_of(node) -> str:
    return " ".join(node.get_text(" ").split())


def page_count(site: Path, href: str) -> int:
    """The number of actors a list page says it holds (its count line)."""
    document = soup(site / href.strip("/") / "index.html")
    return int(text_of(document.find(class_="count")).split()[0])


@pytest.fixture(scope="module")
def home(sample_site):
    return soup(sample_site / "index.html")


def test_the_chooser_is_a_get_form_that_leads_without_javascript_to_every_pair(sample_site, home):
    form = home.find("form", class_="chooser-form")
    assert form["method"] == "get" and form["action"] == "/choisir/"
    assert form.find("button", type="submit")
    names = {select["name"] for select in form.find_all("select")}
    assert names == {"territoire", "contexte"}
    for select in form.find_all("select"):
        assert home.find("label", attrs={"for": select["id"]})
    # without JavaScript: the form's page names every pair, each link a page of the site
    choose = soup(sample_site / "choisir" / "index.html")
    occitanie = choose.find(id="occitanie")
    links = {text_of(a): a["href"] for a in occitanie.find_all("a")}
    pair = links["Environnement et transition écologique"]
    assert pair == "/territoires/occitanie/environnement-transition/"
    count = int(re.search(r"\((\d+)\)", text_of(occitanie.find("a", href=pair).parent))[1])
    assert page_count(sample_site, pair) == count


def test_the_choosers_counts_are_the_term_pages_counts(sample_site, home):
    for option in home.select(".chooser-form option[data-url]"):
        count = int(re.search(r"\((\d+)\)$", text_of(option))[1])
        assert page_count(sample_site, option["data-url"]) == count, option["data-url"]


def test_the_map_draws_18_regions_each_a_link_with_name_and_count(sample_site, home):
    svg = home.find("svg", class_="map-svg")
    regions = svg.find_all("a")
    assert len(regions) == 18
    for region in regions:
        title = text_of(region.find("title"))
        name, count = re.fullmatch(r"(.+)\s: (\d+) acteurs?", title).groups()
        assert page_count(sample_site, region["href"]) == int(count), name
        assert region.find("path")["d"]
    assert "LGPL" in text_of(home.find(class_="map-credit"))
    assert len(svg.encode()) < 40_000  # outlines simplified: a few tens of KB at most


def test_the_maps_table_says_the_same_numbers_and_national_international_are_tiles(
    sample_site, home
):
    rows = home.select(".map-table tbody tr")
    assert len(rows) == 20
    for row in rows:
        link = row.find("a")
        assert page_count(sample_site, link["href"]) == int(text_of(row.find("td")))
    tiles = [text_of(a) for a in home.select(".map-tiles a")]
    assert [t.split()[0] for t in tiles] == ["National", "International"]
    legend = text_of(home.find(class_="map-legend"))
    assert legend.startswith("Nombre d’acteurs 0")


def test_a_territory_page_highlights_its_region(sample_site):
    page = soup(sample_site / "territoires" / "occitanie" / "index.html")
    current = page.select(".map-svg a[aria-current=page]")
    assert [a["href"] for a in current] == ["/territoires/occitanie/"]
    national = soup(sample_site / "territoires" / "national" / "index.html")
    assert text_of(national.select_one(".map-tiles a[aria-current=page]")) == "National"


def test_every_page_links_to_the_pages_a_public_service_owes(sample_site):
    expected = {
        "/a-propos/": "À propos",
        "/proposer-une-fiche/": "Proposer une fiche ou signaler une erreur",
        "/mentions-legales/": "Mentions légales",
        "/accessibilite/": "Accessibilité : non conforme",
    }
    for path in ("index.html", "acteurs/passages/index.html", "clients/index.html"):
        footer = soup(sample_site / path).find("footer")
        links = {a["href"]: text_of(a) for a in footer.find_all("a")}
        for href, label in expected.items():
            assert links[href] == label, (path, href)
    for href in expected:
        assert (sample_site / href.strip("/") / "index.html").is_file()


def test_the_legal_notice_and_the_accessibility_statement_come_from_settings(sample_site):
    legal = text_of(soup(sample_site / "mentions-legales" / "index.html").find("main"))
    assert "Camille Exemple, présidente" in legal
    assert "Hébergeur Exemple SAS" in legal
    assert "Propriété intellectuelle" in legal  # content/pages/mentions-legales.md
    statement = soup(sample_site / "accessibilite" / "index.html").find("main")
    text = text_of(statement)
    assert "est non conforme avec le référentiel général d’amélioration" in text
    assert "6 décembre 2026" in text and "Défenseur des droits" in text
    assert statement.find("a", href="mailto:contact@example.org")
    propose = soup(sample_site / "proposer-une-fiche" / "index.html")
    assert propose.find("a", href="mailto:contact@example.org")


def test_clients_are_grouped_by_type_with_a_filter_box_for_javascript(sample_site):
    page = soup(sample_site / "clients" / "index.html")
    groups = [text_of(g.find("h2")) for g in page.select(".client-group")]
    assert groups[:2] == ["Commune", "Intercommunalité ou métropole"]
    metropoles = page.select(".client-group")[1]
    assert "Métropole de Lyon" in text_of(metropoles)
    assert page.find(class_="client-filter").has_attr("hidden")  # shown by clients.js
    types = {text_of(a): a["href"] for a in page.select(".client-types a")}
    assert types["Intercommunalité ou métropole"] == "/types-de-clients/intercommunalite-metropole/"


def test_a_type_page_lists_every_actor_that_worked_with_such_a_client(sample_site):
    page = soup(sample_site / "types-de-clients" / "intercommunalite-metropole" / "index.html")
    names = {text_of(h) for h in page.select(".card-title")}
    lyon = soup(sample_site / "clients" / "metropole-de-lyon" / "index.html")
    assert {text_of(h) for h in lyon.select(".card-title")} <= names
    assert "PASSAGES" in names
    profile = soup(sample_site / "acteurs" / "passages" / "index.html")
    shown = [text_of(li) for li in profile.select("section.clients li")]
    assert "Métropole Aix-Marseille-Provence (Intercommunalité ou métropole)" in shown


def test_a_profile_puts_contact_and_terms_first_with_tel_links_and_a_contents(sample_site):
    profile = soup(sample_site / "acteurs" / "cite-en-commun" / "index.html")
    first = profile.find(class_="profile-layout").find(recursive=False)
    assert first.name == "aside"  # on a phone, before the services' long texts
    assert [text_of(h) for h in first.find_all("h3")] == [
        "Contact",
        "Territoires d’intervention",
        "Contextes d’intervention",
        "Contribution aux communs",
    ]
    assert first.find("a", href=re.compile("^mailto:"))
    contents = profile.find("nav", class_="profile-toc")
    targets = [a["href"] for a in contents.find_all("a")]
    assert len(targets) >= 3 and all(profile.find(id=t[1:]) for t in targets)
    passages = soup(sample_site / "acteurs" / "passages" / "index.html")
    assert "Fiche n° 293" in text_of(passages.find(class_="profile-number"))
    commons = text_of(passages.find("section", attrs={"aria-labelledby": "communs"}))
    assert "Ne partage pas (encore) ses méthodes" in commons  # the setting's words


def test_phone_numbers_are_tel_links(make_site, tmp_path):
    content = make_site({"a.yaml": VALID_ACTOR + "phone: +33 (0)1 23 45 67 89\n"})
    result = run_cli("--content", content, "--output", tmp_path / "out")
    assert result.status == 0, result.stderr
    page = soup(tmp_path / "out" / "acteurs" / "exemple" / "index.html")
    assert page.find("a", href="tel:+330123456789")


def test_untyped_clients_and_alias_lists_still_work(make_site, tmp_path):
    content = make_site({"a.yaml": VALID_ACTOR + "clients: [Grand Lyon, Ville de Brest]\n"})
    (content / "clients.yaml").write_text("Métropole de Lyon: [Grand Lyon]\n", encoding="utf-8")
    result = run_cli("--content", content, "--output", tmp_path / "out")
    assert result.status == 0, result.stderr
    page = soup(tmp_path / "out" / "clients" / "index.html")
    assert [text_of(g.find("h2")) for g in page.select(".client-group")] == ["Autres clients"]
    assert "Métropole de Lyon" in text_of(page)


@pytest.mark.parametrize(
    ("clients_yaml", "expected"),
    [
        (
            "Ville de Brest: {type: Comune}\n",
            [
                "clients.yaml:1: Ville de Brest : type « Comune » ne fait pas partie de "
                "`client_types`",
                "Vouliez-vous écrire « Commune » ?",
            ],
        ),
        (
            "Ville de Brest: {type: Commune, teritory: Bretagne}\n",
            [
                "clients.yaml:1: Ville de Brest : clé inconnue « teritory »",
                "Vouliez-vous écrire « territory » ?",
            ],
        ),
        (
            "Ville de Brest:\n  type: Commune\n  territory: Bretagn\n",
            ["clients.yaml:3: Ville de Brest : territory « Bretagn » ne fait pas partie"],
        ),
    ],
)
def test_a_mistake_in_a_clients_type_is_reported(make_site, tmp_path, clients_yaml, expected):
    content = make_site({"a.yaml": VALID_ACTOR})
    (content / "clients.yaml").write_text(clients_yaml, encoding="utf-8")
    result = run_cli("--content", content, "--output", tmp_path / "out")
    assert result.status == 1
    for fragment in expected:
        assert fragment in result.stderr
    assert "Traceback" not in result.stderr


def test_a_wrong_accessibility_status_and_a_stray_page_file_are_reported(make_site, tmp_path):
    content = make_site({"a.yaml": VALID_ACTOR}, site_yaml="accessibility_status: partielle\n")
    (content / "pages").mkdir()
    (content / "pages" / "a-propo.md").write_text("Texte.\n", encoding="utf-8")
    result = run_cli("--content", content, "--output", tmp_path / "out")
    assert result.status == 1
    assert "site.yaml:1: accessibility_status: 'partielle' is not one of" in result.stderr
    assert "a-propo.md: not a page of the site" in result.stderr
    assert "Did you mean a-propos.md?" in result.stderr


def test_the_sample_site_has_french_typography_in_its_texts(sample_site):
    profile = (sample_site / "acteurs" / "passages" / "index.html").read_text(encoding="utf-8")
    document = BeautifulSoup(profile, "html.parser")
    # the rendered Markdown (services, about, experiences) and the UI's headings and labels
    texts = document.select(".profile-main section > div, .profile-main .about, main h2, dt")
    assert len(texts) > 10
    for node in (n for element in texts for n in element.find_all(string=True)):
        if node.parent.name in ("code", "pre", "script"):
            continue
        assert not re.search(r"\w'\w", node), node
        assert not re.search(r" [:;!?](\s|$)", node), node


def test_map_outlines_ship_with_the_package():
    assert (ROOT / "site_gen" / "data" / "regions.json").stat().st_size < 40_000


def test_the_open_data_page_gives_each_files_size_and_the_date_of_the_data(sample_site):
    import json

    page = soup(sample_site / "donnees" / "index.html")
    for dt in page.select(".data-files dt"):
        href = dt.find("a")["href"]
        shown = text_of(dt.find_next_sibling("dd").find(class_="data-size")).strip("()")
        number, unit = shown.split()
        size = (sample_site / href.strip("/")).stat().st_size
        assert unit == "ko" and float(number.replace(",", ".")) == round(size / 1000, 1), href
    records = json.loads((sample_site / "donnees" / "acteurs.json").read_text("utf-8"))
    newest = max(r["updated"] for r in records if r["updated"])
    year, month, day = newest.split("-")
    assert year in text_of(page.find(class_="data-date"))
