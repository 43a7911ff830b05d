"""Issue 3 on the sample site: who worked with whom, territory × context, related actors,
pagination, open data, sharing metadata, logos and stable URLs."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from .conftest import ROOT, VALID_ACTOR, run_cli

PNG_1x1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c4944415478da63f8cfc0000003010100c9fe92ef0000000049454e44ae426082"
)


def soup(path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def text_of(node) -> str:
    return " ".join(node.get_text(" ").split())


def card_names(document) -> list[str]:
    return [text_of(a) for a in document.select(".card-title a")]


def test_client_page_merges_spellings_and_shows_experiences(sample_site):
    page = soup(sample_site / "clients" / "metropole-de-lyon" / "index.html")
    assert text_of(page.find("h1")) == "Métropole de Lyon"
    names = card_names(page)
    # "Grand Lyon" (an alias in content/clients.yaml) and "Métropole de Lyon" are one client
    assert "Cité en Commun" in names and "PASSAGES" in names
    assert "Pendant 6 ans" in text_of(page)  # PASSAGES' experience text is shown
    assert not (sample_site / "clients" / "grand-lyon").exists()


def test_client_names_differing_by_case_are_one_client(sample_site):
    page = soup(sample_site / "clients" / "nantes-metropole" / "index.html")
    assert {"CiviLab", "Concertance"} <= set(card_names(page))


def test_clients_overview_is_sorted_by_number_of_actors_within_each_type(sample_site):
    groups = soup(sample_site / "clients" / "index.html").select(".client-overview")
    most = 0
    for group in groups:
        counts = [int(text_of(li).rsplit(" ", 2)[-2]) for li in group.find_all("li")]
        assert counts == sorted(counts, reverse=True)
        most = max(most, counts[0])
    assert len(groups) > 1 and most >= 3


def test_profile_clients_link_to_their_client_pages(sample_site):
    page = soup(sample_site / "acteurs" / "passages" / "index.html")
    links = page.select("section.clients a")
    assert len(links) == 7
    for link in links:
        target = sample_site / link["href"].strip("/") / "index.html"
        assert "PASSAGES" in card_names(soup(target))


def test_territory_context_pairs_are_pages_linked_from_both_terms(sample_site):
    pair = sample_site / "territoires" / "occitanie" / "environnement-transition" / "index.html"
    names = set(card_names(soup(pair)))
    occitanie = set(card_names(soup(sample_site / "territoires" / "occitanie" / "index.html")))
    environment = set(
        card_names(soup(sample_site / "contextes" / "environnement-transition" / "index.html"))
    )
    assert names == occitanie & environment and len(names) >= 2
    href = "/territoires/occitanie/environnement-transition/"
    for term_page in (
        sample_site / "territoires" / "occitanie" / "index.html",
        sample_site / "contextes" / "environnement-transition" / "index.html",
    ):
        assert soup(term_page).select_one(f"nav.refine a[href='{href}']")


def test_related_actors_are_at_most_five_and_never_the_actor_itself(sample_site):
    for profile in (sample_site / "acteurs").glob("*/index.html"):
        page = soup(profile)
        if page.find("meta", attrs={"http-equiv": "refresh"}):
            continue
        related = card_names(page.select_one("section.related") or page.new_tag("div"))
        assert len(related) <= 5
        assert text_of(page.find("h1")) not in related


def test_pagination_keeps_every_list_page_small(make_site, tmp_path):
    actors = {
        f"a{i}.yaml": f"id: {i}\nname: Acteur {i:02}\nterritories: [Bretagne]\n"
        for i in range(1, 8)
    }
    content = make_site(actors, site_yaml="page_size: 3\n")
    output = tmp_path / "out"
    assert run_cli("--content", content, "--output", output).status == 0, "build failed"
    pages = [
        output / "index.html",
        output / "page" / "2" / "index.html",
        output / "page" / "3" / "index.html",
    ]
    seen = []
    for page in pages:
        names = card_names(soup(page))
        assert 1 <= len(names) <= 3
        seen += names
    assert seen == [f"Acteur {i:02}" for i in range(1, 8)]
    assert not (output / "page" / "4").exists()
    second = soup(pages[1])
    assert second.select_one("nav.pagination a[rel=prev]")["href"] == "/"
    assert second.select_one("nav.pagination a[rel=next]")["href"] == "/page/3/"
    assert (output / "territoires" / "bretagne" / "page" / "3" / "index.html").exists()
    # the first page counts the actors; the others say where the reader is
    assert text_of(soup(pages[0]).select_one("p.count")) == "7 acteurs"
    assert text_of(second.select_one("p.count")) == "Page 2 sur 3"
    term_second = soup(output / "territoires" / "bretagne" / "page" / "2" / "index.html")
    assert text_of(term_second.select_one("p.count")) == "Page 2 sur 3"


def test_csv_export_opens_in_a_spreadsheet_with_accents(sample_site):
    raw = (sample_site / "donnees" / "acteurs.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 12
    passages = next(r for r in rows if r["id"] == "293")
    assert passages["clients"].split(" ; ")[:2] == [
        "Métropole Aix-Marseille-Provence",
        "Nîmes Métropole",
    ]
    assert passages["commons"] == "non"
    eco = next(r for r in rows if r["name"] == "Écologie & Territoires")
    assert " ; " in eco["territories"]


def test_json_export_has_every_actor_with_markdown_and_html(sample_site):
    records = json.loads((sample_site / "donnees" / "acteurs.json").read_text(encoding="utf-8"))
    assert len(records) == 12
    passages = next(r for r in records if r["id"] == 293)
    assert passages["url"] == "https://example.org/acteurs/passages/"
    assert "<p>" in passages["about_html"] and "<p>" not in passages["about"]
    assert len(passages["experiences"]) == 3
    single = json.loads((sample_site / "acteurs" / "passages.json").read_text(encoding="utf-8"))
    assert single == passages
    schema = json.loads((sample_site / "donnees" / "actor.schema.json").read_text())
    assert schema["title"] == "Fiche acteur"
    data_page = soup(sample_site / "donnees" / "index.html")
    assert "Licence Ouverte" in text_of(data_page)


def test_profile_has_sharing_metadata_and_json_ld(sample_site):
    page = soup(sample_site / "acteurs" / "ecologie-territoires" / "index.html")
    assert page.find("meta", property="og:title")["content"] == "Écologie & Territoires"
    assert page.find("meta", property="og:url")["content"].endswith("/ecologie-territoires/")
    assert page.find("meta", property="og:image")["content"].startswith(
        "https://example.org/logos/"
    )
    assert page.find("meta", attrs={"name": "description"})["content"].startswith("Exemple fictif")
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert data["@type"] == "Organization" and data["name"] == "Écologie & Territoires"
    assert "National" in data["areaServed"] and data["knowsAbout"]


def test_json_ld_cannot_close_its_script_element(make_site, tmp_path):
    content = make_site({"x.yaml": 'id: 5\nname: "</script><script>alert(1)</script>"\nslug: x\n'})
    assert run_cli("--content", content, "--output", tmp_path / "o").status == 0
    html = (tmp_path / "o" / "acteurs" / "x" / "index.html").read_text()
    assert "<script>alert(1)" not in html
    page = soup(tmp_path / "o" / "acteurs" / "x" / "index.html")
    assert json.loads(page.find("script", type="application/ld+json").string)["name"].startswith(
        "</script>"
    )


def test_atom_feed_lists_recent_updates_first(sample_site):
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.parse(sample_site / "flux.xml").getroot()
    updated = [e.findtext("a:updated", namespaces=ns) for e in feed.findall("a:entry", ns)]
    assert updated and updated == sorted(updated, reverse=True)
    assert feed.findtext("a:updated", namespaces=ns) == updated[0]


def test_logo_is_copied_with_a_hashed_name_and_its_size(sample_site):
    page = soup(sample_site / "acteurs" / "ecologie-territoires" / "index.html")
    img = page.select_one("img.profile-logo")
    assert (img["width"], img["height"]) == ("160", "160")
    assert img["alt"] == "Logo de Écologie & Territoires"
    stored = sample_site / img["src"].lstrip("/")
    assert stored.read_bytes() == (ROOT / "content/logos/ecologie-territoires.png").read_bytes()
    assert stored.name.startswith("ecologie-territoires.") and stored.name.count(".") == 2


@pytest.mark.parametrize(
    ("logo", "data", "expected"),
    [
        (
            "logos/x.svg",
            b"<svg xmlns='http://www.w3.org/2000/svg'/>",
            "logo : les logos SVG sont refusés : un fichier SVG peut contenir des scripts",
        ),
        (
            "logos/x.png",
            b"<svg onload='alert(1)'/>",
            "logo : « logos/x.png » est refusé : c'est un fichier SVG",
        ),
        ("logos/x.png", b"not an image at all", "est refusé : ce n'est pas une image PNG"),
        (
            "logos/x.png",
            PNG_1x1 + b"\0" * 500_001,
            "logo : l'image fait 500\u202f070 octets ; la limite",
        ),
        ("logos/absent.png", None, "logo : il n'y a pas de fichier « logos/absent.png »"),
        ("../secret.png", None, "logo : « ../secret.png » doit être un chemin dans le dossier"),
        ("logos/x.gif", b"GIF89a", "logo : « logos/x.gif » n'est pas un fichier PNG, JPEG ou WebP"),
    ],
)
def test_bad_logos_are_refused_with_a_reason(make_site, logo, data, expected):
    content = make_site({"a.yaml": VALID_ACTOR + f"logo: {logo}\n"})
    if data is not None:
        (content / "logos").mkdir(exist_ok=True)
        (content / logo).write_bytes(data)
    result = run_cli("check", "--content", content)
    assert result.status == 1
    assert "a.yaml:6:" in result.stderr and expected in result.stderr


def test_id_and_alias_redirect_to_the_profile(sample_site):
    by_id = soup(sample_site / "acteurs" / "293" / "index.html")
    assert by_id.find("meta", attrs={"http-equiv": "refresh"})["content"] == (
        "0; url=/acteurs/passages/"
    )
    assert by_id.find("link", rel="canonical")["href"] == "https://example.org/acteurs/passages/"
    alias = soup(sample_site / "acteurs" / "civilab" / "index.html")
    assert alias.find("meta", attrs={"http-equiv": "refresh"})["content"].endswith(
        "/acteurs/civilab-scic/"
    )


@pytest.mark.parametrize(
    ("second", "expected"),
    [
        (
            "id: 2\nname: Deux\nslug: '1'\n",
            "b.yaml:3: slug : « 1 » doit contenir au moins une lettre",
        ),
        ("id: 2\nname: '1'\n", "b.yaml:2: aucune adresse ne peut être tirée de ce nom"),
        (
            "id: 2\nname: Deux\naliases: [exemple]\n",
            "b.yaml:3: l'adresse /acteurs/exemple/ est déjà prise par",
        ),
    ],
)
def test_redirects_never_take_a_real_page(make_site, second, expected):
    content = make_site({"a.yaml": VALID_ACTOR, "b.yaml": second})
    result = run_cli("check", "--content", content)
    assert result.status == 1
    assert expected in result.stderr.replace(str(content) + "/actors/", "")


def test_headers_file_carries_the_security_policy(sample_site):
    headers = (sample_site / "_headers").read_text()
    assert "Content-Security-Policy: default-src 'self'" in headers
    assert "frame-ancestors 'none'" in headers
    page = soup(sample_site / "index.html")
    csp = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "script-src 'self';" in csp and "unsafe" not in csp and "blob:" not in csp


def test_search_index_is_published_with_the_site(sample_site):
    meta = json.loads((sample_site / "recherche" / "index" / "meta.json").read_text())
    assert meta["docs"] == 12
    assert (sample_site / "recherche" / "index" / "filters.json").exists()
