"""The site's search index against Pagefind 1.x on the same built pages: results found,
bytes transferred for the first query, time to the first result in Chromium, and the time
and memory it takes to build each index.

    python scripts/generate_catalogue.py 10000 /tmp/catalogue
    python build.py --content /tmp/catalogue --output /tmp/site
    npm install --prefix /tmp/pf pagefind@1.6.0
    python scripts/search_compare.py --content /tmp/catalogue --site /tmp/site \\
        --pagefind /tmp/pf/node_modules/.bin/pagefind

Pagefind indexes a copy of the site (hard links) with only the profiles (--glob) and only
their <main> (--root-selector), which is what our index holds; it reads the language of the
pages (fr) and so stems French. Its results are shown by a small page of this script that
loads pagefind.js and the data of the first 10 results, as our page shows 10 results with
their excerpts. Each query runs in a new browser context: the first query of a reader, no
file in the cache. Bytes are the bodies the static server sent (no compression: Pagefind's
files are compressed already, ours are JSON), the page's own HTML left out; "gzip" adds
what our files would weigh gzipped, as a host would serve them. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import gzip
import json
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
sys.path.insert(0, str(ROOT))
from headless import CHROMIUM, CHROMIUM_ARGS, served  # noqa: E402

# (kind, query, the actor's name that should come first, if any)
QUERIES = [
    ("word form", "participer", None),
    ("word form", "concerter", None),
    ("word form", "animer", None),
    ("word form", "habitant", None),
    ("word form", "citoyen", None),
    ("word form", "évaluer", None),
    ("word form", "accompagner", None),
    ("word form", "urbaniste", None),
    ("word form", "conférences citoyennes", None),
    ("word form", "budgets participatifs", None),
    ("word form", "réunion publique", None),
    ("typo", "concertaion", None),
    ("typo", "montpelier", None),
    ("typo", "partcipation", None),
    ("typo", "citoyenes", None),
    ("typo", "strasbour", None),
    ("typo", "grenobel", None),
    ("typo", "médaition", None),
    ("typo", "diagostic", None),
    ("typo", "sociologeus", None),
    ("name", "Collectif Passerelles 17", "Collectif Passerelles 17"),
    ("name", "cabinet quartiers 1042", "Cabinet Quartiers 1042"),
    ("name", "Studio Liens 5000", "Studio Liens 5000"),
    ("name", "reseau territoires 9999", "Réseau Territoires 9999"),
    ("name", "Atelier Horizons 300", "Atelier Horizons 300"),
    ("client", "Métropole de Lyon", None),
    ("client", "Parc naturel régional de Grenoble", None),
    ("client", "Office HLM de Brest", None),
    ("client", "Syndicat mixte de Rouen", None),
    ("place", "Nimes", None),
    ("place", "Besancon", None),
    ("place", "Fort-de-France", None),
    ("place", "Clermont-Ferrand", None),
    ("place", "Occitanie", None),
    ("place", "ile de france", None),
]

PAGEFIND_PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Pagefind</title></head>
<body><p id="status"></p><ol id="results"></ol>
<script type="module">
const q = new URLSearchParams(location.search).get("q") || "";
const pagefind = await import("/pagefind/pagefind.js");
await pagefind.options({ excerptLength: 30 });
const search = await pagefind.search(q);
const shown = await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
for (const data of shown) {
  const item = document.createElement("li");
  item.className = "pf-result";
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title;
  const excerpt = document.createElement("p");
  excerpt.innerHTML = data.excerpt;
  item.append(link, excerpt);
  document.getElementById("results").append(item);
}
const status = document.getElementById("status");
status.dataset.count = search.results.length;
status.textContent = `${search.results.length}`;
</script></body></html>
"""


def measure_ours(content: Path) -> dict:
    """Seconds and memory (MB above the loaded catalogue) of making our index: each
    actor's record (search_record.record, as the build's derive stage does) and their
    merge (search.search_index). Runs in this process: call it in a fresh one."""
    from site_gen.content.load import load_catalogue
    from site_gen.pages.search import search_index
    from site_gen.pages.search_record import record

    settings, catalogue = load_catalogue(content)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    records = [record(settings, actor) for actor in catalogue.actors]
    recorded = time.perf_counter()
    files = search_index(records)
    done = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "records": recorded - started,
        "merge": done - recorded,
        "seconds": done - started,
        "memory_mb": (peak - base) / 1024,
        "files": len(files),
        "bytes": sum(len(data) for data in files.values()),
    }


def time_v(command: list[str]) -> tuple[float, float, str]:
    """(wall seconds, peak memory in MB, stdout) of a command, by /usr/bin/time -v."""
    result = subprocess.run(
        ["/usr/bin/time", "-v", *command], capture_output=True, text=True, check=True
    )
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):(\d+\.\d+)", result.stderr)
    hours, minutes, seconds = wall.groups()
    elapsed = int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)[1])
    return elapsed, peak / 1024, result.stdout


def first_query(browser, url: str, ready: str, count_of) -> dict:
    """Time to the first result (or to the page saying there is none), bytes fetched and
    results found, for one query in a new context (an empty cache)."""
    context = browser.new_context()
    page = context.new_page()
    requests = []
    page.on("requestfinished", lambda request: requests.append(request))  # sizes read after
    started = time.perf_counter()
    page.goto(url)
    page.locator(ready).first.wait_for(timeout=60_000)
    elapsed = time.perf_counter() - started
    page.wait_for_load_state("networkidle")
    sizes = [
        (request.url, request.sizes()["responseBodySize"])
        for request in requests
        if request.resource_type != "document"
    ]
    found, first = count_of(page)
    context.close()
    return {
        "seconds": elapsed,
        "bytes": sum(size for _, size in sizes),
        "found": found,
        "first": first,
        "urls": sizes,
    }


def gzipped(site: Path, base: str, urls: list[tuple[str, int]]) -> int:
    total = 0
    for url, _ in urls:
        path = site / url.removeprefix(base).lstrip("/").split("?")[0]
        total += len(gzip.compress(path.read_bytes(), 6)) if path.is_file() else 0
    return total


def first_name(page, selector: str) -> str:
    links = page.locator(selector)
    return links.first.text_content().strip() if links.count() else ""


def our_count(page) -> tuple[int, str]:
    """Results found, and the name of the first."""
    status = page.locator(".search-status").text_content()
    if status.startswith("Aucun"):
        return 0, ""
    digits = re.match(r"[\d\s]+", status)[0]
    return int(re.sub(r"\s", "", digits)), first_name(page, ".search-result h3 a")


def pagefind_count(page) -> tuple[int, str]:
    count = int(page.locator("#status").get_attribute("data-count"))
    return count, first_name(page, ".pf-result a")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, required=True)
    parser.add_argument("--site", type=Path, required=True, help="the site built from it")
    parser.add_argument("--pagefind", type=Path, required=True)
    parser.add_argument("--work", type=Path, default=Path("/tmp/search-compare"))
    parser.add_argument("--measure-ours", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_ours:
        print(json.dumps(measure_ours(args.content)))
        return

    from playwright.sync_api import sync_playwright

    ours = json.loads(
        subprocess.run(
            [sys.executable, __file__, "--measure-ours", "--content", str(args.content),
             "--site", str(args.site), "--pagefind", str(args.pagefind)],
            capture_output=True, text=True, check=True,
        ).stdout
    )  # fmt: skip
    site = args.work / "site"
    if site.exists():
        shutil.rmtree(site)
    args.work.mkdir(parents=True, exist_ok=True)
    subprocess.run(["cp", "-al", str(args.site), str(site)], check=True)
    pf_seconds, pf_memory, _ = time_v(
        [str(args.pagefind), "--site", str(site), "--glob", "acteurs/*/index.html",
         "--root-selector", "main", "--silent"]
    )  # fmt: skip
    pf_files = [p for p in (site / "pagefind").rglob("*") if p.is_file()]
    (site / "pagefind-query").mkdir(exist_ok=True)
    (site / "pagefind-query/index.html").write_text(PAGEFIND_PAGE, encoding="utf-8")

    rows = []
    with served(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for kind, query, _ in QUERIES:
            q = query.replace(" ", "+")
            mine = first_query(
                browser, f"{base}/recherche/?q={q}",
                ".search-result, .search-suggestions a, .search-status:text('Aucun')", our_count,
            )  # fmt: skip
            theirs = first_query(
                browser, f"{base}/pagefind-query/?q={q}", "#status[data-count]", pagefind_count
            )
            mine["gzip"] = gzipped(site, base, mine["urls"])
            rows.append((kind, query, mine, theirs))
        browser.close()

    print(f"Index build, {ours['files']} files, {ours['bytes'] / 1e6:.1f} MB:")
    print(f"- ours: {ours['seconds']:.2f} s (records {ours['records']:.2f} s, merge "
          f"{ours['merge']:.2f} s), {ours['memory_mb']:.0f} MB more")  # fmt: skip
    print(f"- Pagefind: {pf_seconds:.2f} s, peak {pf_memory:.0f} MB, {len(pf_files)} files, "
          f"{sum(p.stat().st_size for p in pf_files) / 1e6:.1f} MB")  # fmt: skip
    print()
    print("| kind | query | found (ours) | found (Pagefind) | first query KB ours (gzip) "
          "| KB Pagefind | first result ms ours | ms Pagefind |")  # fmt: skip
    print("|---|---|--:|--:|--:|--:|--:|--:|")
    top = {"ours": 0, "Pagefind": 0}
    for kind, query, mine, theirs in rows:
        expected = next(e for k, q, e in QUERIES if q == query)
        if expected:
            top["ours"] += mine["first"] == expected
            top["Pagefind"] += theirs["first"].startswith(expected)
        print(
            f"| {kind} | {query} | {mine['found']} | {theirs['found']} | "
            f"{mine['bytes'] / 1024:.0f} ({mine['gzip'] / 1024:.0f}) | "
            f"{theirs['bytes'] / 1024:.0f} | {mine['seconds'] * 1000:.0f} | "
            f"{theirs['seconds'] * 1000:.0f} |"
        )
    medians = {
        "ours ms": statistics.median(m["seconds"] for *_, m, _ in rows) * 1000,
        "Pagefind ms": statistics.median(t["seconds"] for *_, t in rows) * 1000,
        "ours KB": statistics.median(m["bytes"] for *_, m, _ in rows) / 1024,
        "ours gzip KB": statistics.median(m["gzip"] for *_, m, _ in rows) / 1024,
        "Pagefind KB": statistics.median(t["bytes"] for *_, t in rows) / 1024,
    }
    found_none = {
        "ours": sum(1 for *_, m, _ in rows if m["found"] == 0),
        "Pagefind": sum(1 for *_, t in rows if t["found"] == 0),
    }
    print()
    print("Medians:", ", ".join(f"{k} {v:.0f}" for k, v in medians.items()))
    print("Queries finding nothing:", found_none)
    print("Name queries with that actor first:", top, "of", sum(1 for *_, e in QUERIES if e))


if __name__ == "__main__":
    main()
