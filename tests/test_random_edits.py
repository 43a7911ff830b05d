"""Seeded random edits of every kind (each schema key, new, deleted, renamed and converted
files, vocabularies, client aliases, settings, logos), made one after the other to a copy of
the sample: after each one, the command line's rebuild and the live preview must hold, byte
for byte, what a clean build of the same content writes.

One seed runs in `make test`; `SITE_GEN_EDIT_SEEDS="1 2 3 4"` (and `SITE_GEN_EDIT_STEPS`)
runs more. A failure names the seed and the edits made, so it can be replayed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest

from site_gen.preview.serve import Preview

from .conftest import ROOT, SAMPLE_CONTENT, run_cli
from .random_edits import FILE_CHANGES, Editor

SEEDS = [int(seed) for seed in os.environ.get("SITE_GEN_EDIT_SEEDS", "1").split()]
STEPS = int(os.environ.get("SITE_GEN_EDIT_STEPS", "0"))  # 0: every key and change once, and 4 more
MARKER = ".site-gen-output"


def files(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != MARKER
    }


def clean_build(content: Path, scratch: Path, *options: str) -> dict[str, bytes]:
    """What a first build of `content` writes, with an empty cache."""
    folder = Path(tempfile.mkdtemp(prefix="clean-", dir=scratch))
    result = run_cli("--content", content, "--output", folder / "out", *options, cwd=folder)
    assert result.status == 0, result.stderr
    built = files(folder / "out")
    shutil.rmtree(folder)
    return built


def differences(expected: dict[str, bytes], actual: dict[str, bytes]) -> list[str]:
    found = [f"missing {p}" for p in sorted(expected.keys() - actual.keys())]
    found += [f"extra {p}" for p in sorted(actual.keys() - expected.keys())]
    found += [
        f"differs {p}" for p in sorted(expected.keys() & actual.keys()) if expected[p] != actual[p]
    ]
    return found


def steps(editor: Editor) -> int:
    return STEPS or len(editor.keys_left) + len(FILE_CHANGES) + 4


@pytest.mark.parametrize("seed", SEEDS)
def test_command_line_rebuilds_equal_clean_builds_after_random_edits(tmp_path, seed):
    content = Path(shutil.copytree(SAMPLE_CONTENT, tmp_path / "content"))
    work, output = tmp_path / "work", tmp_path / "work" / "output"
    work.mkdir()
    assert run_cli("--content", content, "--output", output, cwd=work).status == 0
    editor = Editor(content, seed)
    done: list[str] = []
    for _ in range(steps(editor)):
        done.append(editor.edit())
        result = run_cli("--content", content, "--output", output, cwd=work)
        assert result.status == 0, f"seed {seed}, after {done}:\n{result.stderr}"
        wrong = differences(clean_build(content, tmp_path), files(output))
        assert not wrong, f"seed {seed}, after {done}: {wrong[:10]}"
    assert editor.keys_left == [], "every key of the schema is edited"


def wait_for_clean(server: Preview, expected: dict[str, bytes], timeout: float = 60.0) -> list[str]:
    """Wait until the preview serves `expected` exactly; the differences left at the deadline
    (a deadline for a loaded machine, not a measure: `make bench` times the preview)."""
    deadline = time.monotonic() + timeout
    while True:
        served = {path: server.served.read(path) for path in server.served.paths()}
        wrong = differences(expected, served)
        wrong += [str(p) for p in server.problems if p.severity == "error"]
        if not wrong or time.monotonic() > deadline:
            return wrong
        time.sleep(0.1)


@pytest.mark.parametrize("seed", SEEDS)
def test_the_preview_serves_clean_builds_after_random_edits(tmp_path, seed):
    content = Path(shutil.copytree(SAMPLE_CONTENT, tmp_path / "content"))
    templates = Path(shutil.copytree(ROOT / "templates", tmp_path / "templates"))
    server = Preview(content, templates, port=0).start()
    try:
        base = ("--base-url", server.url)
        assert wait_for_clean(server, clean_build(content, tmp_path, *base)) == []
        editor = Editor(content, seed)
        done: list[str] = []
        for _ in range(steps(editor)):
            done.append(editor.edit())
            wrong = wait_for_clean(server, clean_build(content, tmp_path, *base))
            assert not wrong, f"seed {seed}, after {done}: {wrong[:10]}"
    finally:
        server.stop()
