"""Benchmark the build on synthetic catalogues: cold, no-change and one-edit rebuilds.

The first rebuild after a cold build also makes the writer's spare copy of the site (one
hard link per file), so it is reported apart from the edits after it, an editor's usual case.

    python scripts/bench.py                 # 1,000 and 10,000 actors
    python scripts/bench.py --sizes 100000  # the big one (takes a while)

Each build runs as a user runs it (`python build.py` in a fresh process), with the cache in
a scratch folder. Prints a table: median wall time of several runs, peak memory (largest
process), pages per second.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from generate_catalogue import write_catalogue  # noqa: E402

from site_gen.text import slugify  # noqa: E402

WORK = Path(os.environ.get("BENCH_DIR", "/tmp/site-gen-bench"))


def build(content: Path, output: Path, workdir: Path) -> tuple[float, int, int]:
    """(seconds, pages, peak RSS in MB of the largest process) of one build."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    completed = subprocess.run(
        [
            sys.executable,
            str(ROOT / "build.py"),
            "--content",
            str(content),
            "--output",
            str(output),
        ],
        cwd=workdir,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if completed.returncode != 0:
        raise SystemExit(f"build failed:\n{completed.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    match = re.search(r"(\d+) pages", completed.stdout)
    return seconds, int(match[1]) if match else 0, max(peak, before) // 1024


def edit_one(content: Path, run: int) -> Path:
    """Change the summary of one actor, as an editor would."""
    target = sorted((content / "actors").glob("*.yaml"))[run * 7 % 50]
    text = target.read_text(encoding="utf-8")
    text = re.sub(
        r"^summary: .*(?:\n  .*)*$",  # a long summary goes on over indented lines
        f"summary: Résumé modifié, essai {run}.",
        text,
        count=1,
        flags=re.MULTILINE,
    )
    target.write_text(text, encoding="utf-8")
    return target


def profile_slug(path: Path) -> str:
    name = re.search(r"^name: (.*)$", path.read_text(encoding="utf-8"), re.MULTILINE)[1]
    return slugify(name.strip("'\""))


def bench(size: int, runs: int) -> dict:
    content = WORK / f"catalogue-{size}"
    stamp = content / ".generated"
    if not stamp.exists():
        print(f"generating {size:,} actors…", file=sys.stderr)
        write_catalogue(size, content)
        stamp.touch()
    workdir = WORK / f"work-{size}"
    output = workdir / "output"
    cold, no_change, first_edit, one_edit, peaks, pages = [], [], [], [], [], 0
    for run in range(runs):
        shutil.rmtree(workdir, ignore_errors=True)
        workdir.mkdir(parents=True)
        seconds, pages, peak = build(content, output, workdir)
        cold.append(seconds)
        peaks.append(peak)
        seconds, _, _ = build(content, output, workdir)
        no_change.append(seconds)
        for edit, times in ((run * 2, first_edit), (run * 2 + 1, one_edit)):
            edited = edit_one(content, edit)
            seconds, _, peak = build(content, output, workdir)
            times.append(seconds)
            peaks.append(peak)
            profile = output / "acteurs" / profile_slug(edited) / "index.html"
            if f"essai {edit}." not in profile.read_text(encoding="utf-8"):
                raise SystemExit(f"stale output: {profile} does not show the edit")
    return {
        "size": size,
        "pages": pages,
        "cold": statistics.median(cold),
        "no_change": statistics.median(no_change),
        "first_edit": statistics.median(first_edit),
        "one_edit": statistics.median(one_edit),
        "peak_mb": max(peaks),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rows = [bench(size, args.runs) for size in args.sizes]
    print(
        f"{'actors':>8} {'pages':>7} {'cold s':>8} {'no-change s':>12} {'1st edit s':>11} "
        f"{'one-edit s':>11} {'peak MB':>8} {'pages/s':>8}"
    )
    for r in rows:
        print(
            f"{r['size']:>8,} {r['pages']:>7,} {r['cold']:>8.2f} {r['no_change']:>12.2f} "
            f"{r['first_edit']:>11.2f} {r['one_edit']:>11.2f} {r['peak_mb']:>8,} "
            f"{r['pages'] / r['cold']:>8,.0f}"
        )


if __name__ == "__main__":
    main()
