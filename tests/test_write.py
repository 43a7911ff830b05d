"""The output folder is ours alone, and the build neither reads nor writes outside its folders.

Refusals are checked end to end where a user would meet them (exit 2, a message naming the
folder, every file still there), and write_site's swap, repair and lock are checked directly,
as is the double buffering: a rebuild changes only what changed in the spare, which is never
trusted once somebody else touched it.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from site_gen.errors import UsageError
from site_gen.output import folder as outputdir
from site_gen.output import stream as write_stream
from site_gen.output import swap as write_swap
from site_gen.output import write
from site_gen.output.folder import MARKER, check_output_dir, output_lock, spare_path
from site_gen.output.manifest import manifest_paths
from site_gen.output.write import remove_leftovers, site_writer, write_site

from .conftest import ROOT, VALID_ACTOR, run_cli, tree_snapshot
from .test_crash_safety import untrue_manifests

SITE = {"index.html": b"<p>accueil</p>", "acteurs/a/index.html": b"<p>a</p>"}


def files_of(folder: Path) -> dict[str, bytes]:
    return {k: v[0] for k, v in tree_snapshot(folder).items()}


# --- refusals -------------------------------------------------------------------------


def test_repository_root_is_refused_and_nothing_deleted(make_site, tmp_path):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "README.md").write_text("keep me")
    (repo / MARKER).write_text("planted by a pull request")  # the marker alone is not enough
    before = tree_snapshot(repo)
    result = run_cli("--content", make_site({"a.yaml": VALID_ACTOR}), "--output", ".", cwd=repo)
    assert result.status == 2, result.stderr
    assert "refusing to use . as the output folder: it is a git repository" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_snapshot(repo) == before


@pytest.mark.parametrize(
    ("output", "reason"),
    [
        ("content", "it is {content}, which the build reads"),
        (".", "it is or holds the current folder"),
        ("content/actors/site", "it is inside {content}, which the build reads"),
    ],
)
def test_the_content_folder_and_the_current_folder_are_refused(make_site, tmp_path, output, reason):
    content = make_site({"a.yaml": VALID_ACTOR})
    before = tree_snapshot(tmp_path)
    result = run_cli("--content", "content", "--output", output, cwd=tmp_path)
    assert result.status == 2
    assert reason.format(content=content) in result.stderr
    assert tree_snapshot(tmp_path) == before


def test_a_parent_of_the_content_folder_is_refused(make_site, tmp_path, monkeypatch):
    content = make_site({"a.yaml": VALID_ACTOR})
    monkeypatch.chdir(ROOT)  # so that the current-folder rule is not what refuses
    with pytest.raises(UsageError, match=f"it holds {content}, which the build reads"):
        check_output_dir(tmp_path, reads=[content])


def test_root_and_home_folders_are_refused(tmp_path, monkeypatch):
    home = tmp_path / "home" / "camille"
    home.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(tmp_path / "home")
    with pytest.raises(UsageError, match="it is the root of the file system"):
        check_output_dir(Path("/"))
    with pytest.raises(UsageError, match=f"it is the home folder {home}"):
        check_output_dir(home)
    with pytest.raises(UsageError, match=f"it holds {home}"):
        check_output_dir(tmp_path)
    other = Path(pwd.getpwuid(0).pw_dir)  # every account's home, not only ours
    with pytest.raises(UsageError, match=f"it is the home folder {other}"):
        check_output_dir(other)


def test_the_code_of_site_gen_and_the_templates_are_refused(tmp_path, monkeypatch):
    monkeypatch.chdir("/")
    with pytest.raises(UsageError, match="it holds the code of site_gen"):
        check_output_dir(ROOT.parent)
    with pytest.raises(UsageError, match="it is inside the code of site_gen"):
        check_output_dir(ROOT / "site_gen" / "site")
    with pytest.raises(UsageError, match="which the build reads"):
        check_output_dir(ROOT / "templates" / "static", reads=[ROOT / "templates"])


def test_symlinked_output_is_refused_and_its_target_untouched(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    real = tmp_path / "real"
    write_site(SITE, real)
    (tmp_path / "link").symlink_to(real)
    before = tree_snapshot(real)
    with pytest.raises(UsageError, match="link is not a folder"):
        write_site({"index.html": b"new"}, tmp_path / "link")
    assert tree_snapshot(real) == before


def test_a_folder_with_foreign_files_is_refused_even_among_our_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    output = tmp_path / "out"
    output.mkdir()
    (output / "notes.txt").write_text("mine")
    with pytest.raises(UsageError, match="holds files that site_gen did not write"):
        write_site(SITE, output)
    assert files_of(output) == {"notes.txt": b"mine"}


# --- the content folder cannot reach outside itself -----------------------------------


def test_symlinked_folder_in_actors_is_not_read(make_site, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("id: 7\nname: Secret\n")
    content = make_site({"a.yaml": VALID_ACTOR})
    os.symlink(outside, content / "actors" / "more")
    result = run_cli("check", "--content", content)
    assert result.status == 1
    assert "actors/more: ce n'est pas une fiche d'acteur" in result.stderr
    assert "Secret" not in result.stdout + result.stderr


def test_symlinked_actors_folder_pointing_outside_is_refused(make_site, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("id: 7\nname: Secret\n")
    content = make_site({})
    (content / "actors").rmdir()
    os.symlink(outside, content / "actors")
    result = run_cli("--content", content, "--output", tmp_path / "out")
    assert result.status in (1, 2)  # a content problem or a usage error: refused either way
    assert "est un lien vers un dossier hors de" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


# --- writing ---------------------------------------------------------------------------


@pytest.fixture
def output(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path / "site" / "output"


def beside(output: Path) -> list[str]:
    return sorted(p.name for p in output.parent.iterdir())


# what stays beside output/ once it has been rebuilt: the lock, the spare and the manifests
BESIDE = [".output.lock", ".output.manifest", ".output.spare", ".output.spare.manifest"]


def test_write_replaces_the_site_and_leaves_the_spare_and_manifests_beside_it(output):
    assert write_site(SITE, output) == 2
    assert beside(output) == sorted([*BESIDE, "output"])  # the spare: links to the site
    assert files_of(spare_path(output)) == files_of(output)
    assert untrue_manifests(output) == []  # the next build can trust it
    write_site({"index.html": b"v2", "acteurs/b/index.html": b"b"}, output)
    assert files_of(output) == {
        "index.html": b"v2",
        "acteurs/b/index.html": b"b",
        MARKER: write.MARKER_TEXT,
    }
    assert beside(output) == sorted([*BESIDE, "output"])
    assert files_of(spare_path(output)) == {**SITE, MARKER: write.MARKER_TEXT}  # the previous
    assert untrue_manifests(output) == []


def test_unchanged_files_keep_their_modification_time(output):
    write_site(SITE, output)
    past = 1_000_000_000
    for path in output.rglob("*.html"):
        os.utime(path, (past, past))
    write_site({**SITE, "index.html": b"<p>nouvel accueil</p>"}, output)
    assert (output / "acteurs/a/index.html").stat().st_mtime == past
    assert (output / "index.html").stat().st_mtime > past
    assert (output / "index.html").read_bytes() == b"<p>nouvel accueil</p>"


def test_a_file_staged_twice_never_writes_through_into_the_live_site(output):
    write_site(SITE, output)
    with pytest.raises(RuntimeError), site_writer(output) as site:
        site.add("index.html", SITE["index.html"])  # unchanged: hard-linked from the live site
        site.add("index.html", b"<p>autre</p>")
        raise RuntimeError("the build fails after")
    assert files_of(output)["index.html"] == SITE["index.html"]


def test_a_path_leaving_the_folder_is_refused_and_the_site_kept(output):
    write_site(SITE, output)
    before = tree_snapshot(output)
    for bad in ("../evil.html", "/etc/evil", "acteurs/../../evil.html"):
        with pytest.raises(UsageError, match="outside the output folder"):
            write_site({**SITE, bad: b"x"}, output)
    assert tree_snapshot(output) == before
    assert set(beside(output)) <= {*BESIDE, "output"}
    assert not (output.parent / "evil.html").exists()
    assert untrue_manifests(output) == []


def test_exchange_swaps_two_folders_atomically(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    (first / "f").write_text("1")
    (second / "f").write_text("2")
    if not write_swap.exchange(first, second):
        pytest.skip("this system has no renameat2(RENAME_EXCHANGE)")
    assert (first / "f").read_text() == "2" and (second / "f").read_text() == "1"


def test_fallback_swap_writes_the_site_where_exchange_is_missing(output, monkeypatch):
    monkeypatch.setattr(write_swap, "exchange", lambda first, second: False)
    write_site(SITE, output)
    write_site({"index.html": b"v2"}, output)
    assert files_of(output) == {"index.html": b"v2", MARKER: write.MARKER_TEXT}
    assert beside(output) == sorted([*BESIDE, "output"])
    with site_writer(output) as site:  # the renames keep the spare trusted
        site.add("index.html", b"v3")
    assert site.written == 1
    assert files_of(output) == {"index.html": b"v3", MARKER: write.MARKER_TEXT}
    assert untrue_manifests(output) == []


def test_next_build_restores_a_site_caught_between_the_two_renames(output):
    write_site(SITE, output)
    before = tree_snapshot(output)
    # the fallback swap killed after `output → .old`, with a complete staging folder beside
    output.rename(output.with_name(".output.4242.old"))
    staging = output.with_name(".output.4242.staging")
    staging.mkdir()
    (staging / "index.html").write_text("half")
    with output_lock(output):
        remove_leftovers(output)
    assert tree_snapshot(output) == before
    assert beside(output) == sorted([*BESIDE, "output"])


def test_a_site_caught_after_the_two_renames_keeps_the_previous_one_as_spare(output):
    write_site(SITE, output)
    write_site({**SITE, "index.html": b"v2"}, output)
    # the fallback swap killed after its second rename: the previous site is still `.old`
    spare_path(output).rename(output.with_name(".output.4242.old"))
    with output_lock(output):
        remove_leftovers(output)
    assert beside(output) == sorted([*BESIDE, "output"])
    assert files_of(spare_path(output)) == {**SITE, MARKER: write.MARKER_TEXT}
    assert untrue_manifests(output) == []


def test_a_second_build_waits_for_the_first(output):
    write_site(SITE, output)
    holding = threading.Event()

    def hold_the_lock():
        with output_lock(output):
            holding.set()
            time.sleep(0.5)

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    holding.wait()
    started = time.monotonic()
    write_site({"index.html": b"v2"}, output)
    holder.join()
    assert time.monotonic() - started >= 0.4
    assert files_of(output) == {"index.html": b"v2", MARKER: write.MARKER_TEXT}


def test_a_second_build_gives_up_after_the_wait_and_changes_nothing(output, monkeypatch):
    write_site(SITE, output)
    before = tree_snapshot(output)
    monkeypatch.setattr(outputdir, "LOCK_WAIT_SECONDS", 0.2)
    held_by_me = rf"another build \(process {os.getpid()}\)"
    with output_lock(output), pytest.raises(UsageError, match=held_by_me):
        write_site({"index.html": b"v2"}, output)
    assert tree_snapshot(output) == before


# --- double buffering: a rebuild changes only what changed ------------------------------

PAGES = {f"acteurs/{name}/index.html": f"<p>{name}</p>".encode() for name in "abcdef"}
PAGES |= {"index.html": b"<p>accueil</p>", "static/style.css": b"body{}"}
MARKER_FILE = {MARKER: write.MARKER_TEXT}


def inodes(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file's inode and mtime: what a file left alone keeps."""
    return {
        str(path.relative_to(folder)): (path.stat().st_ino, path.stat().st_mtime_ns)
        for path in folder.rglob("*")
        if path.is_file() and path.name != MARKER
    }


def folders(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_dir())


def rebuild(output: Path, files: dict[str, bytes]) -> write.StagedSite:
    """A build that adds every file, as the pipeline does for pages it rendered."""
    with site_writer(output) as site:
        for path, data in files.items():
            site.add(path, data)
    assert files_of(output) == {**files, **MARKER_FILE}
    assert untrue_manifests(output) == []
    return site


@pytest.fixture
def rebuilt(output) -> Path:
    """A site built twice: the second build learnt it and left the first as a spare."""
    write_site(PAGES, output)
    write_site(PAGES, output)
    return output


def test_a_rebuild_writes_only_the_file_that_changed(rebuilt):
    before = inodes(rebuilt)
    edited = {**PAGES, "acteurs/c/index.html": b"<p>c, edited</p>"}
    assert rebuild(rebuilt, edited).written == 1
    after = inodes(rebuilt)
    new_c = after.pop("acteurs/c/index.html")
    assert new_c != before.pop("acteurs/c/index.html")
    assert after == before  # every other file: same inode, same mtime
    # the next edit: the spare has the old c, the live site the new one, hard-linked over
    again = {**edited, "acteurs/d/index.html": b"<p>d, edited</p>"}
    assert rebuild(rebuilt, again).written == 2
    assert inodes(rebuilt)["acteurs/c/index.html"] == new_c
    assert rebuild(rebuilt, again).written == 1  # only d, still old in the spare
    assert rebuild(rebuilt, again).written == 0


def test_the_build_after_a_first_one_writes_only_what_changed(output):
    write_site(PAGES, output)
    before = inodes(output)
    with site_writer(output) as site:
        assert site.keep_all(PAGES.keys() - {"index.html"}) == []
        site.add("index.html", b"<p>nouvel accueil</p>")
    assert site.written == 1
    after = inodes(output)
    assert after.pop("index.html") != before.pop("index.html")
    assert after == before
    assert files_of(output) == {**PAGES, "index.html": b"<p>nouvel accueil</p>", **MARKER_FILE}
    assert untrue_manifests(output) == []


def test_deleted_pages_disappear_with_their_folders(rebuilt):
    fewer = {p: d for p, d in PAGES.items() if not p.startswith(("acteurs/b/", "acteurs/c/"))}
    rebuild(rebuilt, fewer)
    assert "acteurs/b" not in folders(rebuilt) and "acteurs/c" not in folders(rebuilt)
    assert rebuild(rebuilt, PAGES).written == 0  # the spare is the site before: all there
    rebuild(rebuilt, {"index.html": b"seul"})
    assert folders(rebuilt) == []
    assert rebuild(rebuilt, fewer).written == 0  # from `PAGES`: b and c deleted, no write
    assert "acteurs/b" not in folders(rebuilt)


def test_a_file_that_becomes_a_folder_and_back(rebuilt):
    as_file = {**PAGES, "acteurs/g": b"un fichier"}
    as_folder = {**PAGES, "acteurs/g/index.html": b"un dossier"}
    for files in (as_file, as_folder, as_file, as_folder, PAGES):
        rebuild(rebuilt, files)


def test_keep_takes_the_file_of_the_live_site_without_its_bytes(rebuilt):
    before = inodes(rebuilt)
    with site_writer(rebuilt) as site:
        assert site.keep("nowhere/index.html") is False
        for path in PAGES.keys() - {"index.html"}:
            assert site.keep(path) is True
        site.add("index.html", b"<p>nouvel accueil</p>")
    assert files_of(rebuilt) == {**PAGES, "index.html": b"<p>nouvel accueil</p>", **MARKER_FILE}
    after = inodes(rebuilt)
    assert after.pop("index.html") != before.pop("index.html")
    assert after == before
    with pytest.raises(UsageError, match="outside the output folder"), site_writer(rebuilt) as site:
        site.keep("../evil.html")


def edit_by_hand(rebuilt: Path) -> None:
    (rebuilt / "acteurs/a/index.html").unlink()
    (spare_path(rebuilt) / "acteurs/a/index.html").write_bytes(b"<p>A</p>")  # in place
    (rebuilt / "acteurs/b/index.html").write_bytes(b"<p>edited by hand</p>")  # the spare's too
    (rebuilt / "acteurs/c/index.html").unlink()  # the spare still has it, intact: enough


def test_verify_keeps_no_file_gone_or_edited_in_the_live_site(rebuilt):
    edit_by_hand(rebuilt)
    with site_writer(rebuilt, verify=True) as site:
        assert site.keep("acteurs/a/index.html") is False
        assert site.keep("acteurs/b/index.html") is False
        assert site.keep("acteurs/c/index.html") is True
        for path, data in PAGES.items():
            if not site.keep(path):
                site.add(path, data)
    assert files_of(rebuilt) == {**PAGES, **MARKER_FILE}


def test_a_plain_build_trusts_files_edited_in_place_but_not_a_deletion(rebuilt):
    edit_by_hand(rebuilt)
    with site_writer(rebuilt) as site:
        assert site.keep_all(PAGES) == []  # the spare's folders are as recorded: trusted
    # an edit in place keeps the folder's mtime: not seen without --verify
    assert (rebuilt / "acteurs/a/index.html").read_bytes() == b"<p>A</p>"
    assert (rebuilt / "acteurs/b/index.html").read_bytes() == b"<p>edited by hand</p>"
    assert (rebuilt / "acteurs/c/index.html").read_bytes() == PAGES["acteurs/c/index.html"]
    # the tree with a and c deleted is now the spare: not trusted (a folder's mtime
    # changed), so every file is linked anew from the live site, each checked by a stat
    with site_writer(rebuilt) as site:
        missing = site.keep_all(PAGES)
        for path in missing:
            site.add(path, PAGES[path])
    assert missing == ["acteurs/a/index.html", "acteurs/b/index.html"]
    assert files_of(rebuilt) == {**PAGES, **MARKER_FILE}
    assert untrue_manifests(rebuilt) == []


def test_the_first_build_into_an_empty_folder_has_nothing_to_keep(output):
    output.mkdir(parents=True)
    with site_writer(output) as site:
        assert site.keep("index.html") is False
        site.add("index.html", b"v1")
    assert files_of(output) == {"index.html": b"v1", **MARKER_FILE}


def edit_in_place(spare: Path) -> None:
    (spare / "acteurs/a/index.html").write_bytes(b"<p>A</p>")  # same size: only mtime tells


def add_a_file(spare: Path) -> None:
    (spare / "acteurs/a/notes.txt").write_text("left here by hand")


def replace_a_file(spare: Path) -> None:  # as editors save: a new file renamed over
    (spare / "tmp").write_bytes(b"<p>autre</p>")
    (spare / "tmp").rename(spare / "acteurs/b/index.html")


def corrupt_the_manifest(spare: Path) -> None:
    manifest_paths(spare.with_name("output"))[1].write_text('{"version": 1, "files": [')


def copy_the_spare(spare: Path) -> None:  # a restore: same files, other inodes
    shutil.copytree(spare, spare.with_name("copy"))
    shutil.rmtree(spare)
    spare.with_name("copy").rename(spare)


def foreign_manifest(spare: Path) -> None:  # the live site's manifest over the spare's
    live, spare_manifest = manifest_paths(spare.with_name("output"))
    shutil.copy(live, spare_manifest)


@pytest.mark.parametrize(
    "tamper",
    [
        edit_in_place,
        add_a_file,
        replace_a_file,
        corrupt_the_manifest,
        copy_the_spare,
        foreign_manifest,
    ],
)
def test_a_spare_touched_by_anybody_else_is_not_trusted(rebuilt, tamper):
    edited = {**PAGES, "acteurs/c/index.html": b"<p>c, edited</p>"}
    rebuild(rebuilt, edited)  # the spare now differs from the live site in c
    time.sleep(0.01)  # so that a hand edit gets another mtime than the build's
    tamper(spare_path(rebuilt))
    rebuild(rebuilt, PAGES)
    rebuild(rebuilt, edited)


def test_a_link_planted_as_the_spare_is_removed_and_its_target_untouched(rebuilt, tmp_path):
    victim = tmp_path / "victim"
    (victim / "acteurs").mkdir(parents=True)
    (victim / "acteurs/keep.txt").write_text("mine")
    shutil.rmtree(spare_path(rebuilt))
    spare_path(rebuilt).symlink_to(victim)
    rebuild(rebuilt, PAGES)
    assert files_of(victim) == {"acteurs/keep.txt": b"mine"}
    # inside the spare: a folder replaced by a link to somewhere else
    shutil.rmtree(spare_path(rebuilt) / "acteurs")
    (spare_path(rebuilt) / "acteurs").symlink_to(victim / "acteurs")
    rebuild(rebuilt, {**PAGES, "acteurs/a/index.html": b"<p>a2</p>"})
    assert files_of(victim) == {"acteurs/keep.txt": b"mine"}
    assert not spare_path(rebuilt).is_symlink()


def test_a_repository_at_the_spare_name_is_refused_and_kept(rebuilt):
    shutil.rmtree(spare_path(rebuilt))
    (spare_path(rebuilt) / ".git").mkdir(parents=True)
    (spare_path(rebuilt) / "notes.txt").write_text("mine")
    before = tree_snapshot(spare_path(rebuilt))
    with pytest.raises(UsageError, match="refusing to replace .*spare.*git repository"):
        write_site(PAGES, rebuilt)
    assert tree_snapshot(spare_path(rebuilt)) == before


def test_a_link_planted_as_a_manifest_is_replaced_not_written_through(rebuilt, tmp_path):
    victim = tmp_path / "victim.json"
    victim.write_text("mine")
    for manifest in manifest_paths(rebuilt):
        manifest.unlink()
        manifest.symlink_to(victim)
    rebuild(rebuilt, PAGES)
    rebuild(rebuilt, PAGES)
    assert victim.read_text() == "mine"
    assert not any(manifest.is_symlink() for manifest in manifest_paths(rebuilt))


def test_a_failed_build_leaves_the_live_site_and_a_spare_the_next_build_can_use(rebuilt):
    before = tree_snapshot(rebuilt)
    edited = {**PAGES, "acteurs/c/index.html": b"<p>c, edited</p>", "new/index.html": b"new"}
    with pytest.raises(RuntimeError), site_writer(rebuilt) as site:
        for path, data in edited.items():
            site.add(path, data)
        raise RuntimeError("a broken link, found at the end")
    assert tree_snapshot(rebuilt) == before
    assert untrue_manifests(rebuilt) == []
    assert rebuild(rebuilt, edited).written == 0  # the spare already holds it all


def test_a_build_killed_while_changing_the_spare_leaves_a_spare_never_trusted(rebuilt):
    before = tree_snapshot(rebuilt)
    script = f"""
import os, signal, sys
sys.path.insert(0, {str(ROOT)!r})
from pathlib import Path
from site_gen.output.write import site_writer
with site_writer(Path({str(rebuilt)!r})) as site:
    site.add("acteurs/a/index.html", b"half")
    site.add("new/index.html", b"new")
    os.kill(os.getpid(), signal.SIGKILL)
"""
    killed = subprocess.run([sys.executable, "-c", script], cwd=rebuilt.parent, timeout=60)
    assert killed.returncode == -signal.SIGKILL
    assert tree_snapshot(rebuilt) == before
    assert not manifest_paths(rebuilt)[1].exists()  # the spare's: deleted before any change
    assert (spare_path(rebuilt) / "new/index.html").exists()  # …which was half done
    assert untrue_manifests(rebuilt) == []
    rebuild(rebuilt, {**PAGES, "acteurs/b/index.html": b"<p>b2</p>"})
    assert not (rebuilt / "new").exists()


def test_a_first_build_killed_while_linking_its_spare_leaves_the_site_and_no_trusted_spare(
    output,
):
    script = f"""
import os, signal, sys
sys.path.insert(0, {str(ROOT)!r})
from pathlib import Path
from site_gen.output import write
links = []
def link(*args, **kwargs):
    links.append(args)
    if len(links) == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    return os.link(*args, **kwargs)
write.os.link = link
write.write_site({PAGES!r}, Path({str(output)!r}))
"""
    output.parent.mkdir(parents=True)
    killed = subprocess.run([sys.executable, "-c", script], cwd=output.parent, timeout=60)
    assert killed.returncode == -signal.SIGKILL
    assert files_of(output) == {**PAGES, **MARKER_FILE}  # published before the spare
    assert not manifest_paths(output)[1].exists()
    assert untrue_manifests(output) == []
    rebuild(output, {**PAGES, "index.html": b"v2"})
    rebuild(output, PAGES)


def test_leftovers_are_cleaned_but_the_spare_kept(rebuilt):
    (rebuilt.with_name(".output.4242.staging") / "acteurs").mkdir(parents=True)
    rebuilt.with_name(".output.spare.manifest.4242.tmp").write_text("{")
    rebuilt.with_name(".outputs.4242.staging").mkdir()  # another output's: not ours
    with output_lock(rebuilt):
        remove_leftovers(rebuilt)
    assert beside(rebuilt) == sorted([*BESIDE, ".outputs.4242.staging", "output"])
    assert rebuild(rebuilt, {**PAGES, "index.html": b"v2"}).written == 1


def test_a_file_given_in_chunks_is_written_like_any_other(output):
    big = [b"[", *(b'{"id":%d},' % n for n in range(5000)), b"{}]"]
    with site_writer(output) as site:
        site.add("index.html", SITE["index.html"])
        site.add_chunks("donnees/acteurs.json", iter(big))
    assert files_of(output)["donnees/acteurs.json"] == b"".join(big)
    first = (output / "donnees/acteurs.json").stat()
    for change in (False, True):
        with site_writer(output) as site:
            site.add("index.html", SITE["index.html"])
            site.add_chunks("donnees/acteurs.json", iter(big + [b"\n"] * change))
        now = (output / "donnees/acteurs.json").stat()
        same_file = (now.st_ino, now.st_mtime_ns) == (first.st_ino, first.st_mtime_ns)
        assert same_file != change  # unchanged bytes: the same file, its mtime kept
        assert files_of(output)["donnees/acteurs.json"] == b"".join(big + [b"\n"] * change)
    # nothing but the site: no temporary file left in it or beside it
    assert sorted(files_of(output)) == sorted(["index.html", "donnees/acteurs.json", MARKER])
    assert untrue_manifests(output) == []


def test_an_export_patched_in_place_copies_the_rest_from_the_live_site(output, monkeypatch):
    """A quick rebuild gives the unchanged pieces of an export as Spans of the live file:
    the kernel copies them (or, where it cannot, they are read and written), never read
    again to be hashed: the next build keeps that very file, or writes it anew."""
    chunks = [b"[", *(b'{"id":%d},' % n for n in range(3000)), b"{}]"]
    edited = [*chunks[:100], b'{"id":"revu"},', *chunks[101:]]
    for copy_file_range in (os.copy_file_range, None):  # None: the system has none
        monkeypatch.setattr(write_stream, "_COPY_FILE_RANGE", copy_file_range)
        write_site({"index.html": b"x", "acteurs.json": b"".join(chunks)}, output)
        with site_writer(output) as site:
            spans = site.spans("acteurs.json", [len(c) for c in chunks])
            assert [bytes(span) for span in spans[99:102]] == chunks[99:102]
            site.add_chunks("acteurs.json", [*spans[:100], edited[100], *spans[101:]])
            site.keep("index.html")
        assert files_of(output)["acteurs.json"] == b"".join(edited)
        assert untrue_manifests(output) == []
        before = (output / "acteurs.json").stat().st_ino
        with site_writer(output) as site:
            assert site.keep_all(["index.html", "acteurs.json"]) == []
        assert (output / "acteurs.json").stat().st_ino == before
        write_site({"index.html": b"x", "acteurs.json": b"".join(edited)}, output)
        assert files_of(output)["acteurs.json"] == b"".join(edited)
        assert untrue_manifests(output) == []
    with site_writer(output) as site:
        assert site.spans("acteurs.json", [len(c) for c in chunks[1:]]) is None  # too short
        assert site.spans("nothing.json", [1]) is None


def test_a_live_file_edited_while_its_spans_are_copied_stops_the_build(output):
    write_site({"index.html": b"x", "acteurs.json": b"a" * 5000}, output)
    with pytest.raises(write_stream.NotAsRecorded), site_writer(output) as site:
        spans = site.spans("acteurs.json", [2500, 2500])
        (output / "acteurs.json").write_bytes(b"b" * 5000)  # by hand, meanwhile
        site.add_chunks("acteurs.json", [spans[0], b"c" * 2500])
    assert files_of(output)["acteurs.json"] == b"b" * 5000  # the site as it was, no mix
    assert not [p for p in output.parent.rglob("*streamed*")]  # no temporary file left


def test_short_writes_are_resumed_where_they_stopped(output, monkeypatch):
    """The system may write less than asked (a signal, a full disk about to fail): every
    byte still lands once, in order, for files given whole and in chunks."""
    real_writev = os.writev

    def writev_a_little(fd, buffers):
        first = bytes(buffers[0])
        return real_writev(fd, [first[: max(1, len(first) // 3)]])

    monkeypatch.setattr(write_stream, "_WRITEV", writev_a_little)
    chunks = [b"[", *(b'{"id":%d},' % n for n in range(700)), b"{}]"]
    with site_writer(output) as site:
        site.add("index.html", b"<p>" + b"accueil " * 1000 + b"</p>")
        site.add_chunks("donnees/acteurs.json", iter(chunks))
    files = files_of(output)
    assert files["index.html"] == b"<p>" + b"accueil " * 1000 + b"</p>"
    assert files["donnees/acteurs.json"] == b"".join(chunks)
