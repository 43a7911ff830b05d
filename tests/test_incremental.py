"""Rebuilds: nothing changed → nothing written; any change → the same site as a clean build."""

from __future__ import annotations

import shutil

from .conftest import SAMPLE_CONTENT, run_cli, tree_snapshot


def contents(folder):
    return {path: data for path, (data, _mtime) in tree_snapshot(folder).items()}


def test_a_rebuild_with_nothing_changed_writes_nothing(tmp_path):
    output = tmp_path / "out"
    assert run_cli("--content", SAMPLE_CONTENT, "--output", output, cwd=tmp_path).status == 0
    before = tree_snapshot(output)
    result = run_cli("--content", SAMPLE_CONTENT, "--output", output, cwd=tmp_path)
    assert result.status == 0
    assert result.stdout.startswith("Up to date: 12 actors")
    assert "warning" in result.stderr  # the warnings of the last build are still shown
    assert tree_snapshot(output) == before


def test_a_deleted_or_replaced_output_is_rebuilt(tmp_path):
    output = tmp_path / "out"
    assert run_cli("--content", SAMPLE_CONTENT, "--output", output, cwd=tmp_path).status == 0
    good = contents(output)
    shutil.rmtree(output)
    result = run_cli("--content", SAMPLE_CONTENT, "--output", output, cwd=tmp_path)
    assert result.stdout.startswith("Built") and contents(output) == good
    copy = tmp_path / "copy"
    shutil.copytree(output, copy)  # e.g. a deploy step that restored an older copy
    shutil.rmtree(output)
    copy.rename(output)
    result = run_cli("--content", SAMPLE_CONTENT, "--output", output, cwd=tmp_path)
    assert result.stdout.startswith("Built")


def test_cached_builds_equal_clean_builds_across_edits(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    cached, clean = tmp_path / "cached", tmp_path / "clean"
    actor = content / "actors" / "concertance.md"
    edits = [
        lambda: None,
        lambda: actor.write_text(actor.read_text().replace("Concertance", "Concertance Ouest")),
        lambda: (content / "actors" / "dialogue-maore.yaml").unlink(),
        lambda: (content / "site.yaml").write_text("title: Autre titre\npage_size: 4\n"),
        lambda: (content / "clients.yaml").write_text("Nantes Métropole: [Ville de Nantes]\n"),
    ]
    for number, edit in enumerate(edits):
        edit()
        assert run_cli("--content", content, "--output", cached, cwd=tmp_path).status == 0
        shutil.rmtree(clean, ignore_errors=True)
        scratch = tmp_path / f"no-cache-{number}"  # a fresh working folder: an empty cache
        scratch.mkdir()
        assert run_cli("--content", content, "--output", clean, cwd=scratch).status == 0
        assert contents(cached) == contents(clean), f"after edit {number}"
