"""The web editor (/admin/, Decap CMS) in a real browser, against decap-server as `make cms`
runs it: a copy of the sample content in a temporary repository, the built site served on
127.0.0.1 and decap-server on 127.0.0.1:8081 (where the generated config looks for it), both
stopped by the fixtures. Files the editor writes are read back from disk and checked with
`check`, as an editor's pull request would be. Skipped like test_browser.py without Chromium
or Playwright, and without decap-server (`npm ci`)."""

from __future__ import annotations

import shutil
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from site_gen.content.schema import ACTOR_FIELDS, SUMMARY_MAX_LENGTH

from .conftest import ROOT, SAMPLE_CONTENT, missing, run_cli
from .test_browser import Tab

sys.path.insert(0, str(ROOT / "scripts"))
from cms_local import DECAP_SERVER, LOCAL_PORT, decap_server  # noqa: E402
from headless import served  # noqa: E402

try:
    from playwright.sync_api import expect
except ImportError:  # the `test` extra is not installed: the `browser` fixture skips
    expect = None

KEY_ORDER = [f.name for f in ACTOR_FIELDS]


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A checkout of its own: the editor writes into its content/."""
    root = tmp_path_factory.mktemp("cms") / "repo"
    shutil.copytree(SAMPLE_CONTENT, root / "content")
    return root


def build(repository: Path) -> Path:
    site = repository.parent / "site"
    result = run_cli("--content", repository / "content", "--output", site)
    assert result.status == 0, result.stderr
    return site


@pytest.fixture(scope="module")
def admin_url(repository: Path) -> Iterator[str]:
    if not DECAP_SERVER.exists():
        missing("decap-server is not installed: npm ci")
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", LOCAL_PORT)) == 0:
            missing(f"127.0.0.1:{LOCAL_PORT} is taken (make cms running?): stop it first")
    site = build(repository)
    with decap_server(repository, quiet=True), served(site) as base:
        yield base + "/admin/"


@pytest.fixture
def editor(browser, admin_url: str) -> Iterator[Tab]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    tab = Tab(context.new_page(), admin_url)
    try:
        tab.goto("")
        tab.page.get_by_role("button", name="Se connecter").click()
        tab.page.get_by_role("link", name="Fiches (.yaml)").wait_for()
        yield tab
    finally:
        context.close()


def keys(path: Path) -> list[str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8").removeprefix("---\n").split("\n---")[0])
    return list(data)


def check(repository: Path) -> None:
    result = run_cli("check", "--content", repository / "content")
    assert result.status == 0, result.stderr


def publish(tab: Tab) -> None:
    page = tab.page
    page.get_by_role("button", name="Publier").first.click()
    page.get_by_text("Publier maintenant").click()
    expect(page.get_by_text("Publiée").first).to_be_visible()


def test_the_sample_actors_are_listed(editor: Tab):
    page = editor.page
    page.get_by_role("link", name="Fiches (.yaml)").click()
    for path in sorted((SAMPLE_CONTENT / "actors").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        expect(page.get_by_text(f"{data['name']} (n° {data['id']})", exact=True)).to_be_visible()
    assert editor.csp_violations() == []
    assert [e for e in editor.errors if "404" not in e] == []


def test_editing_a_summary_writes_the_file_which_passes_check(editor: Tab, repository: Path):
    path = repository / "content/actors/passages.yaml"
    before = yaml.safe_load(path.read_text(encoding="utf-8"))
    page = editor.page
    editor.goto("#/collections/acteurs/entries/passages")
    summary = page.get_by_label("Résumé")
    expect(summary).to_have_value(before["summary"])
    new_summary = "Collectif de praticiens : conception, animation et évaluation."
    summary.fill(new_summary)
    publish(editor)
    after = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert after["summary"] == new_summary
    assert after | {"summary": before["summary"]} == before, "nothing else changed"
    assert keys(path) == [k for k in KEY_ORDER if k in after], "the schema's order"
    check(repository)
    # The editor's YAML library folds the long texts; `fmt` gives back the file as it was
    # written by hand, but for the new summary.
    assert run_cli("fmt", path, cwd=ROOT).status == 0
    original = (SAMPLE_CONTENT / "actors/passages.yaml").read_text(encoding="utf-8")
    expected = original.replace(before["summary"], "'" + new_summary + "'")
    assert path.read_text(encoding="utf-8") == expected
    profile = build(repository) / "acteurs/passages/index.html"
    assert new_summary in profile.read_text(encoding="utf-8")
    assert editor.csp_violations() == []


def test_a_new_actor_gets_the_next_id_and_territories_from_the_list(editor: Tab, repository: Path):
    actors = repository / "content/actors"
    ids = [
        yaml.safe_load(p.read_text().split("\n---")[0].removeprefix("---\n"))["id"]
        for p in actors.iterdir()
    ]
    page = editor.page
    editor.goto("#/collections/acteurs/new")
    expect(page.get_by_label("Numéro")).to_have_value(str(max(ids) + 1))
    page.get_by_label("Nom", exact=True).fill("Atelier Démocratie Vivante")
    page.get_by_label("Résumé").fill("Un atelier créé depuis l'éditeur web.")
    territories = page.locator("[id^='territories-field']").first
    territories.click()
    page.get_by_text("Occitanie", exact=True).click()
    page.keyboard.press("Escape")
    publish(editor)
    path = actors / "atelier-democratie-vivante.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["id"] == max(ids) + 1
    assert data["name"] == "Atelier Démocratie Vivante"
    assert data["territories"] == ["Occitanie"]
    check(repository)


def test_a_summary_over_the_limit_is_refused_in_the_form(editor: Tab, repository: Path):
    path = repository / "content/actors/civilab.yaml"
    before = path.read_bytes()
    page = editor.page
    editor.goto("#/collections/acteurs/entries/civilab")
    page.get_by_label("Résumé").fill("x" * (SUMMARY_MAX_LENGTH + 1))
    page.get_by_role("button", name="Publier").first.click()
    page.get_by_text("Publier maintenant").click()
    refusal = page.get_by_role("listitem").filter(has_text="Le champ Résumé ne correspond pas")
    expect(refusal).to_contain_text(f"{SUMMARY_MAX_LENGTH} caractères au plus")
    assert path.read_bytes() == before


def test_a_markdown_actor_keeps_its_text_after_the_header(editor: Tab, repository: Path):
    path = repository / "content/actors/concertance.md"
    body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    page = editor.page
    editor.goto("#/collections/acteurs-md/entries/concertance")
    page.get_by_label("Ville").fill("Saint-Nazaire")
    publish(editor)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    header, after = text.removeprefix("---\n").split("\n---\n", 1)
    assert yaml.safe_load(header)["city"] == "Saint-Nazaire"
    assert "about" not in yaml.safe_load(header) and "body" not in yaml.safe_load(header)
    assert after.strip() == body.strip(), "the text after the header is kept"
    check(repository)


def test_the_vocabularies_and_the_clients_open_as_lists(editor: Tab):
    page = editor.page
    for entry, value in (("clients", "Métropole de Lyon"), ("vocabulaires", "Occitanie")):
        editor.goto(f"#/collections/listes/entries/{entry}")
        page.reload()  # a new entry of the same collection is read on a page's load
        expect(page.get_by_text(value, exact=True).first).to_be_visible()
    assert editor.csp_violations() == []
