"""The sample site in a real browser: search, facets, keyboard, accessibility, CSP.

Debian's Chromium (/usr/bin/chromium, headless) is driven by Playwright against the sample,
built once into a temporary folder and served on 127.0.0.1 by a thread of this process.
Without Chromium or Playwright the tests are skipped with a message (in CI, whose .ci/run
installs Chromium, they fail instead). axe-core comes from npm (`npm ci`).
What the tests expect is read from the built site's open data, not hard-coded.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import snowballstemmer

from site_gen.pages.search import SHARD
from site_gen.pages.search_record import fold

from .conftest import ROOT, SAMPLE_CONTENT, run_cli

sys.path.insert(0, str(ROOT / "scripts"))
from headless import served  # noqa: E402

try:
    from playwright.sync_api import Page, expect
except ImportError:  # the `test` extra is not installed: the `browser` fixture skips
    Page = expect = None

AXE = ROOT / "node_modules/axe-core/axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
UNIQUE_WORD = "ensembliers"  # in content/actors/passages.yaml (profile #293) and nowhere else
SUB_PATH = "/annuaire/"


# --- the built site, its server, the browser ------------------------------------------------


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the sample at its root and again under /annuaire/ (a sub-path site)."""
    root = tmp_path_factory.mktemp("browser")
    site = root / "site"
    result = run_cli("--content", SAMPLE_CONTENT, "--output", site)
    assert result.status == 0, result.stderr
    result = run_cli(
        "--content",
        SAMPLE_CONTENT,
        "--output",
        site / SUB_PATH.strip("/"),
        "--base-url",
        "https://example.org" + SUB_PATH,
    )
    assert result.status == 0, result.stderr
    return site


@pytest.fixture(scope="session")
def base_url(built: Path) -> Iterator[str]:
    with served(built) as url:
        yield url


# `browser` (Chromium, one for the session) is conftest.py's.


class Tab:
    """A page, plus what went wrong in it: console errors, uncaught exceptions, CSP reports."""

    def __init__(self, page: Page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.errors: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        # Init scripts are injected by the browser, not by the page, so the CSP allows them.
        page.add_init_script(
            "window.__csp = [];"
            "document.addEventListener('securitypolicyviolation', e =>"
            " window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
        )

    def goto(self, path: str) -> Page:
        self.page.goto(self.base_url + path)
        return self.page

    def csp_violations(self) -> list[str]:
        return self.page.evaluate("window.__csp")


@pytest.fixture
def tab(browser, base_url: str) -> Iterator[Tab]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    try:
        yield Tab(context.new_page(), base_url)
    finally:
        context.close()


@pytest.fixture(scope="session")
def actors(built: Path) -> list[dict]:
    """The catalogue as the site publishes it (/donnees/acteurs.json)."""
    return json.loads((built / "donnees/acteurs.json").read_text(encoding="utf-8"))


def path_of(actor: dict) -> str:
    return f"/acteurs/{actor['slug']}/"


def status_text(count: int) -> str:
    if count == 0:
        return "Aucun acteur ne correspond à cette recherche."
    return "1 acteur trouvé" if count == 1 else f"{count} acteurs trouvés"


def result_paths(page: Page) -> set[str]:
    links = page.locator(".search-results a")
    return {links.nth(i).get_attribute("href") for i in range(links.count())}


def checkbox(page: Page, facet: str, value: str):
    """A facet value found as a user finds it: the checkbox named by its label, in its group."""
    group = page.get_by_role("group", name=facet, exact=True)
    return group.get_by_role("checkbox", name=re.compile(rf"^{re.escape(value)} \(\d+\)$"))


# --- search ---------------------------------------------------------------------------------


def test_a_word_found_only_in_profile_293_finds_it(tab: Tab, actors: list[dict]):
    having = [a for a in actors if UNIQUE_WORD in json.dumps(a, ensure_ascii=False).lower()]
    assert [a["id"] for a in having] == [293], "the test word must appear in #293 only"

    page = tab.goto("/recherche/")
    page.get_by_role("main").get_by_label("Rechercher un acteur").fill(UNIQUE_WORD)
    expect(page.locator(".search-status")).to_have_text(status_text(1))
    result = page.locator(".search-results li")
    expect(result).to_have_count(1)
    link = result.get_by_role("link")
    expect(link).to_have_text(having[0]["name"])
    assert link.get_attribute("href") == path_of(having[0])
    expect(result.locator(".card-summary")).to_have_text(having[0]["summary"])
    assert page.url.endswith(f"/recherche/?q={UNIQUE_WORD}"), "the URL is shareable"
    link.click()
    expect(page.locator("h1")).to_have_text(having[0]["name"])
    assert tab.errors == []


def test_a_beginning_of_the_word_in_any_case_and_accents_finds_it(tab: Tab, actors: list[dict]):
    """Folded like the index, stop words left out, and a word's beginning is enough; only
    the files this query needs are fetched: its word's bucket, its result's shard and the
    passages of its excerpt."""
    fetched: list[str] = []
    tab.page.on("request", lambda request: fetched.append(request.url))
    page = tab.goto("/recherche/?q=les%20ENSEMBLI%C3%89R")  # "les ENSEMBLIÉR"
    expect(page.locator(".search-status")).to_have_text(status_text(1))
    link = page.locator(".search-results a")
    assert link.get_attribute("href") == "/acteurs/passages/"
    index = tab.base_url + "/recherche/index/"
    files = sorted(url.removeprefix(index) for url in fetched if url.startswith(index))
    actor_id = next(a["id"] for a in actors if a["slug"] == "passages")
    expected = ["filters.json", "meta.json", "order.json", "terms/e/ns.json"]
    expected += [f"docs/{actor_id // SHARD}.json", f"texts/{actor_id}.json"]
    assert files == sorted(expected)
    assert tab.errors == []


def test_facets_narrow_with_or_inside_a_facet_and_and_between_facets(tab: Tab, actors: list[dict]):
    def having(key: str, value: str) -> set[str]:
        return {path_of(a) for a in actors if value in a[key]}

    territories = sorted({t for a in actors for t in a["territories"]})
    first = max(territories, key=lambda t: (len(having("territories", t)), t))
    second = next(t for t in territories if having("territories", t) - having("territories", first))
    union = having("territories", first) | having("territories", second)
    contexts = sorted({c for a in actors for c in a["contexts"]})
    context = next(c for c in contexts if 0 < len(union & having("contexts", c)) < len(union))
    both = union & having("contexts", context)
    assert len(actors) > len(having("territories", first)) > 0
    assert len(union) <= 10, "the sample's facets should fit on the first page of results"

    page = tab.goto("/recherche/")
    status = page.locator(".search-status")
    expect(status).to_have_text(status_text(len(actors)))  # no query: everyone

    box = checkbox(page, "Territoire", first)
    expect(box).to_have_accessible_name(f"{first} ({len(having('territories', first))})")
    box.check()
    expect(status).to_have_text(status_text(len(having("territories", first))))
    assert result_paths(page) == having("territories", first)
    for territories_line in page.locator(".search-results .card-territories").all():
        assert first in territories_line.text_content()

    checkbox(page, "Territoire", second).check()
    expect(status).to_have_text(status_text(len(union)))
    assert result_paths(page) == union, "two values of one facet: either one (OR)"

    checkbox(page, "Contexte", context).check()
    expect(status).to_have_text(status_text(len(both)))
    assert result_paths(page) == both, "a second facet: both conditions (AND)"
    # Counts say what ticking a value would give: the territory alternatives stay counted
    # without the territory selection, but within the context now ticked.
    third_count = len(having("territories", first) & having("contexts", context))
    expect(checkbox(page, "Territoire", first)).to_have_accessible_name(f"{first} ({third_count})")

    # The selection is in the URL: reloading it (or sharing it) gives the same results.
    assert "territoire=" in page.url and "contexte=" in page.url
    page.reload()
    expect(status).to_have_text(status_text(len(both)))
    assert result_paths(page) == both
    expect(checkbox(page, "Territoire", second)).to_be_checked()

    page.get_by_role("button", name="Effacer les filtres").click()
    expect(status).to_have_text(status_text(len(actors)))
    assert tab.errors == []


def test_more_button_shows_the_next_results_and_moves_focus_to_them(tab: Tab, actors: list[dict]):
    assert len(actors) > 10, "the sample must have more actors than one page of results"
    page = tab.goto("/recherche/")
    expect(page.locator(".search-status")).to_have_text(status_text(len(actors)))
    expect(page.locator(".search-results li")).to_have_count(10)
    page.get_by_role("button", name="Afficher plus de résultats").click()
    expect(page.locator(".search-results li")).to_have_count(min(len(actors), 20))
    focused = page.evaluate("document.activeElement.closest('.search-results li') !== null")
    assert focused, "focus moves to the first result added"
    if len(actors) <= 20:
        expect(page.get_by_role("button", name="Afficher plus de résultats")).to_be_hidden()


def test_search_says_so_when_the_index_cannot_load(tab: Tab):
    tab.page.route("**/recherche/index/meta.json", lambda route: route.abort())
    page = tab.goto("/recherche/?q=concertation")
    expect(page.locator(".search-status")).to_have_text(
        "La recherche n’est pas disponible pour le moment."
    )
    expect(page.locator(".search-filters")).to_be_hidden()


def test_search_works_on_a_site_under_a_sub_path(tab: Tab):
    page = tab.goto(f"{SUB_PATH}recherche/?q={UNIQUE_WORD}")
    expect(page.locator(".search-status")).to_have_text(status_text(1))
    link = page.locator(".search-results a")
    assert link.get_attribute("href") == f"{SUB_PATH}acteurs/passages/"
    link.click()
    expect(page.locator(".profile-number")).to_contain_text("293")
    assert tab.errors == []


def test_searching_raises_no_console_error_and_no_csp_violation(tab: Tab):
    page = tab.goto("/recherche/")
    field = page.locator("#recherche-q")
    field.press_sequentially("concert", delay=30)  # typing: debounced searches
    expect(page.locator(".search-results li").first).to_be_visible()
    page.locator(".search-facets input[type=checkbox]").first.check()
    field.press("Enter")
    page.wait_for_load_state("networkidle")
    expect(page.locator(".search-status")).not_to_have_text(re.compile("Chargement|disponible"))
    assert tab.errors == []
    assert tab.csp_violations() == []


# --- what a reader means: word forms, typos, excerpts, no dead ends -------------------------

STEMMER = snowballstemmer.stemmer("french")


def words_of(actor: dict) -> set[str]:
    """The folded words of what the search index reads of an actor (search_record.record)."""
    texts = [actor[key] for key in ("name", "summary", "legal_form", "city", "about")]
    texts += actor["clients"] + actor["territories"] + actor["contexts"]
    for service in actor["services"]:
        texts += [service["title"], service["tagline"], service["description"]]
    for experience in actor["experiences"]:
        texts += [experience["client"], experience["title"], experience["description"]]
    return set(re.findall(r"[^\W_]{2,}", fold(" ".join(texts))))


def having_a_form_of(actors: list[dict], word: str) -> set[str]:
    """Profiles with `word`, a word it begins or a word of the same stem."""
    stem = STEMMER.stemWord(word)
    return {
        path_of(a)
        for a in actors
        if any(w.startswith(word) or STEMMER.stemWord(w) == stem for w in words_of(a))
    }


def marked(page: Page) -> list[str]:
    return [fold(text) for text in page.locator(".search-results mark").all_text_contents()]


def test_a_verb_finds_the_profiles_with_its_nouns_and_adjectives(tab: Tab, actors: list[dict]):
    expected = having_a_form_of(actors, "participer")
    without_the_verb = {path_of(a) for a in actors if "participer" not in words_of(a)}
    assert expected & without_the_verb, "the sample must have forms other than the verb"
    assert 0 < len(expected) <= 10

    page = tab.goto("/recherche/")
    page.get_by_role("main").get_by_label("Rechercher un acteur").fill("participer")
    expect(page.locator(".search-status")).to_have_text(status_text(len(expected)))
    assert result_paths(page) == expected
    forms = set(marked(page))
    assert {"participation", "participatif"} <= forms, forms
    assert all(STEMMER.stemWord(form) == "particip" for form in forms)
    for actor in (a for a in actors if path_of(a) in expected and a["contexts"]):
        card = page.locator(".search-result").filter(
            has=page.locator(f'a[href="{path_of(actor)}"]')
        )
        expect(card.locator(".card-contexts")).to_contain_text(", ".join(actor["contexts"]))
    assert tab.errors == []


@pytest.mark.parametrize(
    ("typed", "meant"), [("montpelier", "montpellier"), ("cevenes", "cevennes")]
)
def test_a_misspelt_place_finds_the_profiles_that_name_it(tab: Tab, actors, typed, meant):
    expected = {path_of(a) for a in actors if meant in words_of(a)}
    assert expected and not any(typed in words_of(a) for a in actors)

    page = tab.goto(f"/recherche/?q={typed}")
    expect(page.locator(".search-status")).to_contain_text(status_text(len(expected)))
    assert result_paths(page) == expected
    for result in page.locator(".search-result").all():
        assert meant in [fold(m) for m in result.locator("mark").all_text_contents()]
    assert tab.errors == []


def test_a_word_one_letter_away_is_found_but_ranked_below_the_word_itself(tab: Tab, actors):
    exact = having_a_form_of(actors, "compte")
    typos = {path_of(a) for a in actors if {"comte", "comite"} & words_of(a)} - exact
    assert exact and typos and len(exact | typos) <= 10

    page = tab.goto("/recherche/?q=compte")
    expect(page.locator(".search-status")).to_have_text(status_text(len(exact | typos)))
    links = page.locator(".search-results h3 a")
    ranked = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert set(ranked[: len(exact)]) == exact and set(ranked[len(exact) :]) == typos
    # Only typos for a word: the status says the spelling was approached.
    page = tab.goto("/recherche/?q=cartographeir")
    expect(page.locator(".search-status")).to_contain_text(
        "Orthographe approchante pour : cartographeir."
    )


def test_each_result_shows_the_passage_where_its_word_matched(tab: Tab, actors: list[dict]):
    passages = next(a for a in actors if a["slug"] == "passages")
    service = next(s for s in passages["services"] if UNIQUE_WORD in s["description"].lower())
    page = tab.goto(f"/recherche/?q={UNIQUE_WORD}")
    expect(page.locator(".search-status")).to_have_text(status_text(1))
    quote = page.locator(".search-result .search-excerpt")
    expect(quote.locator(".excerpt-field")).to_have_text(f"Service « {service['title']} » :")
    expect(quote.locator("mark")).to_have_text(re.compile(UNIQUE_WORD, re.I))
    words = quote.locator(".excerpt-text").text_content().replace("…", " ").split()
    assert 10 <= len(words) <= 30
    written = fold(f"{service['tagline']} {service['description']}")
    assert set(re.findall(r"[^\W_]+", fold(" ".join(words)))) <= set(
        re.findall(r"[^\W_]+", written)
    )
    assert tab.errors == []


def test_an_experience_excerpt_names_its_client(tab: Tab, actors: list[dict]):
    page = tab.goto("/recherche/?q=montpellier%20plateforme")
    expect(page.locator(".search-result")).to_have_count(1)
    field = page.locator(".search-excerpt .excerpt-field")
    expect(field).to_contain_text("Expérience avec Montpellier Méditerranée Métropole")
    expect(field.locator("mark")).to_have_text(["Montpellier", "Plateforme"])


def test_a_facet_value_that_would_give_nothing_is_disabled(tab: Tab, actors: list[dict]):
    found = having_a_form_of(actors, "participer")
    territories = {t for a in actors for t in a["territories"]}
    reached = {t for a in actors if path_of(a) in found for t in a["territories"]}
    nowhere, somewhere = sorted(territories - reached)[0], sorted(reached)[0]
    page = tab.goto("/recherche/?q=participer")
    expect(page.locator(".search-status")).to_have_text(status_text(len(found)))
    group = page.get_by_role("group", name="Territoire", exact=True)
    box = group.get_by_role("checkbox", name=f"{nowhere} (0)")
    expect(box).to_be_disabled()  # announced as unavailable by screen readers
    expect(checkbox(page, "Territoire", somewhere)).to_be_enabled()
    for option in page.locator(".facet-option").all():
        count = option.locator(".facet-count").text_content()
        assert option.locator("input").is_disabled() == (count == "(0)")
    page.locator("#recherche-q").fill("")
    expect(page.locator(".search-status")).to_have_text(status_text(len(actors)))
    expect(checkbox(page, "Territoire", nowhere)).to_be_enabled()


def test_a_search_without_result_offers_what_to_drop_as_links(tab: Tab, actors: list[dict]):
    territory = sorted({t for a in actors for t in a["territories"]})[0]
    in_territory = {path_of(a) for a in actors if territory in a["territories"]}
    page = tab.goto(f"/recherche/?q={UNIQUE_WORD}&territoire={territory}")
    status = page.locator(".search-status")
    expect(status).to_have_text(
        status_text(0) + " Pour élargir la recherche, suivez une des suggestions ci-dessous."
    )
    links = page.locator(".search-suggestions a")
    expect(links).to_have_text(
        [
            f"Sans le mot « {UNIQUE_WORD} » : {status_text(len(in_territory))}",
            f"Sans le filtre « {territory} » : {status_text(1)}",
        ]
        if len(in_territory) > 1
        else [
            f"Sans le filtre « {territory} » : {status_text(1)}",
            f"Sans le mot « {UNIQUE_WORD} » : {status_text(len(in_territory))}",
        ]
    )
    # A link without JavaScript too: the URL of the search without that filter.
    link = page.get_by_role("link", name=re.compile(f"^Sans le filtre « {re.escape(territory)} »"))
    assert link.get_attribute("href") == f"/recherche/?q={UNIQUE_WORD}"
    link.focus()
    page.keyboard.press("Enter")
    expect(status).to_have_text(status_text(1))
    assert result_paths(page) == {"/acteurs/passages/"}
    expect(links).to_have_count(0)
    assert page.url.endswith(f"/recherche/?q={UNIQUE_WORD}")
    # A word found nowhere: dropping it is the way out.
    page.locator("#recherche-q").fill("zzzqqqx")
    expect(page.get_by_role("link", name=re.compile("^Sans le mot « zzzqqqx »"))).to_have_text(
        f"Sans le mot « zzzqqqx » : {status_text(len(actors))}"
    )
    assert tab.errors == []


# --- keyboard -------------------------------------------------------------------------------


def tab_until(page: Page, selector: str, limit: int = 120) -> int:
    """Press Tab until the focused element matches `selector`; how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return presses
    raise AssertionError(f"{limit} presses of Tab never reached {selector}")


def test_keyboard_alone_reaches_the_search_field_and_a_result(tab: Tab):
    page = tab.goto("/")
    tab_until(page, "#recherche-entete", limit=5)
    page.keyboard.type(UNIQUE_WORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/recherche/\?q={UNIQUE_WORD}$"))
    expect(page.locator(".search-status")).to_have_text(status_text(1))
    # Past the page's own search form, a skip link jumps over the facets' checkboxes.
    tab_until(page, ".search-skip", limit=20)
    expect(page.locator(".search-skip")).to_be_visible()
    page.keyboard.press("Enter")
    tab_until(page, ".search-results a", limit=1)
    assert page.evaluate("document.activeElement.getAttribute('href')") == "/acteurs/passages/"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/acteurs/passages/$"))


# --- the home page's chooser and map, the clients' filter ------------------------------------

PAIR = "/territoires/occitanie/environnement-transition/"


def test_keyboard_alone_chooses_a_territory_and_a_context_and_reaches_their_pair(tab: Tab):
    page = tab.goto("/")
    tab_until(page, "#choix-territoire", limit=15)
    page.keyboard.type("Occitanie")  # a focused select picks the option typed
    page.keyboard.press("Tab")
    page.keyboard.type("Environnement")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(PAIR) + "$"))
    expect(page.locator("h1")).to_contain_text("Environnement et transition écologique")
    assert tab.errors == [] and tab.csp_violations() == []


def test_without_javascript_the_chooser_reaches_a_pair_in_three_clicks(browser, base_url):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base_url + "/")
        page.select_option("#choix-territoire", "occitanie")
        page.select_option("#choix-contexte", "environnement-transition")
        page.get_by_role("button", name="Voir les acteurs").click()  # 1
        page.wait_for_url(re.compile(r"/choisir/\?territoire=occitanie&contexte="))
        section = page.locator("#occitanie")
        section.get_by_role("link", name="Environnement et transition écologique").click()  # 2
        page.wait_for_url(re.compile(re.escape(PAIR) + "$"))
        expect(page.locator(".cards .card").first).to_be_visible()
    finally:
        context.close()


def test_keyboard_alone_reaches_a_region_of_the_map_and_opens_it(tab: Tab):
    page = tab.goto("/")
    presses = tab_until(page, ".map-svg a", limit=40)
    assert presses > 0
    href = page.evaluate("document.activeElement.getAttribute('href')")
    assert href.startswith("/territoires/")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(href) + "$"))
    expect(page.locator(f".map-svg a[href='{href}'][aria-current=page]")).to_have_count(1)


def test_the_clients_filter_narrows_the_list_as_one_types(tab: Tab):
    page = tab.goto("/clients/")
    box = page.get_by_label("Filtrer les clients")
    expect(box).to_be_visible()
    box.fill("lyon")
    visible = page.locator(".client-group li:visible")
    expect(visible).to_have_count(2)  # Métropole de Lyon, Ville de Lyon
    expect(page.locator(".client-group:visible h2")).to_have_count(2)
    box.fill("zzz")
    expect(page.locator(".client-filter-status")).to_have_text(
        "Aucun client de cette page ne correspond."
    )
    assert tab.errors == [] and tab.csp_violations() == []


def test_who_worked_with_a_metropolis_is_two_clicks_from_home(tab: Tab):
    page = tab.goto("/")
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Clients"
    ).click()
    page.get_by_role("navigation", name="Qui a déjà travaillé avec…").get_by_role(
        "link", name="Intercommunalité ou métropole"
    ).click()
    page.wait_for_url(re.compile(r"/types-de-clients/intercommunalite-metropole/$"))
    expect(page.locator(".card").first).to_be_visible()


# --- accessibility and small screens --------------------------------------------------------

PAGES = {
    "home": "/",
    "profile": "/acteurs/passages/",
    "term": "/territoires/occitanie/",
    "client": "/clients/metropole-de-lyon/",
    "search": "/recherche/?q=concertation",
    "search-none": "/recherche/?q=ensembliers&territoire=Corse",
    "clients": "/clients/",
    "client-type": "/types-de-clients/intercommunalite-metropole/",
    "choose": "/choisir/",
    "pair": "/territoires/occitanie/environnement-transition/",
    "about": "/a-propos/",
    "propose": "/proposer-une-fiche/",
    "legal": "/mentions-legales/",
    "accessibility": "/accessibilite/",
    "long-profile": "/acteurs/cite-en-commun/",
}


def ready(page: Page, path: str) -> None:
    if path.endswith("territoire=Corse"):
        expect(page.locator(".search-suggestions a").first).to_be_visible()
    elif path.startswith("/recherche/"):
        expect(page.locator(".search-results li").first).to_be_visible()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        pytest.skip("axe-core not installed: run `npm ci`")
    return AXE.read_text(encoding="utf-8")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_serious_wcag_21_aa_violation(tab: Tab, axe_source, name, scheme):
    tab.page.emulate_media(color_scheme=scheme)
    page = tab.goto(PAGES[name])
    ready(page, PAGES[name])
    page.evaluate(axe_source)  # evaluated by the driver: not subject to the page's CSP
    report = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in report["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == [], "\n".join(bad)


@pytest.mark.parametrize("name", list(PAGES))
def test_pages_fit_a_360_pixel_screen(browser, base_url, name):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        page.goto(base_url + PAGES[name])
        ready(page, PAGES[name])
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{PAGES[name]} scrolls sideways at 360 px ({width} px wide)"
    finally:
        context.close()
