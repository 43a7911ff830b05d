"""`serve`: the preview an editor keeps open. Each test starts a real server on 127.0.0.1 (a
free port) over a copy of the sample, edits files as an editor would, and always stops it."""

from __future__ import annotations

import gc
import json
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from site_gen.build.actor_edits import quick_edit
from site_gen.errors import UsageError
from site_gen.pages.planner import PagePlanner
from site_gen.pages.routes import SEARCH_BUNDLE
from site_gen.preview import serve as serve_module
from site_gen.preview import served as preview_site
from site_gen.preview import watch as preview_watch
from site_gen.preview.serve import Preview, ServedSite
from site_gen.render.links import link_targets

from .conftest import ROOT, SAMPLE_CONTENT, run_cli, tree_snapshot
from .test_incremental import contents, replace_in
from .test_quick import MOVES, TEXT_EDITS

SCRIPT = re.compile(r'<script src="/__site_gen/livereload\.js" data-build="[^"]+"></script></body>')


def fetch(url: str) -> tuple[int, str, str]:
    """(status, content type, text) of a GET, error statuses included."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


def wait_for(condition: Callable[[], object], timeout: float = 30.0) -> None:
    """Wait until `condition()` is true; fails the test after `timeout` seconds. A deadline
    for a loaded machine, not a measure: how fast the preview is, `make bench` says."""
    started = time.perf_counter()
    while not condition():
        if time.perf_counter() - started > timeout:
            raise AssertionError(f"still not true after {timeout} s")
        time.sleep(0.01)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return Path(shutil.copytree(SAMPLE_CONTENT, tmp_path / "content"))


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    return Path(shutil.copytree(ROOT / "templates", tmp_path / "templates"))


@pytest.fixture
def preview(content: Path, templates: Path) -> Iterator[Preview]:
    server = Preview(content, templates, port=0, search=False).start()
    try:
        yield server
    finally:
        server.stop()


def state(preview: Preview) -> dict:
    return json.loads(fetch(preview.url + "__site_gen/state.json")[2])


def test_pages_are_served_with_local_links_and_the_external_reload_script(preview):
    status, content_type, html = fetch(preview.url)
    assert (status, content_type) == (200, "text/html; charset=utf-8")
    assert SCRIPT.search(html)
    assert 'href="/acteurs/passages/"' in html  # base_url of site.yaml replaced by the preview's
    assert f'<link rel="canonical" href="{preview.url}">' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), "no inline script"
    status, content_type, script = fetch(preview.url + "__site_gen/livereload.js")
    assert (status, content_type) == (200, "text/javascript; charset=utf-8")
    assert "/__site_gen/state.json" in script and "location.reload()" in script
    status, content_type, css = fetch(preview.url + "__site_gen/overlay.css")
    assert (status, content_type) == (200, "text/css; charset=utf-8") and ".panel" in css


def test_the_web_editor_gets_no_reload_script_which_would_lose_its_form(preview):
    admin = preview.respond("/admin/")
    assert admin.status == 200 and b"decap-cms.js" in admin.body
    assert not SCRIPT.search(admin.body.decode())


def test_paths_behave_like_a_static_host(preview):
    assert preview.respond("/acteurs/passages").status == 301
    assert preview.respond("/acteurs/passages").location == "/acteurs/passages/"
    missing = preview.respond("/acteurs/personne/")
    assert missing.status == 404 and SCRIPT.search(missing.body.decode())
    for escape in ("/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/acteurs/../../x"):
        assert preview.respond(escape).status == 404, escape
    assert preview.respond("/__site_gen/nothing").status == 404
    assert preview.respond("/sitemap.xml").content_type == "application/xml; charset=utf-8"


def test_an_edit_is_served_from_memory_and_open_pages_see_a_new_build(preview, content):
    before = state(preview)["build"]
    folder = preview.served.folder
    profile = content / "actors" / "passages.yaml"
    profile.write_text(
        profile.read_text(encoding="utf-8").replace(
            "Collectif de praticiens", "Collectif modifié de praticiens", 1
        ),
        encoding="utf-8",
    )
    wait_for(lambda: "Collectif modifié" in fetch(preview.url + "acteurs/passages/")[2])
    # made in memory over the folder served, which no build touched: no wait for a build
    # of the whole site or its index (the time it takes is make bench's "preview edit")
    assert preview.served.folder == folder and preview.served.changed
    assert state(preview)["build"] != before  # open pages see a new build and reload


def test_a_broken_file_keeps_the_last_good_site_and_names_file_and_line(preview, content):
    good = state(preview)
    profile = content / "actors" / "civilab.yaml"
    text = profile.read_text(encoding="utf-8")
    profile.write_text(text + "teritories: [Occitanie]\n", encoding="utf-8")
    broken_line = text.count("\n") + 1

    wait_for(lambda: any(p["severity"] == "error" for p in state(preview)["problems"]))
    problems = state(preview)["problems"]
    assert problems == [
        {
            "severity": "error",
            "code": "unknown-key",
            "file": str(profile),
            "line": broken_line,
            "column": None,
            "message": "clé inconnue « teritories »",
            "hint": "Vouliez-vous écrire « territories » ?",
        }
    ]
    assert state(preview)["build"] == good["build"]  # no reload: the page stays as it was
    status, _, html = fetch(preview.url + "acteurs/civilab-scic/")
    assert status == 200 and SCRIPT.search(html)  # the last good page, with the overlay script

    profile.write_text(text, encoding="utf-8")
    wait_for(lambda: state(preview)["build"] != good["build"])
    assert not [p for p in state(preview)["problems"] if p["severity"] == "error"]


def test_the_search_index_follows_in_the_background_without_a_reload(content, templates):
    server = Preview(content, templates, port=0).start()
    try:
        build = state(server)["build"]
        assert fetch(server.url + "recherche/index/meta.json")[0] == 404  # quick build: pages only
        wait_for(lambda: fetch(server.url + "recherche/index/meta.json")[0] == 200)
        assert state(server)["build"] == build  # same pages: open tabs are left alone
    finally:
        server.stop()


@pytest.fixture
def quick(monkeypatch) -> list:
    """The quick rebuilds that made a site, as the preview runs them."""
    made = []

    def counted(*args):
        edit = quick_edit(*args)
        made.append(edit)
        return edit

    monkeypatch.setattr(serve_module, "quick_edit", counted)
    return made


def assert_serves_a_clean_build(server: Preview, content: Path, tmp_path: Path) -> None:
    """Every file the preview serves is, byte for byte, what a clean build of `content`
    (same base URL, an empty cache) writes, and it serves no other (nor, if the preview
    makes none, the search index)."""
    clean = Path(tempfile.mkdtemp(prefix="clean-", dir=tmp_path))
    result = run_cli(
        "--content", content, "--output", clean / "out", "--base-url", server.url, cwd=clean
    )
    assert result.status == 0, result.stderr
    expected = contents(clean / "out")
    del expected[".site-gen-output"]  # the marker of a folder site_gen writes, not a page
    if not server.search:
        expected = {p: data for p, data in expected.items() if not p.startswith(SEARCH_BUNDLE)}
    assert server.served.paths() == expected.keys()
    assert not [path for path, data in expected.items() if server.served.read(path) != data]


def test_text_edits_are_made_in_memory_and_serve_what_a_clean_build_writes(
    content, templates, tmp_path
):
    server = Preview(content, templates, port=0).start()
    try:
        wait_for(lambda: fetch(server.url + "recherche/index/meta.json")[0] == 200)
        folder = server.served.folder
        on_disk = tree_snapshot(folder)
        for name, old, new in TEXT_EDITS:
            build = state(server)["build"]
            replace_in(content / "actors" / name, old, new)
            wait_for(lambda: state(server)["build"] != build)  # noqa: B023 - waited at once
            assert server.served.folder == folder and server.served.changed  # from memory
        assert tree_snapshot(folder) == on_disk  # nothing written to the folder served
        assert_serves_a_clean_build(server, content, tmp_path)
        page = fetch(server.url + "acteurs/civilab-scic/")[2]
        assert "Zygomatique" in page and SCRIPT.search(page)
    finally:
        server.stop()


def test_moves_in_a_row_are_quick_and_each_serves_what_a_clean_build_writes(
    content, templates, tmp_path, quick
):
    # Each quick move starts from the last one's index of the catalogue (indexes.py): an
    # index left stale would show at once, or only on a later page, so every step is checked.
    server = Preview(content, templates, port=0).start()
    try:
        wait_for(lambda: server.served.search)
        edits = [*MOVES[:3], TEXT_EDITS[0], *MOVES[3:]]
        for step, (name, old, new) in enumerate(edits, start=1):
            build = state(server)["build"]
            replace_in(content / "actors" / name, old, new)
            wait_for(lambda: state(server)["build"] != build)  # noqa: B023 - waited at once
            assert len(quick) == step, f"edit {step} was not a quick rebuild"
            assert_serves_a_clean_build(server, content, tmp_path)
    finally:
        server.stop()


def test_a_move_after_a_full_build_in_memory_serves_what_a_clean_build_writes(
    preview, content, tmp_path, quick
):
    # A move keeps its index of the catalogue for the next one (quick_pages.Workbench), whose
    # ranking tells which profiles' related actors change. A full build in between changes
    # the site without that index: the next move must not take it for what the site shows.
    civilab = content / "actors" / "civilab.yaml"
    joins = ("territories:\n", "territories:\n  - Grand Est\n")  # other actors' related change
    steps = [
        [joins],  # quick: CiviLab joins "Grand Est"
        # a full build (its new name moves it in the catalogue's order): it leaves
        [("name: CiviLab\n", "name: Zèbre CiviLab\n"), joins[::-1]],
        [joins],  # quick: it joins again
    ]
    for changes in steps:
        build = state(preview)["build"]
        text = civilab.read_text(encoding="utf-8")
        for old, new in changes:
            assert old in text
            text = text.replace(old, new, 1)
        civilab.write_text(text, encoding="utf-8")
        wait_for(lambda: state(preview)["build"] != build)  # noqa: B023 - waited at once
        assert_serves_a_clean_build(preview, content, tmp_path)
    assert len(quick) == 2  # the first move and the last


def test_text_edits_around_a_full_build_still_serve_what_a_clean_build_writes(
    content, templates, tmp_path
):
    server = Preview(content, templates, port=0).start()
    try:
        edits = [
            TEXT_EDITS[0],  # in memory, over the first build's site
            ("civilab.yaml", "name: CiviLab\n", "name: CiviLab Zèbre\n"),  # a full build
            TEXT_EDITS[1],  # in memory again, over the folder of that build
        ]
        for name, old, new in edits:
            wait_for(lambda: server.served.search)  # its index has followed
            build = state(server)["build"]
            replace_in(content / "actors" / name, old, new)
            wait_for(lambda: state(server)["build"] != build)  # noqa: B023 - waited at once
        assert server.served.search and server.served.changed  # the last edit: in memory
        assert_serves_a_clean_build(server, content, tmp_path)
    finally:
        server.stop()


def test_a_new_actor_file_and_a_deleted_one_are_picked_up(preview, content):
    build = state(preview)["build"]
    (content / "actors" / "nouvel-acteur.yaml").write_text(
        "id: 9001\nname: Nouvel Acteur Témoin\nsummary: Arrivé pendant l'aperçu.\n"
        "territories: [Occitanie]\ncontexts: [Santé]\n",
        encoding="utf-8",
    )
    wait_for(lambda: fetch(preview.url + "acteurs/nouvel-acteur-temoin/")[0] == 200)
    assert "Nouvel Acteur Témoin" in fetch(preview.url)[2]  # the home page lists it
    assert state(preview)["build"] != build
    (content / "actors" / "nouvel-acteur.yaml").unlink()
    wait_for(lambda: fetch(preview.url + "acteurs/nouvel-acteur-temoin/")[0] == 404)
    assert "Nouvel Acteur Témoin" not in fetch(preview.url)[2]


def test_an_editors_swap_file_does_not_rebuild(preview, content):
    before = state(preview)
    (content / "actors" / ".passages.yaml.swp").write_bytes(b"an editor's swap file")
    time.sleep(0.5)  # many times the time a rebuild takes to start
    assert state(preview) == before  # no new build, no new problem
    profile = content / "actors" / "passages.yaml"  # the save that follows is seen
    replace_in(profile, "Collectif de praticiens", "Collectif modifié de praticiens")
    wait_for(lambda: "Collectif modifié" in fetch(preview.url + "acteurs/passages/")[2])


def serve_one_edit(content: Path, templates: Path, word: str) -> tuple[list[str], ServedSite]:
    """Start a preview, edit a profile, wait until the edit is served, stop it: what the
    preview logged, and the site it served then."""
    lines: list[str] = []
    server = Preview(content, templates, port=0, search=False, log=lines.append).start()
    try:
        replace_in(content / "actors" / "passages.yaml", "Collectif de", f"Collectif {word} de")
        wait_for(lambda: f"Collectif {word}" in fetch(server.url + "acteurs/passages/")[2])
        return lines, server.served
    finally:
        server.stop()


def test_without_file_events_it_polls(content, templates, monkeypatch):
    watch = preview_watch.watchfiles.watch

    def no_events(*paths, force_polling=None, **options):
        if not force_polling:
            raise OSError(28, "inotify watch limit reached")
        return watch(*paths, force_polling=force_polling, **options)

    monkeypatch.setattr(preview_watch.watchfiles, "watch", no_events)
    lines, _ = serve_one_edit(content, templates, "sondé")
    assert any("relus régulièrement" in line for line in lines)


def test_if_the_quick_rebuild_fails_the_full_build_serves_the_edit(content, templates, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug in the quick rebuild")

    monkeypatch.setattr(serve_module, "quick_edit", broken)
    lines, served = serve_one_edit(content, templates, "repris")
    assert any("a bug in the quick rebuild" in line for line in lines)
    assert "acteurs/passages/index.html" in served.changed  # the pipeline's, in memory


def test_a_build_too_big_for_memory_goes_to_a_folder(content, templates, monkeypatch):
    monkeypatch.setattr(serve_module, "quick_edit", lambda *args, **kwargs: 1 / 0)
    monkeypatch.setattr(preview_site, "OVERLAY_LIMIT", 0)
    lines, served = serve_one_edit(content, templates, "déplacé")
    assert any("le site est fabriqué dans un dossier" in line for line in lines)
    assert not served.changed  # served from the folder the full build wrote


def test_if_the_build_in_memory_fails_the_build_into_a_folder_serves_the_edit(
    content, templates, monkeypatch
):
    monkeypatch.setattr(serve_module, "quick_edit", lambda *args, **kwargs: 1 / 0)
    monkeypatch.setattr(preview_site.MemoryOverlay, "made", lambda self, state: 1 / 0)
    lines, served = serve_one_edit(content, templates, "replié")
    failed = "La fabrication en mémoire a échoué (ZeroDivisionError"
    assert any(line.startswith(failed) for line in lines)
    assert not served.changed


STRUCTURE_EDITS = [  # each changes pages other than the actor's own
    # moves: pages of terms and pairs made again, added, then removed
    ("civilab.yaml", "territories:\n", "territories:\n  - Corse\n"),
    ("rivieres-et-citoyens.yaml", "  - Énergie\n", ""),
    ("civilab.yaml", "clients:\n", "clients:\n  - Ville de Quimper\n"),  # a new client
    # the feed's order: a quick rebuild, over the site the build in memory made
    ("passages.yaml", "updated: 2026-11-01", "updated: 2026-11-20"),
    ("civilab.yaml", "name: CiviLab", "name: CiviLab Zèbre"),  # its address, the lists
]


def test_other_actor_edits_are_built_in_memory_and_serve_what_a_clean_build_writes(
    content, templates, tmp_path
):
    server = Preview(content, templates, port=0).start()
    try:
        wait_for(lambda: server.served.search)  # its index, added in memory
        folder = server.served.folder
        on_disk = tree_snapshot(folder)
        edits = [(content / "actors" / name, old, new) for name, old, new in STRUCTURE_EDITS]
        for path, old, new in edits:
            build = state(server)["build"]
            replace_in(path, old, new)
            wait_for(lambda: state(server)["build"] != build)  # noqa: B023 - waited at once
            assert not [p for p in state(server)["problems"] if p["severity"] == "error"]
        build = state(server)["build"]
        (content / "actors" / "lepac.md").unlink()
        wait_for(lambda: state(server)["build"] != build)
        assert server.served.folder == folder and tree_snapshot(folder) == on_disk
        assert fetch(server.url + "acteurs/lepac/")[0] == 404
        assert_serves_a_clean_build(server, content, tmp_path)
    finally:
        server.stop()


def test_the_preview_keeps_nothing_of_the_builds_before_the_last(content, templates):
    # Each build's planner holds its whole catalogue: one kept per build was ~80 MB more
    # at every edit at 10,000 actors.
    gc.collect()
    planners = len([o for o in gc.get_objects() if isinstance(o, PagePlanner)])
    server = Preview(content, templates, port=0).start()
    try:
        wait_for(lambda: server.served.search)
        for path, old, new in [(content / "actors" / n, o, w) for n, o, w in STRUCTURE_EDITS]:
            build = state(server)["build"]
            replace_in(path, old, new)
            wait_for(lambda: state(server)["build"] != build)  # noqa: B023 - waited at once
        gc.collect()
        kept = [o for o in gc.get_objects() if isinstance(o, PagePlanner)]
        assert len(kept) == planners, f"{len(kept) - planners} planners of earlier builds kept"
    finally:
        server.stop()


def test_a_client_gone_mid_answer_prints_no_traceback_other_errors_do(capsys):
    server = serve_module.PreviewServer(("127.0.0.1", 0), serve_module.PreviewHandler)
    try:
        for error in (BrokenPipeError(32, "Broken pipe"), ValueError("a bug")):
            try:
                raise error
            except Exception:
                server.handle_error(None, ("127.0.0.1", 1))
    finally:
        server.server_close()
    printed = capsys.readouterr().err
    assert "ValueError: a bug" in printed and "BrokenPipeError" not in printed


def test_a_template_or_stylesheet_change_rebuilds(preview, templates):
    before = state(preview)["build"]
    style = templates / "static" / "style.css"
    style.write_text(style.read_text(encoding="utf-8") + "\n/* changed */\n", encoding="utf-8")
    wait_for(lambda: state(preview)["build"] != before)
    html = fetch(preview.url)[2]
    stylesheet = re.search(r'href="(/assets/style\.[0-9a-f]+\.css)"', html)
    assert stylesheet and "/* changed */" in fetch(preview.url.rstrip("/") + stylesheet[1])[2]


def test_with_no_good_build_yet_a_page_still_shows_the_problems(content, templates):
    (content / "actors" / "broken.yaml").write_text("id: 77\n", encoding="utf-8")
    server = Preview(content, templates, port=0, search=False).start()
    try:
        status, _, html = fetch(server.url)
        assert status == 503 and SCRIPT.search(html)
        assert state(server)["problems"][0]["message"] == "la clé obligatoire « name » manque"
        (content / "actors" / "broken.yaml").write_text("id: 77\nname: B\n", encoding="utf-8")
        wait_for(lambda: fetch(server.url)[0] == 200)
    finally:
        server.stop()


def test_a_port_in_use_is_a_usage_error(content, templates):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(UsageError, match="choisissez un autre --port"):
            Preview(content, templates, port=taken.getsockname()[1]).start()


def test_ctrl_c_stops_the_server_and_removes_its_temporary_folder(content, tmp_path):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "serve", "--port", "0", "--content", content],
        cwd=tmp_path,
        env={**os.environ, "TMPDIR": str(scratch)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines = []
        while not (url := re.search(r"http://127\.0\.0\.1:\d+/", "".join(lines))):
            line = process.stdout.readline()
            assert line, "".join(lines)
            lines.append(line)
        assert fetch(url[0])[0] == 200
        assert list(scratch.iterdir())  # the site is built in the temporary folder…
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert list(scratch.iterdir()) == []  # …which is gone
    assert not (tmp_path / "output").exists()  # and output/ was never written
    assert "Traceback" not in process.stdout.read()


class Chromium:
    """Headless Chromium driven over --remote-debugging-pipe: the DevTools protocol with the
    standard library only (JSON messages separated by NUL bytes on file descriptors 3 and 4)."""

    def __init__(self, profile: Path):
        to_chrome, self._out = os.pipe()
        self._in, from_chrome = os.pipe()

        def wire() -> None:
            os.dup2(to_chrome, 3)
            os.dup2(from_chrome, 4)

        flags = "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
        flags += "--disable-background-networking --disable-component-update --disable-sync "
        flags += f"--remote-debugging-pipe --user-data-dir={profile} about:blank"
        self.process = subprocess.Popen(
            [CHROMIUM, *flags.split()],
            pass_fds=(3, 4),
            preexec_fn=wire,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_chrome)
        os.close(from_chrome)
        self.buffer, self.last_id, self.events = b"", 0, []

    def _message(self) -> dict:
        while b"\0" not in self.buffer:
            ready, _, _ = select.select([self._in], [], [], 10)
            chunk = os.read(self._in, 1 << 16) if ready else b""
            assert chunk, "Chromium stopped answering"
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method: str, session: str | None = None, **params: object) -> dict:
        self.last_id += 1
        message = {"id": self.last_id, "method": method, "params": params}
        os.write(
            self._out, json.dumps(message | ({"sessionId": session} if session else {})).encode()
        )
        os.write(self._out, b"\0")
        while (reply := self._message()).get("id") != self.last_id:
            self.events.append(reply)
        if "error" in reply:
            raise RuntimeError(reply["error"])
        return reply["result"]

    def open(self, url: str) -> str:
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.send("Log.enable", session)
        self.send("Page.enable", session)
        self.send("Page.navigate", session, url=url)
        return session

    def evaluate(self, session: str, expression: str) -> object:
        try:
            reply = self.send("Runtime.evaluate", session, expression=expression)
        except RuntimeError:
            return None  # the page is between two documents (reloading)
        return reply["result"].get("value")

    def close(self) -> None:
        self.process.kill()
        self.process.wait()
        os.close(self._out)
        os.close(self._in)


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ERROR_PANEL = """(() => {
  const host = document.getElementById("site-gen-overlay");
  const panel = host && host.shadowRoot.querySelector(".panel.errors");
  return panel && getComputedStyle(panel).position === "fixed" ? panel.textContent : null;
})()"""
PAGE_BUILD = 'document.querySelector("script[data-build]")?.dataset.build ?? null'


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
def test_in_a_browser_the_page_shows_the_problem_then_reloads_once_fixed(
    preview, content, tmp_path
):
    browser = Chromium(tmp_path / "profile")
    try:
        page = browser.open(preview.url + "acteurs/civilab-scic/")
        wait_for(lambda: browser.evaluate(page, PAGE_BUILD) == state(preview)["build"])
        profile = content / "actors" / "civilab.yaml"
        text = profile.read_text(encoding="utf-8")

        profile.write_text(text + "teritories: []\n", encoding="utf-8")
        wait_for(lambda: browser.evaluate(page, ERROR_PANEL))
        shown = browser.evaluate(page, ERROR_PANEL)
        assert f"civilab.yaml, ligne {text.count(chr(10)) + 1}" in shown
        assert "clé inconnue « teritories »" in shown
        assert "Vouliez-vous écrire « territories » ?" in shown

        before = browser.evaluate(page, PAGE_BUILD)
        profile.write_text(text, encoding="utf-8")
        wait_for(lambda: browser.evaluate(page, PAGE_BUILD) not in (before, None))
        wait_for(lambda: browser.evaluate(page, "document.readyState") == "complete")
        assert browser.evaluate(page, ERROR_PANEL) is None
        logged = [
            e["params"]["entry"]["text"] for e in browser.events if e["method"] == "Log.entryAdded"
        ]
        assert not [t for t in logged if "Content Security Policy" in t], logged
    finally:
        browser.close()


def test_a_file_removed_in_memory_is_no_longer_a_target_of_links(tmp_path):
    files = frozenset({"index.html", "territoires/corse/energie/index.html"})
    site = serve_module.ServedSite(tmp_path, False, on_disk=files, known=link_targets(files))
    moved = site.changing({"territoires/corse/energie/index.html": None, "new.json": b"{}"})
    assert moved.targets() == link_targets({"index.html", "new.json"})
    assert moved.changing({"new.json": b"[]"}).targets() == moved.targets()
