"""Benchmark the build on synthetic catalogues: cold, no-change and one-edit rebuilds.

The first rebuild after a cold build also makes the writer's spare copy of the site (one
hard link per file), so it is reported apart from the edits after it, an editor's usual case.
Those edit a summary: an edit rebuild (site_gen/build/actor_edits.py). "Dated" changes an
actor's `updated:` date instead, which moves it in the feed and the sitemap: an edit rebuild
too, which plans those two pages again. "Moved" gives an actor another territory: its term
pages, the pairs, the counts and the related actors of others change, an edit rebuild that
plans again the groups of pages that read them (site_gen/pages/planner.py). "CI" is a build
as CI runs it on a fresh clone: the cache of the builds before restored, no output folder,
every content file with a new mtime.

    python scripts/bench.py                 # 1,000 and 10,000 actors
    python scripts/bench.py --sizes 100000  # the big one (takes a while)

Each build runs as a user runs it (`python build.py` in a fresh process), with the cache in
a scratch folder. Prints a table: median wall time of several runs, peak memory (largest
process), pages per second.

Then the live preview: `build.py serve` is started on the same catalogue (it builds its own
site, then its search index, on one core) and --preview-edits summaries are edited, one at
a time; "preview edit" is the median time from the save to the first response of the
preview that shows the edit (scripts/live_preview.py). "preview dated" and "preview moved"
do the same for half as many dates and territories (the preview builds the latter with the
whole pipeline, in memory). --preview-edits 0 skips them all.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from functools import cache, partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from generate_catalogue import write_catalogue  # noqa: E402
from live_preview import LiveServer, free_port  # noqa: E402

from site_gen.text import slugify  # noqa: E402

WORK = Path(os.environ.get("BENCH_DIR", "/tmp/site-gen-bench"))
TEMPLATES = WORK / "templates"  # a copy of ours, which a fresh clone dates anew


# As installed, Python keeps its compiled modules: a sandbox that forbids writing them
# (PYTHONDONTWRITEBYTECODE) would add their compilation to every run. Builds run as on a
# developer's machine (no CI variable) but for the CI case.
ENVIRONMENT = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "CI")}


def build(
    content: Path, output: Path, workdir: Path, environment: dict | None = None
) -> tuple[float, int, int]:
    """(seconds, pages, peak RSS in MB of the largest process) of one build."""
    command = [sys.executable, str(ROOT / "build.py"), "--content", str(content)]
    command += ["--templates", str(TEMPLATES)]
    with tempfile.TemporaryFile("w+") as stdout, tempfile.TemporaryFile("w+") as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(
            [*command, "--output", str(output)],
            cwd=workdir,
            stdout=stdout,
            stderr=stderr,
            env=environment or ENVIRONMENT,
        )
        # the usage of this build alone (its process and its workers), not of every build
        # so far as RUSAGE_CHILDREN would give
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        stdout.seek(0)
        stderr.seek(0)
        output_text, errors = stdout.read(), stderr.read()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"build failed:\n{errors}")
    match = re.search(r"(\d+) pages", output_text)
    return seconds, int(match[1]) if match else 0, usage.ru_maxrss // 1024


# Edits differ from one invocation to the next: the catalogue is kept between them, and an
# edit that writes what the file already says changes nothing worth measuring.
NONCE = time.strftime("%Y%m%d%H%M%S")


@cache
def actor_files(content: Path) -> list[Path]:
    """The catalogue's actor files, sorted (listed once: the edits only change files, and
    listing 10,000 of them would count in the time of a preview's edit)."""
    return sorted((content / "actors").glob("*.yaml"))


def edited_file(content: Path, run: int) -> Path:
    """The actor file edit `run` changes."""
    return actor_files(content)[run * 7 % 50]


def edit_one(content: Path, run: int) -> str:
    """Change the summary of one actor, as an editor would; returns the new summary."""
    target = edited_file(content, run)
    summary = f"Résumé modifié, essai {run}, {NONCE}."
    text = target.read_text(encoding="utf-8")
    text = re.sub(
        r"^summary: .*(?:\n  .*)*$",  # a long summary goes on over indented lines
        f"summary: {summary}",
        text,
        count=1,
        flags=re.MULTILINE,
    )
    target.write_text(text, encoding="utf-8")
    return summary


def dated_file(content: Path, run: int) -> Path:
    """The actor file date edit `run` changes."""
    return actor_files(content)[run * 11 % 50 + 50]


def date_one(content: Path, run: int) -> str:
    """Change the `updated:` date of one actor: its place in the feed and the sitemap;
    returns what its profile then shows."""
    target = dated_file(content, run)
    text = target.read_text(encoding="utf-8")
    days = (f"2026-{1 + n % 12:02}-{1 + n % 28:02}" for n in range(int(NONCE[-6:]) + run, 10**7))
    day = next(d for d in days if f"updated: '{d}'" not in text)
    text, count = re.subn(r"^updated: .*$", f"updated: '{day}'", text, count=1, flags=re.M)
    target.write_text(text if count else f"{text}updated: '{day}'\n", encoding="utf-8")
    return f'datetime="{day}"'


# Territories whose label is plain ASCII, as the actor's JSON writes it.
TERRITORIES = ("Bretagne", "Corse", "Guyane", "Normandie", "Occitanie")


def moved_file(content: Path, run: int) -> Path:
    """The actor file territory edit `run` changes."""
    return actor_files(content)[run * 13 % 50 + 100]


def move_one(content: Path, run: int) -> str:
    """Give one actor a single territory, not one it has; returns what its JSON then says."""
    target = moved_file(content, run)
    text = target.read_text(encoding="utf-8")
    found = re.search(r"^territories:.*\n((?:- .*\n)*)", text, flags=re.M)
    listed = found[1] if found else ""
    term = next(t for t in TERRITORIES if f"- {t}\n" not in listed)
    block = f"territories:\n- {term}\n"
    target.write_text(text.replace(found[0], block) if found else text + block, encoding="utf-8")
    return f'"territories":["{term}"]'


def profile_slug(path: Path) -> str:
    name = re.search(r"^name: (.*)$", path.read_text(encoding="utf-8"), re.MULTILINE)[1]
    return slugify(name.strip("'\""))


# Edits other than texts: how each is made, which file it changes, and the page that shows
# it (relative to the site's root).
STRUCTURAL_EDITS = (
    (date_one, dated_file, lambda path: f"acteurs/{profile_slug(path)}/index.html"),
    (move_one, moved_file, lambda path: f"acteurs/{profile_slug(path)}.json"),
)


def fresh_clone(content: Path, output: Path, workdir: Path) -> float:
    """Seconds of a build as CI runs it on a fresh clone: the cache restored (the one of
    the builds before), no output folder, every content and template file with a new
    mtime, and the CI variable set (as CI services set it)."""
    for folder in (content, TEMPLATES):
        aside = folder.with_name(folder.name + ".aside")  # the clone at the same path
        shutil.rmtree(aside, ignore_errors=True)
        folder.rename(aside)
        shutil.copytree(aside, folder, copy_function=shutil.copy)  # new mtimes
        shutil.rmtree(aside)
    for leftover in output.parent.glob(f".{output.name}*"):
        shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
    shutil.rmtree(output)
    return build(content, output, workdir, ENVIRONMENT | {"CI": "true"})[0]


def bench(size: int, runs: int, preview_runs: int) -> dict:
    content = WORK / f"catalogue-{size}"
    stamp = content / ".generated"
    if not stamp.exists():
        print(f"generating {size:,} actors…", file=sys.stderr)
        write_catalogue(size, content)
        stamp.touch()
    workdir = WORK / f"work-{size}"
    output = workdir / "output"
    cold, no_change, first_edit, one_edit, dated, moved, ci = [], [], [], [], [], [], []
    cold_peaks, edit_peaks, pages = [], [], 0
    for run in range(runs):
        shutil.rmtree(workdir, ignore_errors=True)
        workdir.mkdir(parents=True)
        seconds, pages, peak = build(content, output, workdir)
        cold.append(seconds)
        cold_peaks.append(peak)
        seconds, _, _ = build(content, output, workdir)
        no_change.append(seconds)
        edits = ((run * 3, first_edit), (run * 3 + 1, one_edit), (run * 3 + 2, one_edit))
        for edit, times in edits:
            summary = edit_one(content, edit)
            seconds, _, peak = build(content, output, workdir)
            times.append(seconds)
            edit_peaks.append(peak)
            profile = output / "acteurs" / profile_slug(edited_file(content, edit)) / "index.html"
            if summary not in profile.read_text(encoding="utf-8"):
                raise SystemExit(f"stale output: {profile} does not show the edit")
        for (change, target, shown_in), times in zip(STRUCTURAL_EDITS, (dated, moved), strict=True):
            shown = change(content, run)
            times.append(build(content, output, workdir)[0])
            page = output / shown_in(target(content, run))
            if shown not in page.read_text(encoding="utf-8"):
                raise SystemExit(f"stale output: {page} does not show the edit")
        ci.append(fresh_clone(content, output, workdir))
    startup, preview, preview_dated, preview_moved, preview_mb = (
        preview_edits(content, workdir, preview_runs) if preview_runs else (0, 0, 0, 0, 0)
    )
    return {
        "size": size,
        "pages": pages,
        "cold": statistics.median(cold),
        "no_change": statistics.median(no_change),
        "first_edit": statistics.median(first_edit),
        "one_edit": statistics.median(one_edit),
        "dated": statistics.median(dated),
        "moved": statistics.median(moved),
        "ci": statistics.median(ci),
        "cold_mb": max(cold_peaks),
        "edit_mb": max(edit_peaks),
        "preview_start": startup,
        "preview_edit": preview,
        "preview_dated": preview_dated,
        "preview_moved": preview_moved,
        "preview_mb": preview_mb,
    }


def preview_edits(
    content: Path, workdir: Path, runs: int
) -> tuple[float, float, float, float, int]:
    """Seconds until `serve` has built its site and search index, the median seconds from
    an edit's save to the preview serving it (texts, dates, then territories), and the
    peak memory of `serve` (MB)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    command = [sys.executable, str(ROOT / "build.py"), "serve", "--content", str(content)]
    command += ["--port", str(port)]
    # ready once the search index is served: edits are then made over the full site
    with LiveServer(command, workdir, url, "recherche/index/meta.json", 3600) as server:
        times = []
        for run in range(1000, 1000 + runs):  # other files and texts than the builds'
            page = f"acteurs/{profile_slug(edited_file(content, run))}/"
            times.append(server.served_after(lambda run=run: edit_one(content, run), page))
            time.sleep(1.0)  # one save at a time
        dated, moved = [], []
        kinds = list(zip(STRUCTURAL_EDITS, (dated, moved), strict=True))
        for run in range(1000, 1000 + max(1, runs // 2)):
            for (change, target, shown_in), found in kinds:
                page = shown_in(target(content, run))
                found.append(server.served_after(partial(change, content, run), page))
                time.sleep(1.0)
    medians = (statistics.median(found) for found in (times, dated, moved))
    return server.startup, *medians, server.peak_mb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--preview-edits", type=int, default=5)
    args = parser.parse_args()
    shutil.rmtree(TEMPLATES, ignore_errors=True)
    shutil.copytree(ROOT / "templates", TEMPLATES)
    rows = [bench(size, args.runs, args.preview_edits) for size in args.sizes]
    print(
        f"{'actors':>8} {'pages':>7} {'cold s':>7} {'no-change s':>11} {'1st edit s':>10} "
        f"{'one-edit s':>10} {'dated s':>7} {'moved s':>7} {'CI s':>6} {'cold MB':>7} "
        f"{'edit MB':>7} {'pages/s':>7} {'preview edit s':>14} {'preview dated s':>15} "
        f"{'preview moved s':>15}"
    )
    for r in rows:
        print(
            f"{r['size']:>8,} {r['pages']:>7,} {r['cold']:>7.2f} {r['no_change']:>11.2f} "
            f"{r['first_edit']:>10.2f} {r['one_edit']:>10.2f} {r['dated']:>7.2f} "
            f"{r['moved']:>7.2f} {r['ci']:>6.2f} {r['cold_mb']:>7,} {r['edit_mb']:>7,} "
            f"{r['pages'] / r['cold']:>7,.0f} {r['preview_edit']:>14.2f} "
            f"{r['preview_dated']:>15.2f} {r['preview_moved']:>15.2f}"
        )
    if any(r["preview_start"] for r in rows):
        starts = ", ".join(
            f"{r['size']:,}: {r['preview_start']:.0f} s, {r['preview_mb']:,} MB" for r in rows
        )
        print(f"serve, until its site and search index are ready, and its peak memory: {starts}")


if __name__ == "__main__":
    main()
