"""Screenshots of the sample site for a person to look at: `make screenshots`.

    .venv/bin/python scripts/screenshots.py [--out screenshots]

Builds content/ into a temporary folder, serves it on 127.0.0.1, and writes full-page PNGs of
the home page, a profile and the search page at 1280 px and 390 px wide (light colour scheme)
with Debian's Chromium driven by Playwright, as the browser tests do; then, with decap-server
(npm) on a copy of content/, the web editor's list of actors and its form at 1280 px
(docs/guide-editeurs.md shows them).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from cms_local import DECAP_SERVER, decap_server
from headless import CHROMIUM, CHROMIUM_ARGS, served

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    "home": "/",
    "profile": "/acteurs/passages/",
    "search": "/recherche/?q=concertation",
    "clients": "/clients/",
    "territory": "/territoires/occitanie/",
    "choose": "/choisir/",
    "accessibility": "/accessibilite/",
}
WIDTHS = (1280, 390)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    args = parser.parse_args()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("Playwright is missing: .venv/bin/pip install -e '.[test]'", file=sys.stderr)
        return 1
    if not CHROMIUM.exists():
        print(f"Chromium not found at {CHROMIUM}: apt-get install chromium", file=sys.stderr)
        return 1

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        repository = Path(tmp) / "repo"  # the web editor writes nothing here, but stays off ours
        shutil.copytree(ROOT / "content", repository / "content")
        build = [
            sys.executable,
            str(ROOT / "build.py"),
            "--content",
            str(repository / "content"),
            "--output",
            str(site),
        ]
        subprocess.run(build, check=True, cwd=ROOT)
        args.out.mkdir(parents=True, exist_ok=True)
        with served(site) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for width in WIDTHS:
                context = browser.new_context(
                    viewport={"width": width, "height": 900}, color_scheme="light"
                )
                page = context.new_page()
                for name, path in PAGES.items():
                    page.goto(base + path)
                    if name == "search":  # wait for the results, not the loading text
                        page.locator(".search-results li").first.wait_for()
                    target = args.out / f"{name}-{width}.png"
                    page.screenshot(path=str(target), full_page=True)
                    print(target.relative_to(ROOT) if target.is_relative_to(ROOT) else target)
                context.close()
            if DECAP_SERVER.exists():
                with decap_server(repository, quiet=True):
                    admin_screenshots(browser, base, args.out)
            else:
                print(f"{DECAP_SERVER} not found (npm ci): no screenshots of the web editor")
            browser.close()
    return 0


def admin_screenshots(browser, base: str, out: Path) -> None:
    """The web editor's list of actors and the form of one, logged in to decap-server."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    page = context.new_page()
    page.goto(base + "/admin/")
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_text("PASSAGES (n° 293)").wait_for()
    shots = {
        "admin-list": "#/collections/acteurs",
        "admin-form": "#/collections/acteurs/entries/passages",
    }
    for name, fragment in shots.items():
        page.goto(base + "/admin/" + fragment)
        (
            page.get_by_label("Résumé")
            if name == "admin-form"
            else page.get_by_text("PASSAGES (n° 293)")
        ).wait_for()
        target = out / f"{name}-1280.png"
        page.screenshot(path=str(target))
        print(target.relative_to(ROOT) if target.is_relative_to(ROOT) else target)
    context.close()


if __name__ == "__main__":
    sys.exit(main())
