"""Rebuilds: nothing changed → nothing written; any change → the same site as a clean build."""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import sqlite3
import threading
from functools import partial

import pytest
import zstandard

from site_gen import cache, fingerprint
from site_gen.build import pipeline
from site_gen.build import reuse as patch
from site_gen.build.pipeline import BuildOptions, build
from site_gen.cache import TableStore
from site_gen.cache import load_file as load_sealed
from site_gen.content import load
from site_gen.content.load import load_catalogue, load_texts
from site_gen.errors import SiteGenError
from site_gen.output import write
from site_gen.output.folder import spare_path
from site_gen.pages import derived
from site_gen.pages import planner as pages
from site_gen.pages.keys import KeyMemo, page_key

from .conftest import SAMPLE_CONTENT, TEMPLATES, run_cli, tree_snapshot


def contents(folder):
    return {path: data for path, (data, _mtime) in tree_snapshot(folder).items()}


def clean_build(content, tmp_path, name, *options):
    """The files of a build of `content` from scratch (a fresh working folder: no cache)."""
    scratch = tmp_path / name
    scratch.mkdir()
    result = run_cli("--content", content, "--output", scratch / "out", *options, cwd=scratch)
    assert result.status == 0, result.stderr
    return contents(scratch / "out")


def test_a_rebuild_with_nothing_changed_writes_nothing(tmp_path):
    output = tmp_path / "out"
    assert run_cli("--content", SAMPLE_CONTENT, "--output", output, cwd=tmp_path).status == 0
    before = tree_snapshot(output)
    result = run_cli("--content", SAMPLE_CONTENT, "--output", output, cwd=tmp_path)
    assert result.status == 0
    assert result.stdout.startswith("À jour : 12 acteurs")
    assert "remarque" in result.stderr  # the warnings of the last build are still shown
    assert tree_snapshot(output) == before


def test_a_deleted_or_replaced_output_is_rebuilt(tmp_path):
    output = tmp_path / "out"
    assert run_cli("--content", SAMPLE_CONTENT, "--output", output, cwd=tmp_path).status == 0
    good = contents(output)
    shutil.rmtree(output)
    result = run_cli("--content", SAMPLE_CONTENT, "--output", output, cwd=tmp_path)
    assert result.stdout.startswith("Site fabriqué") and contents(output) == good
    copy = tmp_path / "copy"
    shutil.copytree(output, copy)  # e.g. a deploy step that restored an older copy
    shutil.rmtree(output)
    copy.rename(output)
    result = run_cli("--content", SAMPLE_CONTENT, "--output", output, cwd=tmp_path)
    assert result.stdout.startswith("Site fabriqué")


def kept_pages(cache_dir):
    """The page store of a cache folder (build/page_store.py), as the build reads it."""
    return TableStore(cache_dir, "page_bytes", fingerprint.code())


def test_a_fresh_clone_with_its_cache_restored_builds_the_same_site(tmp_path):
    """CI: a new clone (every mtime new), the cache of the last build restored, no output:
    the pages come from the cache's store of pages, byte for byte those a render makes,
    and only for the same key: a template changed renders them again."""
    content, templates = tmp_path / "content", tmp_path / "templates"
    shutil.copytree(SAMPLE_CONTENT, content)
    shutil.copytree(TEMPLATES, templates)
    output = tmp_path / "out"
    command = ("--content", content, "--templates", templates, "--output", output)

    def fresh_clone():
        for folder in (content, templates):
            aside = folder.with_name(folder.name + ".old")
            folder.rename(aside)
            shutil.copytree(aside, folder, copy_function=shutil.copy)  # new mtimes
            shutil.rmtree(aside)
        for leftover in tmp_path.glob(f".{output.name}*"):
            shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
        shutil.rmtree(output)

    assert run_cli(*command, cwd=tmp_path).status == 0
    clean = contents(output)
    fresh_clone()
    assert run_cli(*command, cwd=tmp_path).status == 0
    assert contents(output) == clean
    # The home's bytes kept under its key are what the next build writes there...
    store = kept_pages(tmp_path / ".cache")
    pack, expand = zstandard.ZstdCompressor().compress, zstandard.ZstdDecompressor().decompress
    rows = {key: expand(value) for key, value in store.get_many(sorted(store.keys())).items()}
    (home_key,) = [key for key, data in rows.items() if data == clean["index.html"]]
    planted = clean["index.html"].replace(b"</main>", b"<p>kept bytes</p></main>")
    store.put_many([(home_key, pack(planted))])
    fresh_clone()
    assert run_cli(*command, cwd=tmp_path).status == 0
    assert contents(output)["index.html"] == planted
    # ...as long as the key is the same: not once a template changes.
    replace_in(templates / "base.html", "</footer>", "<p>nouveau pied</p></footer>")
    fresh_clone()
    assert run_cli(*command, cwd=tmp_path).status == 0
    home = contents(output)["index.html"]
    assert b"kept bytes" not in home and b"nouveau pied" in home
    assert contents(output) == clean_build(content, tmp_path, "clean", "--templates", templates)


def test_in_ci_a_first_build_leaves_no_spare_and_the_next_is_still_right(tmp_path):
    content, output = tmp_path / "content", tmp_path / "out"
    shutil.copytree(SAMPLE_CONTENT, content)
    ci = {"CI": "true"}
    assert run_cli("--content", content, "--output", output, cwd=tmp_path, env=ci).status == 0
    assert not spare_path(output).exists()
    replace_in(content / "actors" / "civilab.yaml", "summary: ", "summary: Encore mieux. ")
    assert run_cli("--content", content, "--output", output, cwd=tmp_path, env=ci).status == 0
    assert contents(output) == clean_build(content, tmp_path, "clean")
    assert b"Encore mieux." in contents(output)["acteurs/civilab-scic/index.html"]


def test_the_store_of_pages_stays_within_twice_the_site(tmp_path):
    content, templates = tmp_path / "content", tmp_path / "templates"
    shutil.copytree(SAMPLE_CONTENT, content)
    shutil.copytree(TEMPLATES, templates)
    output = tmp_path / "out"
    command = ("--content", content, "--templates", templates, "--output", output)
    counts = []
    for n in range(4):  # every page's key changes each time
        replace_in(templates / "base.html", "</footer>", f"<p>pied {n}</p></footer>")
        shutil.rmtree(output, ignore_errors=True)  # no site before: its keys are not known
        result = run_cli(*command, cwd=tmp_path)
        assert result.status == 0, result.stderr
        pages = int(re.search(r"(\d+) pages", result.stdout)[1])
        counts.append(kept_pages(tmp_path / ".cache").count())
    assert counts[0] > pages / 2  # it does keep them
    assert max(counts) <= 2 * pages


def replace_in(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_cached_builds_equal_clean_builds_across_edits(tmp_path):
    content, templates = tmp_path / "content", tmp_path / "templates"
    shutil.copytree(SAMPLE_CONTENT, content)
    shutil.copytree(TEMPLATES, templates)
    cached, clean = tmp_path / "cached", tmp_path / "clean"
    actors = content / "actors"
    concertance, civilab = actors / "concertance.md", actors / "civilab.yaml"
    edits = [
        lambda: None,
        # a summary shows on cards: lists, term pages, related actors of other profiles
        lambda: replace_in(civilab, "summary: Exemple fictif", "summary: Exemple revu"),
        # a new territory: term, pair and overview pages, facets of the search index
        lambda: replace_in(civilab, "territories:\n", "territories:\n  - Corse\n"),
        # a rename: the slug changes, the old address disappears
        lambda: concertance.write_text(
            concertance.read_text().replace("Concertance", "Concertance Ouest")
        ),
        lambda: (actors / "dialogue-maore.yaml").unlink(),
        lambda: (actors / "nouveau.yaml").write_text(
            "id: 4242\nname: Nouvel Acteur\nsummary: Arrivé entre deux builds.\n"
            "territories:\n  - Corse\nclients: [Ville de Nantes]\n",
            encoding="utf-8",
        ),
        # the logo's bytes change, its file name does not
        lambda: (content / "logos" / "civilab.png").write_bytes(
            (content / "logos" / "concertance.png").read_bytes()
        ),
        lambda: replace_in(templates / "partials" / "cards.html", "<", "<!-- edited -->\n<"),
        lambda: (content / "site.yaml").write_text("title: Autre titre\npage_size: 4\n"),
        lambda: (content / "clients.yaml").write_text("Nantes Métropole: [Ville de Nantes]\n"),
        lambda: replace_in(content / "vocabularies.yaml", "label: Corse", "label: Corsica"),
    ]
    for number, edit in enumerate(edits):
        edit()
        if number == len(edits) - 1:  # the actors name the term by its label
            for actor in actors.iterdir():
                if "  - Corse\n" in actor.read_text(encoding="utf-8"):
                    replace_in(actor, "  - Corse\n", "  - Corsica\n")
        options = ("--content", content, "--templates", templates)
        assert run_cli(*options, "--output", cached, cwd=tmp_path).status == 0
        shutil.rmtree(clean, ignore_errors=True)
        scratch = tmp_path / f"no-cache-{number}"  # a fresh working folder: an empty cache
        scratch.mkdir()
        assert run_cli(*options, "--output", clean, cwd=scratch).status == 0
        assert contents(cached) == contents(clean), f"after edit {number}"


def test_a_full_build_patches_the_search_index_and_exports_unless_edited_by_hand(
    tmp_path, monkeypatch
):
    content, output = tmp_path / "content", tmp_path / "out"
    shutil.copytree(SAMPLE_CONTENT, content)
    options = BuildOptions(content, output, cache_dir=tmp_path / ".cache", workers=1)
    build(options)
    made_whole = []  # the search index, or an export, made from every actor's record
    for module, name in [(patch, "index_files"), (pages, "json_array_chunks")]:
        whole = getattr(module, name)
        monkeypatch.setattr(
            module,
            name,
            lambda records, name=name, whole=whole: made_whole.append(name) or whole(records),
        )
    real_spans = write.StagedSite.spans

    def spans_then_touched(site, path, lengths):
        found = real_spans(site, path, lengths)
        if path == "donnees/acteurs.json":  # the same bytes, written again in place
            (output / path).write_bytes((output / path).read_bytes())
        return found

    civilab = content / "actors" / "civilab.yaml"  # id 1003: recherche/index/docs/40.json
    monkeypatch.setattr(pipeline, "quick_build", lambda *args: None)  # the full build only
    toggled = ("commons: true", "commons: false")  # a facet of the search
    for number, (old, new, tamper, expected, *verify) in enumerate(
        [
            # `commons` changed: its facet patched in the index
            (*toggled, None, []),
            # the same, after the shard of its record was deleted by hand
            (
                *reversed(toggled),
                lambda: (output / "recherche/index/docs/40.json").unlink(),
                ["index_files"],
            ),
            # after a file of the index the patch does not read was edited by hand (in
            # place: a plain build trusts it, --verify looks)
            (
                *toggled,
                lambda: replace_in(output / "recherche/index/order.json", "[", "[999,"),
                ["index_files"],
                True,
            ),
            # after the JSON export was edited by hand
            (
                *reversed(toggled),
                lambda: replace_in(output / "donnees/acteurs.json", "[", "[ "),
                ["json_array_chunks"],
            ),
            # the JSON export touched while the build runs, once its pieces were found
            (
                *toggled,
                lambda: monkeypatch.setattr(write.StagedSite, "spans", spans_then_touched),
                ["json_array_chunks"],
            ),
        ]
    ):
        verify = bool(verify)  # a hand edit in place: only --verify looks for it
        replace_in(civilab, old, new)
        if tamper:
            tamper()
        made_whole.clear()
        assert build(dataclasses.replace(options, verify=verify)).rendered < 100
        assert made_whole == expected, f"edit {number}"
        scratch = tmp_path / f"clean-{number}"
        scratch.mkdir()
        assert run_cli("--content", content, "--output", scratch / "out", cwd=scratch).status == 0
        assert contents(output) == contents(scratch / "out"), f"edit {number}"


def test_an_edit_renders_only_the_pages_that_show_the_actor(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    output = tmp_path / "out"
    first = run_cli("--content", content, "--output", output, cwd=tmp_path)
    pages = int(re.search(r"(\d+) pages \((\d+) refaites", first.stdout)[1])
    before = tree_snapshot(output)
    replace_in(content / "actors" / "passages.yaml", "summary: ", "summary: Modifié. ")
    second = run_cli("--content", content, "--output", output, cwd=tmp_path)
    rendered = int(re.search(r"\d+ pages \((\d+) refaites", second.stdout)[1])
    after = tree_snapshot(output)
    changed = {path for path in after if before.get(path) != after[path]}
    assert "acteurs/passages/index.html" in changed
    assert 0 < rendered < pages / 4, second.stdout
    # files whose bytes did not change were left alone (same bytes, same mtime)
    assert len(changed) < len(after) / 4


def test_a_cache_file_is_replaced_whole_or_not_at_all(tmp_path):
    path = tmp_path / "state.pickle"
    cache.dump_file(path, {"keys": list(range(100_000))})
    before = path.read_bytes()
    with pytest.raises(TypeError):  # cannot pickle '_thread.lock' object
        cache.dump_file(path, {"keys": [1, 2], "unpicklable": threading.Lock()})
    assert path.read_bytes() == before  # the last good file, not half of a new one
    assert [p.name for p in tmp_path.iterdir()] == ["state.pickle"]  # no temporary left
    assert cache.load_file(path) == {"keys": list(range(100_000))}


def test_a_damaged_or_foreign_cache_is_never_trusted(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    output, clean = tmp_path / "out", tmp_path / "clean"
    assert run_cli("--content", content, "--output", output, cwd=tmp_path).status == 0
    cache = tmp_path / ".cache"
    assert {p.name for p in cache.iterdir()} >= {"actors", "derived.sqlite", "pages", "related"}
    # every cache file damaged in place: truncated, or replaced by bytes of another kind
    for number, path in enumerate(sorted(p for p in cache.rglob("*") if p.is_file())):
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2] if number % 2 else b"\x80\x04garbage" * 7)
    replace_in(content / "actors" / "passages.yaml", "summary: ", "summary: Revu. ")
    result = run_cli("--content", content, "--output", output, cwd=tmp_path)
    assert result.status == 0, result.stderr
    assert "Traceback" not in result.stderr
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    assert run_cli("--content", content, "--output", clean, cwd=scratch).status == 0
    assert contents(output) == contents(clean)
    # a cache made by another catalogue (same file names, other content) is not reused
    other = tmp_path / "other"
    shutil.copytree(SAMPLE_CONTENT, other)
    for actor in (other / "actors").iterdir():
        replace_in(actor, "name: ", "name: Autre ")
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    assert run_cli("--content", other, "--output", foreign / "out", cwd=foreign).status == 0
    shutil.rmtree(cache)
    shutil.copytree(foreign / ".cache", cache)
    shutil.rmtree(output)
    assert run_cli("--content", content, "--output", output, cwd=tmp_path).status == 0
    assert contents(output) == contents(clean)


def test_a_check_between_two_builds_does_not_make_the_next_one_render_everything(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    output = tmp_path / "out"
    assert run_cli("--content", content, "--output", output, cwd=tmp_path).status == 0
    replace_in(content / "actors" / "passages.yaml", "summary: ", "summary: Modifié. ")
    assert run_cli("check", "--content", content, cwd=tmp_path).status == 0
    result = run_cli("--content", content, "--output", output, cwd=tmp_path)
    pages, rendered = map(int, re.search(r"(\d+) pages \((\d+) refaites", result.stdout).groups())
    assert 0 < rendered < pages / 4, result.stdout


def test_the_records_of_output_folders_that_are_gone_are_deleted(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    records = tmp_path / ".cache" / "pages"
    for name in ("kept", "gone"):
        result = run_cli("--content", content, "--output", tmp_path / name, cwd=tmp_path)
        assert result.status == 0, result.stderr
    assert len(list(records.glob("*.pickle"))) == 2
    shutil.rmtree(tmp_path / "gone")  # as serve removes its temporary folders
    replace_in(content / "actors" / "passages.yaml", "summary: ", "summary: Revu. ")
    assert run_cli("--content", content, "--output", tmp_path / "kept", cwd=tmp_path).status == 0
    assert len(list(records.glob("*.pickle"))) == 1  # the record of the site still there
    replace_in(content / "actors" / "passages.yaml", "summary: ", "summary: Relu. ")
    result = run_cli("--content", content, "--output", tmp_path / "kept", "--timings", cwd=tmp_path)
    assert re.search(r"^quick \d", result.stdout, re.M), result.stdout  # and still used


def test_actors_cached_without_their_texts_are_read_again_when_their_html_is_lost(tmp_path):
    content, output = tmp_path / "content", tmp_path / "out"
    shutil.copytree(SAMPLE_CONTENT, content)
    assert run_cli("--content", content, "--output", output, cwd=tmp_path).status == 0
    cache = tmp_path / ".cache"
    kept = [
        actor
        for shard in (cache / "actors").glob("*.pickle")
        for _, _, actor in load_sealed(shard)["entries"].values()
    ]
    assert len(kept) == len(list((content / "actors").iterdir()))
    assert not [actor for actor in kept if actor.has_texts or actor.about]  # none kept
    (cache / "derived.sqlite").unlink()  # the HTML of every actor lost, the parsed files kept
    replace_in(content / "actors" / "passages.yaml", "summary: ", "summary: Revu. ")
    result = run_cli("--content", content, "--output", output, cwd=tmp_path)
    assert result.status == 0, result.stderr
    assert contents(output) == clean_build(content, tmp_path, "clean")
    profile = contents(output)["acteurs/passages/index.html"].decode()
    assert "un collectif de praticiens expérimentés" in profile  # its `about`, made again


def test_texts_read_again_from_a_file_changed_meanwhile_stop_the_build(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    settings, catalogue = load_catalogue(content, cache_dir=tmp_path / ".cache")
    settings, catalogue = load_catalogue(content, cache_dir=tmp_path / ".cache")
    cached = [actor for actor in catalogue.actors if not actor.has_texts]
    assert len(cached) == len(catalogue.actors)  # the second load: all from the cache
    again = load_texts(content, catalogue.vocabularies, 1, cached)
    assert [a.digest for a in again] == [a.digest for a in cached]
    assert all(a.has_texts for a in again) and any(a.about for a in again)
    replace_in(content / "actors" / "passages.yaml", "summary: ", "summary: Revu. ")
    with pytest.raises(SiteGenError, match=r"passages\.yaml a changé pendant la fabrication"):
        load_texts(content, catalogue.vocabularies, 1, cached)


def test_the_cache_keeps_the_data_of_the_actors_as_they_are_now_only(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    civilab = content / "actors" / "civilab.yaml"
    edits = [
        lambda: None,
        lambda: (  # other settings, and an actor's old version left in the old ones
            (content / "site.yaml").write_text("title: Autre titre\n"),
            replace_in(civilab, "summary: ", "summary: Relu. "),
        ),
        lambda: replace_in(civilab, "territories:\n", "territories:\n  - Corse\n"),
        lambda: replace_in(civilab, "summary: ", "summary: Revu. "),  # a quick rebuild
        lambda: (content / "actors" / "passages.yaml").unlink(),
    ]
    for edit in edits:
        edit()
        result = run_cli("--content", content, "--output", tmp_path / "out", cwd=tmp_path)
        assert result.status == 0, result.stderr
    actors = len(list((content / "actors").iterdir()))
    with sqlite3.connect(tmp_path / ".cache" / "derived.sqlite") as database:
        for part in (*derived.PARTS, derived.ACTOR):
            rows = database.execute(f"SELECT COUNT(*), COUNT(DISTINCT environment) FROM {part}")
            assert rows.fetchone() == (actors, 1), part


def test_an_export_touched_while_a_quick_rebuild_copies_it_gets_a_full_build(tmp_path, monkeypatch):
    content, output = tmp_path / "content", tmp_path / "out"
    shutil.copytree(SAMPLE_CONTENT, content)
    options = BuildOptions(content, output, cache_dir=tmp_path / ".cache", workers=1)
    build(options)
    passages = content / "actors" / "passages.yaml"
    replace_in(passages, "summary: ", "summary: Un. ")
    assert [lap for lap, *_ in build(options).timings] == ["quick"]
    real_spans, touched = write.StagedSite.spans, []

    def spans_then_touched(site, path, lengths):
        found = real_spans(site, path, lengths)
        if path == "donnees/acteurs.csv" and not touched:  # the same bytes, in place
            touched.append((output / path).write_bytes((output / path).read_bytes()))
        return found

    monkeypatch.setattr(write.StagedSite, "spans", spans_then_touched)
    replace_in(passages, "summary: ", "summary: Deux. ")
    laps = [lap for lap, *_ in build(options).timings]
    assert touched and "quick" not in laps and "render" in laps  # the full build ran
    assert contents(output) == clean_build(content, tmp_path, "clean")


@pytest.mark.parametrize("href", ["/acteurs/beta/", "/acteurs/%62eta/"])
def test_a_page_kept_as_it_was_that_links_to_a_page_now_gone_fails_the_build(
    tmp_path, make_site, href
):
    """The 404 page (which shows no actor) links to Beta's page by its address, written in
    the template: renaming Beta leaves that page as it was, yet its link is now broken."""
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    replace_in(templates / "404.html", "</p>", f'</p><p><a href="{href}">Beta</a></p>')
    content = make_site(
        {
            "alpha.yaml": "id: 1\nname: Alpha\nsummary: A.\nterritories: [Occitanie]\n",
            "beta.yaml": "id: 2\nname: Beta\nsummary: B.\nterritories: [Bretagne]\n",
        }
    )
    options = ("--content", content, "--templates", templates, "--output", tmp_path / "out")
    assert run_cli(*options, cwd=tmp_path).status == 0
    before = tree_snapshot(tmp_path / "out")
    replace_in(content / "actors" / "beta.yaml", "name: Beta", "name: Gamma")
    result = run_cli(*options, cwd=tmp_path)
    assert result.status == 1
    assert f"output/404.html: lien cassé « {href} » : cette page n'existe pas" in result.stderr
    assert tree_snapshot(tmp_path / "out") == before


def test_our_code_is_known_by_its_bytes_not_its_dates(tmp_path):
    """A fresh clone (CI) dates every file anew: the caches made by the same code must
    still serve, and those made by other code must not."""
    code = tmp_path / "site_gen"
    code.mkdir()
    (code / "pages.py").write_text("PAGE_SIZE = 50\n")
    first = fingerprint.contents(code)
    os.utime(code / "pages.py", ns=(0, 0))
    assert fingerprint.contents(code) == first
    (code / "pages.py").write_text("PAGE_SIZE = 60\n")  # same size, other bytes
    assert fingerprint.contents(code) != first
    (code / "pages.py").rename(code / "views.py")
    assert fingerprint.contents(code) not in (first, fingerprint.contents(tmp_path / "none"))


def test_a_fresh_clone_of_the_same_content_is_not_parsed_again(tmp_path, monkeypatch):
    """A fresh clone (CI) gives every file new dates and inodes: the actors whose file and
    logo hold the same bytes come from the cache; the others are parsed again."""
    content, cache = tmp_path / "content", tmp_path / ".cache"
    shutil.copytree(SAMPLE_CONTENT, content)
    load_catalogue(content, None, 1, cache)
    shutil.rmtree(content)
    shutil.copytree(SAMPLE_CONTENT, content, copy_function=shutil.copy)  # new dates
    parsed = []
    real_load_actor = load.load_actor

    def load_actor(path, *args):
        parsed.append(path.name)
        return real_load_actor(path, *args)

    monkeypatch.setattr(load, "load_actor", load_actor)
    load_catalogue(content, None, 1, cache)
    assert parsed == []
    replace_in(content / "actors" / "concertance.md", "Concertance", "Concertance Ouest")
    (content / "logos" / "civilab.png").write_bytes(
        (content / "logos" / "concertance.png").read_bytes()
    )
    _, catalogue = load_catalogue(content, None, 1, cache)
    assert sorted(parsed) == ["civilab.yaml", "concertance.md"]
    _, uncached = load_catalogue(content, None, 1, None)
    assert [a.digest for a in catalogue.actors] == [a.digest for a in uncached.actors]


def test_a_full_build_patches_the_exports_when_actors_come_go_or_move(tmp_path, monkeypatch):
    content, output = tmp_path / "content", tmp_path / "out"
    shutil.copytree(SAMPLE_CONTENT, content)
    actors = content / "actors"
    options = BuildOptions(content, output, cache_dir=tmp_path / ".cache", workers=1)
    build(options)
    made_whole = []  # an export made from every actor's record
    for name in ("json_array_chunks", "csv_chunks"):
        whole = getattr(pages, name)
        monkeypatch.setattr(
            pages,
            name,
            lambda records, name=name, whole=whole: made_whole.append(name) or whole(records),
        )
    first = "id: 4242\nname: 0 Premier\nsummary: Arrivé en tête.\nterritories: [Corse]\n"
    edits = [
        # the first of the list: the actor first before now follows a comma in the JSON
        lambda: (actors / "premier.yaml").write_text(first, encoding="utf-8"),
        lambda: (actors / "dialogue-maore.yaml").unlink(),
        # a rename: the actor moves to the end of the list, the others move up
        lambda: replace_in(actors / "civilab.yaml", "name: ", "name: Zz "),
        lambda: (actors / "premier.yaml").unlink(),
    ]
    for number, edit in enumerate(edits):
        edit()
        made_whole.clear()
        build(options)
        assert made_whole == [], f"edit {number}"
        scratch = tmp_path / f"clean-{number}"
        scratch.mkdir()
        assert run_cli("--content", content, "--output", scratch / "out", cwd=scratch).status == 0
        assert contents(output) == contents(scratch / "out"), f"edit {number}"


def planned(content, cache):
    """The pages the pipeline plans for `content` (with the cache in `cache`)."""
    settings, catalogue = load_catalogue(content, cache_dir=cache)
    texts = partial(load_texts, content, catalogue.vocabularies, 1)
    data = derived.derive(settings, catalogue, cache, 1, texts)
    catalogue = dataclasses.replace(
        catalogue, actors=tuple(a.without_texts() for a in catalogue.actors)
    )
    return pages.plan_pages(settings, catalogue, b"{}", data, 1, cache)[0]


def test_the_key_memo_gives_the_keys_that_pickling_gives(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    memo, salt, hits = KeyMemo(), "salt", 0
    civilab = content / "actors" / "civilab.yaml"
    for edit in (lambda: None, lambda: replace_in(civilab, "summary: Ex", "summary: Revu. Ex")):
        edit()
        for page in planned(content, tmp_path / ".cache"):
            expected = page_key(salt, page)  # first: the memo must not change the page's key
            found = memo.key(salt, page)
            assert (found.key, found.actors) == (expected.key, expected.actors), page.route
            assert page_key(salt, page).key == expected.key, page.route
            hits += found.recipe is None and bool(found.actors)  # from the memo
    assert hits >= 11  # the second time, at least the JSON of the actors unchanged

    profile = next(p for p in planned(content, tmp_path / ".cache") if p.template == "profile.html")
    planner, actor = profile.lazy.func.__self__, profile.lazy.args[0]
    others = [
        *(dataclasses.replace(profile, **{name: "x"}) for name in ("route", "template", "title")),
        dataclasses.replace(profile, description="x"),
        dataclasses.replace(profile, context={"x": "y"}),
        dataclasses.replace(profile, lazy=partial(planner.actor_json, actor)),
        dataclasses.replace(profile, lazy=partial(planner.make_card, actor)),
        dataclasses.replace(profile, lazy=partial(planner.profile_context, actor, ())),
    ]
    keys = {memo.key(salt, page).key for page in [profile, *others]}
    assert len(keys) == len(others) + 1  # no two pages share a key
    assert memo.key("other salt", profile).key != memo.key(salt, profile).key
    for page in others:
        assert memo.key(salt, page).key == page_key(salt, page).key


def test_the_cache_keeps_the_recipes_of_the_sites_built_only(tmp_path):
    """Each edit makes new recipes (the pickles quick rebuilds make pages from), each
    change of our code all of them: only those of the pages of the sites built are kept,
    those of another output folder (other keys: another address) too."""
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    cache = tmp_path / ".cache"
    options = BuildOptions(content, tmp_path / "out", cache_dir=cache, workers=1)
    other = BuildOptions(
        content, tmp_path / "other", cache_dir=cache, workers=1, base_url="https://a.example"
    )
    build(other)
    with sqlite3.connect(cache / "derived.sqlite") as connection:
        connection.execute("INSERT INTO recipes VALUES ('old', 'older code', x'00', x'00')")
    build(options)  # a full build: it forgets the recipes of other code (edits need not)

    def keys_of_the_sites():
        return [
            set(load_sealed(record)["keys"].values())
            for record in (cache / "pages").glob("*.pickle")
        ]

    civilab = content / "actors" / "civilab.yaml"
    corse = ("territories:\n", "territories:\n  - Corse\n")  # a move: lists replanned
    text = ("summary: Exemple fictif", "summary: Exemple revu")  # a text: from recipes
    for old, new in [corse, text, corse[::-1], corse, text[::-1], corse[::-1]]:
        replace_in(civilab, old, new)
        build(options)
        with sqlite3.connect(cache / "derived.sqlite") as connection:
            recipes = {key for (key,) in connection.execute("SELECT key FROM recipes")}
        sites = keys_of_the_sites()
        assert len(sites) == 2 and all(recipes & site for site in sites)
        assert recipes <= set().union(*sites)


def test_a_logo_saved_while_its_actor_is_parsed_is_seen_by_the_next_build(tmp_path, monkeypatch):
    content, cache = tmp_path / "content", tmp_path / ".cache"
    shutil.copytree(SAMPLE_CONTENT, content)
    logo = content / "logos" / "civilab.png"
    other = (content / "logos" / "concertance.png").read_bytes()
    real_load_actor = load.load_actor

    def load_then_save_the_logo(path, *args):
        actor = real_load_actor(path, *args)
        if path.name == "civilab.yaml":
            logo.write_bytes(other)  # after it was read, before the cache notes its signature
        return actor

    monkeypatch.setattr(load, "load_actor", load_then_save_the_logo)
    load_catalogue(content, None, 1, cache)
    monkeypatch.undo()
    _, catalogue = load_catalogue(content, None, 1, cache)
    (civilab,) = [actor for actor in catalogue.actors if actor.source.endswith("civilab.yaml")]
    assert civilab.logo.data == other
