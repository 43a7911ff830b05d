"""Shared fixtures: small sites written into tmp_path, and the CLI run as a user runs it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CONTENT = ROOT / "content"
TEMPLATES = ROOT / "templates"

VALID_ACTOR = """\
id: 1
name: Exemple
summary: Un acteur valide.
territories: [Occitanie]
contexts: [Santé]
"""


@dataclass
class Result:
    status: int
    stdout: str
    stderr: str


def run_cli(*args: str | Path, cwd: Path | None = None, env: dict | None = None) -> Result:
    """`python build.py ARGS` in a subprocess: exit status and output as the user sees them.
    It runs in `cwd`, by default the tests' working folder (see `builds_work_outside_the_
    repository`), where the build keeps its cache (.cache/). As on a developer's machine,
    even when the tests run in CI: without the CI variable, unless `env` sets it."""
    completed = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={k: v for k, v in os.environ.items() if k != "CI"} | (env or {}),
    )
    return Result(completed.returncode, completed.stdout, completed.stderr)


class SiteFactory:
    """Writes a content folder with the sample vocabularies and the given actor files."""

    def __init__(self, root: Path):
        self.root = root

    def __call__(self, actors: dict[str, str | bytes], site_yaml: str | None = None) -> Path:
        content = self.root / "content"
        if content.exists():
            shutil.rmtree(content)
        (content / "actors").mkdir(parents=True)
        shutil.copy(SAMPLE_CONTENT / "vocabularies.yaml", content / "vocabularies.yaml")
        if site_yaml is not None:
            (content / "site.yaml").write_text(site_yaml, encoding="utf-8")
        for name, text in actors.items():
            path = content / "actors" / name
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(textwrap.dedent(text), encoding="utf-8")
        return content


@pytest.fixture(autouse=True)
def messages_in_the_default_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """A test running the CLI in-process with --lang leaves the language it chose behind."""
    monkeypatch.delenv("SITE_GEN_LANG", raising=False)


@pytest.fixture(autouse=True, scope="session")
def cache_key_outside_home(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The key that seals the build cache (cache_trust.py) is made in a temporary folder,
    not in the user's own cache folder; the builds run by run_cli inherit it."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("user-cache"))
    os.environ.pop("SITE_GEN_CACHE_KEY", None)


@pytest.fixture(autouse=True, scope="session")
def builds_work_outside_the_repository(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The tests run in a temporary working folder, so that the builds they make, in this
    process (a preview) or through run_cli, keep their cache (.cache/) there and not in the
    repository's, which is the developer's own. Each pytest-xdist worker has its own: two
    builds at once never share a cache."""
    before = os.getcwd()
    os.chdir(tmp_path_factory.mktemp("work"))
    try:
        yield
    finally:
        os.chdir(before)


@pytest.fixture
def make_site(tmp_path: Path) -> SiteFactory:
    return SiteFactory(tmp_path)


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample catalogue built once into a temporary folder."""
    output = tmp_path_factory.mktemp("sample") / "output"
    result = run_cli("--content", SAMPLE_CONTENT, "--output", output)
    assert result.status == 0, result.stderr
    return output


def tree_snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file's bytes and modification time, to prove a folder was left untouched."""
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def missing(what: str) -> None:
    """Skip on a developer's machine; fail in CI, where .ci/run installs Chromium."""
    if os.environ.get("CI"):
        pytest.fail(f"{what}: CI must run the browser tests")
    pytest.skip(what)


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium driven by Playwright, one for the whole session (Playwright's
    sync API cannot run twice at once): test_browser.py and test_browser_cms.py share it."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from headless import CHROMIUM, CHROMIUM_ARGS

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # the `test` extra is not installed
        missing("Playwright is not installed: pip install -e '.[test]'")
    if not CHROMIUM.exists():
        missing(f"Chromium not found at {CHROMIUM}: apt-get install chromium (or set CHROMIUM)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
