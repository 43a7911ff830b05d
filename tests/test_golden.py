"""The sample catalogue builds into exactly the golden tree (tests/golden/site/).

A change meant to change the site runs `make golden` and commits the new tree: its diff is
what readers will get, read in review. Any other difference fails here, with the files named
and the first differences shown.
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import golden  # noqa: E402

HOW = "if the change is meant, run `make golden` and review the diff of tests/golden/"


def _diff(name: str, expected: bytes, actual: bytes) -> str:
    try:
        before, after = expected.decode().splitlines(), actual.decode().splitlines()
    except UnicodeDecodeError:
        return f"{name}: binary file differs ({len(expected)} → {len(actual)} bytes)"
    lines = difflib.unified_diff(before, after, f"golden/{name}", f"built/{name}", n=1, lineterm="")
    return "\n".join(list(lines)[:20])


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, bytes]:
    output = tmp_path_factory.mktemp("golden") / "site"
    golden.build_sample(output)
    return golden.files(output)


def test_the_golden_tree_exists():
    assert golden.GOLDEN.is_dir(), f"no golden tree: {HOW}"
    assert (golden.GOLDEN / "index.html").is_file()


def test_the_sample_builds_the_same_files_as_the_golden_tree(built):
    expected = golden.files(golden.GOLDEN)
    missing = sorted(expected.keys() - built.keys())
    extra = sorted(built.keys() - expected.keys())
    assert not missing and not extra, f"files gone: {missing[:10]}; new: {extra[:10]}; {HOW}"


def test_every_file_has_the_golden_bytes(built):
    expected = golden.files(golden.GOLDEN)
    changed = [
        name for name in sorted(expected.keys() & built.keys()) if expected[name] != built[name]
    ]
    shown = "\n".join(_diff(name, expected[name], built[name]) for name in changed[:3])
    assert not changed, f"{len(changed)} files differ ({', '.join(changed[:10])}); {HOW}\n{shown}"
