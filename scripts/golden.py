"""The golden output tree: the sample catalogue (content/) built into tests/golden/site/.

`make golden` runs this after a change that is meant to change the site; the diff of
tests/golden/ is then read in review like any other change. tests/test_golden.py builds the
sample again and fails on any difference, naming the files and showing their diff.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "site"
# Not part of what the site shows: the marker of a folder site_gen owns.
LEFT_OUT = {".site-gen-output"}
# Copies of files kept in templates/ (the stylesheet, scripts, the web editor's vendored
# bundle): each is published under a name that holds a hash of its bytes, and the pages
# that are compared name it, so a change of one shows in the golden diff as a new name.
COPIED = ("admin/decap-", "assets/")


def build_sample(output: Path, content: Path = ROOT / "content") -> None:
    """Build `content` into `output` with the command a user runs, from a scratch folder
    (so with an empty .cache/): the site exactly as `make site` makes it."""
    with tempfile.TemporaryDirectory() as scratch:
        command = [sys.executable, str(ROOT / "build.py"), "--content", str(content)]
        command += ["--output", str(output)]
        result = subprocess.run(command, cwd=scratch, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"the sample did not build:\n{result.stdout}{result.stderr}")


def files(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by its relative path, the marker and the copies of
    templates/ files (COPIED) left out."""
    found = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_file() and path.name not in LEFT_OUT and not name.startswith(COPIED):
            found[name] = path.read_bytes()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        built = Path(scratch) / "site"
        build_sample(built)
        if GOLDEN.exists():
            shutil.rmtree(GOLDEN)
        GOLDEN.mkdir(parents=True)
        for name, data in files(built).items():
            target = GOLDEN / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    print(f"wrote {len(files(GOLDEN))} files into {GOLDEN.relative_to(ROOT)}: review `git diff`")


if __name__ == "__main__":
    main()
