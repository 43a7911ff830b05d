"""Quick rebuilds (quick.py): an edit that leaves the site's structure as it is makes only
the pages that show the edited actors, and the site is still, byte for byte, the one a
clean build makes; anything the quick rebuild cannot vouch for falls back to the full one."""

from __future__ import annotations

import os
import random
import re
import shutil
import sqlite3
import sys

import pytest
import yaml

from site_gen.build import pipeline
from site_gen.build.actor_edits import QUICK_LIMIT
from site_gen.build.pipeline import BuildOptions
from site_gen.content.load import load_catalogue
from site_gen.pages.search import index_paths, patch_index, search_index
from site_gen.pages.search_record import record

from .conftest import ROOT, SAMPLE_CONTENT, run_cli, tree_snapshot
from .test_incremental import clean_build, contents, replace_in

sys.path.insert(0, str(ROOT / "scripts"))
from generate_catalogue import write_catalogue  # noqa: E402


def build(content, output, cwd, *options):
    return run_cli("--content", content, "--output", output, "--timings", *options, cwd=cwd)


def was_quick(result) -> bool:
    """--timings names the stages: one stage, `quick`, when no full build ran."""
    return re.search(r"^quick \d", result.stdout, re.M) is not None


@pytest.fixture
def built(tmp_path):
    content, output = tmp_path / "content", tmp_path / "out"
    shutil.copytree(SAMPLE_CONTENT, content)
    result = build(content, output, tmp_path)
    assert result.status == 0 and not was_quick(result), result.stderr
    return content, output


TEXT_EDITS = [
    # a summary shows on cards: home, letter, term and pair pages, related actors, the feed
    ("passages.yaml", "summary: ", "summary: Modifié. "),
    # Markdown of a service: the profile, the exports, the search index (a new word)
    ("civilab.yaml", "    description: |-\n", "    description: |-\n      Zygomatique. "),
    # an https website becomes http: a new warning, the JSON and CSV records
    ("civilab.yaml", "website: https://", "website: http://"),
    # the text after the front matter of a Markdown file
    ("concertance.md", "\n---\n", "\n---\nUn paragraphe *nouveau* en tête.\n"),
    # an experience's description: the actor's client pages
    ("passages.yaml", "    description: |-\n", "    description: |-\n      Bilan revu. "),
    # a summary removed: a warning, and words gone from the search index
    ("concertance.md", "summary: Exemple fictif", "summary: Court."),
]


def assert_quick_edits(content, output, tmp_path, edits) -> None:
    """Each edit (file, old, new) in turn is a quick rebuild that gives the site a clean
    build gives, and writes some files but not most (the others keep their mtime)."""
    for number, (name, old, new) in enumerate(edits):
        replace_in(content / "actors" / name, old, new)
        before = tree_snapshot(output)
        result = build(content, output, tmp_path)
        assert result.status == 0, result.stderr
        assert was_quick(result), f"edit {number} ran a full build:\n{result.stdout}"
        assert contents(output) == clean_build(content, tmp_path, f"clean-{number}")
        after = tree_snapshot(output)
        changed = {path for path in after if before.get(path) != after[path]}
        assert 0 < len(changed) < len(after) / 4, f"edit {number}"


def test_text_edits_rebuild_quickly_and_equal_clean_builds(built, tmp_path):
    content, output = built
    assert_quick_edits(content, output, tmp_path, TEXT_EDITS)
    warnings = build(content, tmp_path / "other", tmp_path).stderr
    assert "civilab.yaml" in warnings and "http" in warnings  # the warnings are the same


def test_two_actors_edited_at_once(built, tmp_path):
    content, output = built
    (content / "actors" / ".passages.yaml.swp").write_bytes(b"an editor's swap file")
    backup = (content / "actors" / "passages.yaml").read_bytes()
    (content / "actors" / "passages.yaml~").write_bytes(backup)  # as Emacs leaves it
    replace_in(content / "actors" / "passages.yaml", "summary: ", "summary: Un. ")
    replace_in(content / "actors" / "civilab.yaml", "summary: ", "summary: Deux. ")
    result = build(content, output, tmp_path)
    assert was_quick(result), result.stdout
    assert contents(output) == clean_build(content, tmp_path, "clean")


def feed_names(output):
    return re.findall(r"<entry>\s*<title>([^<]*)</title>", (output / "flux.xml").read_text())


# With a feed of three actors: (file, old, new, the feed's titles after the edit)
DATE_EDITS = [
    # LEPAC goes to the top of the feed, CiviLab leaves it
    ("lepac.md", "updated: 2025-05-20", "updated: 2026-11-20", ["Laboratoire", "PASSAGES", "Cité"]),
    # a text edit of an actor that came into the feed shows there
    ("lepac.md", "summary: ", "summary: Récent. ", ["Laboratoire", "PASSAGES", "Cité"]),
    # and of one that left it, does not
    ("civilab.yaml", "summary: ", "summary: Ancien. ", ["Laboratoire", "PASSAGES", "Cité"]),
    # a date removed: PASSAGES leaves the feed, CiviLab comes back
    ("passages.yaml", "updated: 2026-11-01\n", "", ["Laboratoire", "Cité", "CiviLab"]),
    # a date given to an actor without one, the same as Cité's: the higher id comes first
    ("dialogue-maore.yaml", "id: 1010\n", "id: 1010\nupdated: 2026-09-15\n", None),
    # an older date changed: only its profile and the sitemap
    ("rivieres-et-citoyens.yaml", "updated: 2025-02-10", "updated: 2025-02-11", None),
]


@pytest.fixture
def short_feed(tmp_path):
    content, output = tmp_path / "content", tmp_path / "out"
    shutil.copytree(SAMPLE_CONTENT, content)
    with open(content / "site.yaml", "a", encoding="utf-8") as site:
        site.write("feed_size: 3\n")
    assert build(content, output, tmp_path).status == 0
    return content, output


def test_date_edits_rebuild_quickly_and_equal_clean_builds(short_feed, tmp_path):
    content, output = short_feed
    assert [name.split()[0] for name in feed_names(output)] == ["PASSAGES", "Cité", "CiviLab"]
    for number, (name, old, new, feed) in enumerate(DATE_EDITS):
        replace_in(content / "actors" / name, old, new)
        result = build(content, output, tmp_path)
        assert result.status == 0, result.stderr
        assert was_quick(result), f"edit {number} ran a full build:\n{result.stdout}"
        assert contents(output) == clean_build(content, tmp_path, f"clean-{number}")
        if feed is not None:
            assert [name.split()[0] for name in feed_names(output)] == feed
    feed = (output / "flux.xml").read_text()
    assert "Récent." in feed and "Ancien." not in feed
    assert "<lastmod>2025-02-11</lastmod>" in (output / "sitemap.xml").read_text()


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        ("passages.yaml", "name: PASSAGES", "name: PASSAGES Ouest"),  # lists, address
        ("civilab.yaml", "aliases:\n", "aliases:\n  - civilab-ancien\n"),  # a redirect
    ],
)
def test_a_change_of_name_or_address_gives_a_clean_builds_site(built, tmp_path, name, old, new):
    content, output = built
    replace_in(content / "actors" / name, old, new)
    result = build(content, output, tmp_path)
    assert result.status == 0, result.stdout
    assert contents(output) == clean_build(content, tmp_path, "clean")


def test_warnings_after_a_full_build_then_a_quick_one_are_a_clean_builds(built, tmp_path):
    content, output = built
    # a new warning in a full build (a new name too), then a quick rebuild
    civilab = content / "actors" / "civilab.yaml"
    replace_in(civilab, "name: CiviLab\n", "name: CiviLab Zèbre\n")
    replace_in(civilab, "website: https://", "website: http://")
    assert build(content, output, tmp_path).status == 0
    replace_in(content / "actors" / "passages.yaml", "summary: ", "summary: Un. ")
    result = build(content, output, tmp_path)
    assert was_quick(result), result.stdout
    clean = tmp_path / "clean"
    clean.mkdir()
    expected = run_cli("--content", content, "--output", clean / "out", cwd=clean).stderr
    assert "civilab.yaml" in expected
    assert warning_lines(result.stderr) == warning_lines(expected)


def warning_lines(stderr: str) -> list[str]:
    """The warnings about actor files, each from the file's name on (builds run elsewhere
    show other paths)."""
    return sorted(line.partition("actors/")[2] for line in stderr.splitlines() if "actors/" in line)


def test_a_mistake_in_an_edited_file_is_reported_and_nothing_changes(built, tmp_path):
    content, output = built
    before = tree_snapshot(output)
    replace_in(content / "actors" / "civilab.yaml", "website: https://", "website: ftp://")
    result = build(content, output, tmp_path)
    assert result.status == 1
    assert re.search(r"civilab\.yaml:\d+", result.stderr), result.stderr
    assert "Traceback" not in result.stderr
    assert tree_snapshot(output) == before


def test_what_the_quick_rebuild_cannot_vouch_for_gets_a_full_build(built, tmp_path):
    content, output = built
    # the recipes of the pages are gone from the cache
    with sqlite3.connect(tmp_path / ".cache" / "derived.sqlite") as database:
        database.execute("DELETE FROM recipes")
    replace_in(content / "actors" / "passages.yaml", "summary: ", "summary: Un. ")
    result = build(content, output, tmp_path)
    assert result.status == 0 and not was_quick(result), result.stdout
    assert contents(output) == clean_build(content, tmp_path, "clean-1")
    # an export edited by hand: the patch would not fit it
    export = output / "donnees" / "acteurs.json"
    export.write_bytes(export.read_bytes().replace(b"PASSAGES", b"PASSAGEZ"))
    replace_in(content / "actors" / "passages.yaml", "summary: ", "summary: Deux. ")
    result = build(content, output, tmp_path)
    assert result.status == 0 and not was_quick(result), result.stdout
    # found before anything changed: the record of the site still spares the full build
    # from rendering every page
    pages, rendered = map(int, re.search(r"(\d+) pages \((\d+) refaites", result.stdout).groups())
    assert rendered < pages / 4, result.stdout
    assert contents(output) == clean_build(content, tmp_path, "clean-2")


def test_patching_the_search_index_gives_the_index_of_the_new_records():
    settings, catalogue = load_catalogue(SAMPLE_CONTENT)
    records = [record(settings, actor) for actor in catalogue.actors]
    index = search_index(records)
    edited = dict(records[3])
    edited["doc"] = [*edited["doc"][:2], "Résumé neuf", edited["doc"][3]]
    edited["terms"] = ("xylophone " + edited["terms"][0], "", *edited["terms"][2:])
    expected = search_index([edited if r is records[3] else r for r in records])
    patched = dict(index)
    for path, data in patch_index(index.get, [records[3]], [edited]).items():
        if data is None:
            del patched[path]
        else:
            patched[path] = data
    assert patched == expected
    with pytest.raises(ValueError):  # an index the old record was not indexed in
        patch_index(expected.get, [records[3]], [edited])


def test_patching_the_search_index_moves_actors_between_facet_values():
    settings, catalogue = load_catalogue(SAMPLE_CONTENT)
    records = [record(settings, actor) for actor in catalogue.actors]
    index = search_index(records)
    first, second = dict(records[2]), dict(records[5])
    # one actor loses every territory, the other gets a value no actor had
    first["facets"] = {k: v for k, v in first["facets"].items() if k != "territoire"}
    second["facets"] = second["facets"] | {"territoire": ["Corse"], "communs": ["Oui"]}
    new = [first, second]
    expected = search_index([{2: first, 5: second}.get(n, r) for n, r in enumerate(records)])
    patched = index | patch_index(index.get, [records[2], records[5]], new)
    assert patched == expected
    assert index_paths(expected.get, [r["id"] for r in records]) == set(expected)
    renamed = dict(records[2]) | {"doc": [records[2]["doc"][0], "Autre nom", "", ""]}
    with pytest.raises(ValueError):  # the order of the results would change
        patch_index(index.get, [records[2]], [renamed])


def test_many_files_dated_anew_but_unchanged_get_a_quick_rebuild(tmp_path, monkeypatch):
    """A checkout back and forth dates files anew without changing them: more than
    QUICK_LIMIT of them, with one really edited, is still a quick rebuild."""
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    for number in range(QUICK_LIMIT):
        (content / "actors" / f"extra-{number}.yaml").write_text(
            f"id: {5000 + number}\nname: Acteur {number}\nsummary: Un de plus.\n"
            "territories: [Corse]\n",
            encoding="utf-8",
        )
    options = BuildOptions(content, tmp_path / "out", cache_dir=tmp_path / ".cache", workers=1)
    pipeline.build(options)
    before = tree_snapshot(tmp_path / "out")

    def no_full_build(*args, **kwargs):
        raise AssertionError("a full build ran")

    monkeypatch.setattr(pipeline, "plan_pages", no_full_build)
    files = sorted((content / "actors").iterdir())
    assert len(files) > QUICK_LIMIT
    for path in files:
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    report = pipeline.build(options)
    assert report.rendered == 0 and tree_snapshot(tmp_path / "out") == before
    for path in files:
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    civilab = content / "actors" / "civilab.yaml"
    civilab.write_text(civilab.read_text().replace("summary: ", "summary: Revu. "))
    assert 0 < pipeline.build(options).rendered < 40
    monkeypatch.undo()
    scratch = tmp_path / "clean"
    scratch.mkdir()
    assert run_cli("--content", content, "--output", scratch / "out", cwd=scratch).status == 0
    assert contents(tmp_path / "out") == contents(scratch / "out")


# Moves between terms and clients, as TEXT_EDITS.
MOVES = [
    # CiviLab leaves "National": its term page, its pairs' pages (each keeps an actor), the
    # counts of terms, the related actors of those holding "National"
    ("civilab.yaml", "  - National\n", ""),
    # and comes back
    ("civilab.yaml", "territories:\n", "territories:\n  - National\n"),
    # a context left and another joined: pairs with a first actor, so new pages
    ("lepac.md", "  - Santé\n", "  - Budget participatif\n"),
    # a move that empties pairs (Occitanie and Grand Est with Énergie): their pages go
    ("rivieres-et-citoyens.yaml", "  - Énergie\n", ""),
    # a new client: its page, the index of clients, the related actors of its actors
    ("passages.yaml", "clients:\n", "clients:\n  - Ville de Quimper\n"),
    # a client left that another actor names, and one that PASSAGES alone named: its page goes
    ("passages.yaml", "  - Ville de Lyon\n", ""),
    ("passages.yaml", "  - Nîmes Métropole\n", ""),
    # experiences in another order: the client pages show them by their position
    (
        "civilab.yaml",
        "  - client: Région Occitanie\n",
        "  - client: Ville de Paris\n    title: Un atelier\n  - client: Région Occitanie\n",
    ),
]


def test_moves_between_terms_and_clients_rebuild_quickly_and_equal_clean_builds(built, tmp_path):
    content, output = built
    assert_quick_edits(content, output, tmp_path, MOVES)
    assert not (output / "territoires/grand-est/energie").exists()
    assert (output / "clients/ville-de-quimper/index.html").exists()
    assert not (output / "clients/nimes-metropole").exists()
    assert (output / "territoires/hauts-de-france/budget-participatif/index.html").exists()


def test_a_move_that_removes_a_page_other_pages_link_to_fails_the_build(built, tmp_path):
    """The 404 page links to a pair's page by its address, written in the template: the
    move that empties that pair leaves the 404 page as it was, yet its link is broken."""
    content, output = built
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    href = "/territoires/grand-est/energie/"
    replace_in(templates / "404.html", "</p>", f'</p><p><a href="{href}">Énergie</a></p>')
    options = ("--templates", templates)
    assert build(content, output, tmp_path, *options).status == 0
    before = tree_snapshot(output)
    replace_in(content / "actors" / "rivieres-et-citoyens.yaml", "  - Énergie\n", "")
    result = build(content, output, tmp_path, *options)
    assert result.status == 1
    assert f"output/404.html: lien cassé « {href} » : cette page n'existe pas" in result.stderr
    assert tree_snapshot(output) == before


def move(path, key: str, values: list[str]) -> None:
    """Give the actor in `path` (as generate_catalogue writes it) these territories or
    clients (`key`)."""
    text = path.read_text(encoding="utf-8")
    listed = re.search(rf"^{key}:\n((?:- .*\n)*)", text, flags=re.M)[0]
    block = f"{key}:\n" + "".join(f"- {value}\n" for value in values)
    path.write_text(text.replace(listed, block), encoding="utf-8")


def listed(path, key: str) -> list[str]:
    """The territories or clients (`key`) of the actor in `path`, as `move` writes them."""
    text = path.read_text(encoding="utf-8")
    return re.findall(r"^- (.+)$", re.search(rf"^{key}:\n((?:- .*\n)*)", text, re.M)[1], re.M)


def test_moves_in_a_larger_catalogue_equal_clean_builds(tmp_path):
    """Lists over several pages, many pairs and clients: moves that add pages, remove
    some, or neither."""
    content, output = tmp_path / "content", tmp_path / "out"
    write_catalogue(120, content)
    with open(content / "site.yaml", "a", encoding="utf-8") as site:
        site.write("page_size: 4\n")
    assert build(content, output, tmp_path).status == 0
    files = sorted((content / "actors").iterdir())
    steps = [
        [(files[3], "territories", ["Bretagne", "Occitanie"])],
        [
            (files[10], "territories", ["Occitanie", "Normandie"]),
            (files[11], "territories", ["Occitanie"]),
        ],
        [(files[3], "territories", ["Île-de-France", "Auvergne-Rhône-Alpes"])],
        [(files[10], "territories", ["Bretagne", "Auvergne-Rhône-Alpes"])],
        [
            (files[57], "territories", ["Occitanie"]),
            (files[58], "territories", ["Occitanie"]),
            (files[59], "territories", ["Bretagne"]),
        ],
        [(files[57], "territories", ["Grand Est", "Normandie"])],
        [(files[20], "clients", ["Ville de Quimper", "Ville de Lyon"])],
        [(files[20], "clients", ["Métropole de Rennes"]), (files[21], "clients", [])],
    ]
    quick = 0
    for number, step in enumerate(steps):
        for path, key, values in step:
            move(path, key, values)
        result = build(content, output, tmp_path)
        assert result.status == 0, result.stderr
        quick += was_quick(result)
        assert contents(output) == clean_build(content, tmp_path, f"clean-{number}"), number
    assert quick == len(steps)


def test_random_moves_equal_clean_builds(tmp_path):
    """Seeded random moves of one to three actors at a time between territories, contexts,
    clients and experiences' clients, over lists of three actors a page: each a quick
    rebuild equal to a clean build."""
    rng = random.Random(17)
    content, output = tmp_path / "content", tmp_path / "out"
    write_catalogue(90, content, seed=11)
    with open(content / "site.yaml", "a", encoding="utf-8") as site:
        site.write("page_size: 3\n")
    assert build(content, output, tmp_path).status == 0
    vocabularies = yaml.safe_load((content / "vocabularies.yaml").read_text(encoding="utf-8"))
    files = sorted((content / "actors").iterdir())
    pools = {key: [term["label"] for term in terms] for key, terms in vocabularies.items()}
    pools["clients"] = sorted({name for path in files for name in listed(path, "clients")})
    pools["clients"].append("Commune témoin")
    quick = 0
    for number in range(10):
        for path in rng.sample(files, rng.randint(1, 3)):
            key = rng.choice(["territories", "contexts", "clients", "experiences"])
            if key == "experiences":  # the client of its first experience, if it has one
                client = f"- client: {rng.choice(pools['clients'])}"
                text = path.read_text(encoding="utf-8")
                text = re.sub(r"^- client: .*$", client, text, count=1, flags=re.M)
                path.write_text(text, encoding="utf-8")
                continue
            values = rng.sample(pools[key], rng.randint(0 if key == "clients" else 1, 3))
            move(path, key, values)
        result = build(content, output, tmp_path)
        assert result.status == 0, result.stderr
        assert was_quick(result) or "À jour" in result.stdout, result.stdout  # no change
        quick += was_quick(result)
        assert contents(output) == clean_build(content, tmp_path, f"clean-{number}"), number
    assert quick >= 8


# --- output/ edited by hand: what a plain build and `build --verify` make of it ------------


def test_a_file_deleted_from_the_output_folder_is_back_after_the_next_builds(built, tmp_path):
    content, output = built
    profile = output / "acteurs/civilab/index.html"
    profile.unlink()  # by hand: the tree that becomes the spare two builds later lacks it
    for number, (old, new) in enumerate([("summary: ", "summary: Un. "), ("Un. ", "Deux. ")]):
        replace_in(content / "actors" / "passages.yaml", old, new)
        result = build(content, output, tmp_path)
        assert result.status == 0, result.stderr
        assert profile.is_file(), f"build {number}"
        assert contents(output) == clean_build(content, tmp_path, f"clean-{number}")


def test_build_verify_puts_back_a_file_edited_by_hand(built, tmp_path):
    content, output = built
    home = output / "index.html"
    made = home.read_bytes()
    with open(home, "r+b") as file:  # in place: its folder keeps its mtime
        file.write(b"<!-- edited by hand -->")
    edited = home.read_bytes()
    # nothing to do: the site is taken as built, hand edit included
    assert build(content, output, tmp_path).status == 0
    assert home.read_bytes() == edited
    result = build(content, output, tmp_path, "--verify")
    assert result.status == 0, result.stderr
    assert home.read_bytes() == made
    assert contents(output) == clean_build(content, tmp_path, "clean")
