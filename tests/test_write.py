"""The output folder is ours alone, and the build neither reads nor writes outside its folders.

Refusals are checked end to end where a user would meet them (exit 2, a message naming the
folder, every file still there), and write_site's swap, repair and lock are checked directly.
"""

from __future__ import annotations

import os
import pwd
import threading
import time
from pathlib import Path

import pytest

from site_gen import write
from site_gen.errors import UsageError
from site_gen.write import (
    MARKER,
    check_output_dir,
    output_lock,
    remove_leftovers,
    site_writer,
    write_site,
)

from .conftest import ROOT, VALID_ACTOR, run_cli, tree_snapshot

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
    assert "actors/more: not an actor file" in result.stderr
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
    assert "link" in result.stderr and "outside" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


# --- writing ---------------------------------------------------------------------------


@pytest.fixture
def output(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path / "site" / "output"


def beside(output: Path) -> list[str]:
    return sorted(p.name for p in output.parent.iterdir())


def test_write_replaces_the_site_and_leaves_only_the_lock_beside_it(output):
    assert write_site(SITE, output) == 2
    write_site({"index.html": b"v2", "acteurs/b/index.html": b"b"}, output)
    assert files_of(output) == {
        "index.html": b"v2",
        "acteurs/b/index.html": b"b",
        MARKER: write.MARKER_TEXT,
    }
    assert beside(output) == [".output.lock", "output"]


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
    assert beside(output) == [".output.lock", "output"]
    assert not (output.parent / "evil.html").exists()


def test_exchange_swaps_two_folders_atomically(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    (first / "f").write_text("1")
    (second / "f").write_text("2")
    if not write.exchange(first, second):
        pytest.skip("this system has no renameat2(RENAME_EXCHANGE)")
    assert (first / "f").read_text() == "2" and (second / "f").read_text() == "1"


def test_fallback_swap_writes_the_site_where_exchange_is_missing(output, monkeypatch):
    monkeypatch.setattr(write, "exchange", lambda first, second: False)
    write_site(SITE, output)
    write_site({"index.html": b"v2"}, output)
    assert files_of(output) == {"index.html": b"v2", MARKER: write.MARKER_TEXT}
    assert beside(output) == [".output.lock", "output"]


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
    assert beside(output) == [".output.lock", "output"]


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
    monkeypatch.setattr(write, "LOCK_WAIT_SECONDS", 0.2)
    held_by_me = rf"another build \(process {os.getpid()}\)"
    with output_lock(output), pytest.raises(UsageError, match=held_by_me):
        write_site({"index.html": b"v2"}, output)
    assert tree_snapshot(output) == before
