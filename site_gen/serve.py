"""`serve`: a live preview for editors. Builds the site with the one pipeline into a temporary
folder (never output/), serves it on 127.0.0.1, rebuilds when content/ or templates/ change,
and reloads open pages; while the content is invalid it keeps serving the last good site and
shows the problems over every page.

HTML responses get one external script, /__site_gen/livereload.js (nothing inline, so the
site's strict Content-Security-Policy holds). It polls /__site_gen/state.json: a new `build`
id means "reload", and `problems` are drawn in an overlay styled by /__site_gen/overlay.css.
Polling rather than Server-Sent Events: an open event stream per tab counts against the
browser's six connections per host, and a seventh preview tab would hang.

A rebuild skips the search index (a second at 10,000 actors; the page must show in under one);
a second thread then builds the full site with its index and swaps it in without a reload.
"""

from __future__ import annotations

import json
import mimetypes
import os
import shutil
import signal
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import ContentError, Problem, SiteGenError, UsageError, display_path
from .formats import as_dict
from .pipeline import BuildOptions, build

DEV_PREFIX = "/__site_gen/"
DEV_FILES = {
    "livereload.js": "text/javascript; charset=utf-8",
    "overlay.css": "text/css; charset=utf-8",
}
SCRIPT_TAG = '<script src="/__site_gen/livereload.js" data-build="{build}"></script>'
NO_SITE_YET = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Aperçu indisponible</title></head>
<body><main><h1>Le site n'a pas encore pu être construit</h1>
<p>Corrigez les problèmes affichés : la page se recharge d'elle-même.</p></main></body></html>
"""
SETTLE_SECONDS = 0.03  # an editor's save may touch a file several times: wait for calm
INDEX_AFTER_SECONDS = 1.0  # the search index is rebuilt once edits pause that long


@dataclass(frozen=True)
class Response:
    status: int
    content_type: str = "text/plain; charset=utf-8"
    body: bytes = b""
    location: str = ""


def inject(html: bytes, build_id: str) -> bytes:
    """The page with the live-reload script just before </body> (or at the end)."""
    tag = SCRIPT_TAG.format(build=build_id).encode("ascii")
    end = html.lower().rfind(b"</body>")
    return html[:end] + tag + html[end:] if end >= 0 else html + tag


def _base_url(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("", "0.0.0.0") else "::1" if host == "::" else host
    return f"http://[{shown}]:{port}/" if ":" in shown else f"http://{shown}:{port}/"


class Preview:
    """The dev server: start(), then pages at `url`, then stop() (also a context manager)."""

    def __init__(
        self,
        content_dir: Path,
        templates_dir: Path,
        host: str = "127.0.0.1",
        port: int = 8000,
        interval: float = 0.05,
        log: Callable[[str], None] = lambda line: None,
        search: bool = True,
    ):
        self.content_dir, self.templates_dir, self.search = content_dir, templates_dir, search
        self.host, self.port, self.interval, self.log = host, port, interval, log
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.site: Path | None = None  # the last good build, being served
        self.build_id = "none"
        self.problems: tuple[Problem, ...] = ()
        self.builds = 0
        self.generation = 0  # the build whose pages are served (its search index may follow)
        self.index_wanted = threading.Event()
        self.token = f"{os.getpid()}.{time.monotonic_ns() % 10**9}"
        self.threads: list[threading.Thread] = []

    def start(self) -> Preview:
        server_class = type(
            "Server",
            (ThreadingHTTPServer,),
            {"address_family": socket.AF_INET6 if ":" in self.host else socket.AF_INET},
        )
        try:
            self.server = server_class((self.host, self.port), _Handler)
        except OSError as error:
            raise UsageError(
                f"cannot listen on {self.host}:{self.port} ({error.strerror}); "
                "stop the other server or choose another --port"
            ) from None
        self.server.preview = self  # type: ignore[attr-defined]
        self.port = self.server.server_address[1]
        self.url = _base_url(self.host, self.port)
        self.folder = Path(tempfile.mkdtemp(prefix="site-gen-serve-"))
        # What the first build reads: a save made while it runs (or before the watcher
        # thread starts) then differs from it and triggers a rebuild.
        self.seen = self._snapshot()
        try:
            self.rebuild()
        except BaseException:  # Ctrl-C during the first build
            self.server.server_close()
            shutil.rmtree(self.folder, ignore_errors=True)
            raise
        for target in (self._serve_http, self._watch, self._index)[: 3 if self.search else 2]:
            self.threads.append(threading.Thread(target=target, daemon=True))
            self.threads[-1].start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.index_wanted.set()
        self.server.shutdown()
        self.server.server_close()
        for thread in self.threads:
            thread.join()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> Preview:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _options(self, target: Path, search: bool) -> BuildOptions:
        # workers=1: no forked render workers. Forking a process that runs threads risks a
        # deadlock, and the two builds (quick and with search) run at once in two threads.
        return BuildOptions(
            self.content_dir, target, self.templates_dir, self.url, workers=1, search=search
        )

    def rebuild(self) -> bool:
        """Build the site; on success serve it, else keep the last good site.

        Builds alternate between two folders, the one served and the other: a request
        being answered is never disturbed, and as each folder keeps its last build, a
        rebuild renders only what changed since then (incremental.py).
        """
        self.builds += 1
        target = self._not_served("site")
        options = self._options(target, search=False)
        started = time.perf_counter()
        try:
            report = build(options)
        except ContentError as error:
            problems = tuple(error.problems)
        except SiteGenError as error:  # a template error: a developer is editing templates/
            problems = (Problem(display_path(self.templates_dir), None, str(error)),)
        except Exception as error:  # a file vanished mid-save…: report, keep watching
            problems = (Problem(display_path(self.content_dir), None, f"build failed: {error}"),)
        else:
            with self.lock:
                self.site = target
                self.generation = self.builds
                self.build_id = f"{self.token}.{self.builds}"
                self.problems = report.warnings
            seconds = time.perf_counter() - started
            self.index_wanted.set()
            self.log(f"Built {report.actors} actors in {seconds:.2f} s")
            return True
        with self.lock:
            self.problems = problems
        shown = "\n".join(map(str, problems))
        self.log(f"{shown}\n{len(problems)} problem(s): still serving the last good site")
        return False

    def _index(self) -> None:
        """Build the full site, search index included, and serve it if nothing changed since.

        It waits for a calm second and runs at a lower priority (Linux: per thread, inherited
        by the processes it forks), so that it never slows down the rebuild an editor waits for.
        """
        if hasattr(os, "setpriority"):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
        while self.index_wanted.wait() and not self.stopping.is_set():
            self.index_wanted.clear()
            if self.stopping.wait(INDEX_AFTER_SECONDS) or self.index_wanted.is_set():
                continue  # stopping, or another rebuild came: wait for calm again
            with self.lock:
                generation = self.generation
            before = self._snapshot()
            target = self._not_served("search")
            try:
                build(self._options(target, search=True))
            except Exception:  # the quick rebuild reports problems; this one only waits
                continue
            with self.lock:
                if self.generation == generation and self._snapshot() == before:
                    self.site = target

    def _not_served(self, kind: str) -> Path:
        with self.lock:
            first = self.folder / f"{kind}-a"
            return self.folder / f"{kind}-b" if self.site == first else first

    def _serve_http(self) -> None:
        self.server.serve_forever(poll_interval=0.1)

    def _snapshot(self) -> dict[str, tuple[int, int]]:
        files = {}
        for root in (self.content_dir, self.templates_dir):
            for folder, subfolders, names in os.walk(root):
                subfolders[:] = [d for d in subfolders if not d.startswith(".")]
                for name in names:
                    if name.startswith(".") or name.endswith("~"):
                        continue  # editors' swap and backup files
                    path = os.path.join(folder, name)
                    try:
                        stat = os.stat(path)
                    except OSError:
                        continue  # deleted between listing and stat
                    files[path] = (stat.st_mtime_ns, stat.st_size)
        return files

    def _watch(self) -> None:
        seen = self.seen
        while not self.stopping.wait(self.interval):
            now = self._snapshot()
            if now == seen:
                continue
            while not self.stopping.wait(SETTLE_SECONDS) and (again := self._snapshot()) != now:
                now = again
            seen = now
            if not self.stopping.is_set():
                self.rebuild()

    def state(self) -> dict:
        with self.lock:
            return {"build": self.build_id, "problems": [as_dict(p) for p in self.problems]}

    def respond(self, raw_path: str) -> Response:
        """What the server answers for a request path (a method, so tests need no socket)."""
        path = unquote(urlsplit(raw_path).path)
        if path.startswith(DEV_PREFIX):
            return self._dev_file(path.removeprefix(DEV_PREFIX))
        with self.lock:
            site, build_id = self.site, self.build_id
        if site is None:
            return Response(503, "text/html; charset=utf-8", inject(NO_SITE_YET.encode(), build_id))
        root = site.resolve()
        try:
            target = (root / path.lstrip("/")).resolve()
        except (OSError, ValueError):
            return Response(400, body=b"bad path")
        if target.is_dir() and target.is_relative_to(root):
            if not path.endswith("/"):
                return Response(301, location=path + "/")
            target = target / "index.html"
        status = 200
        if not target.is_relative_to(root) or not target.is_file():
            status, target = 404, root / "404.html"
            if not target.is_file():
                return Response(404, body=b"not found")
        content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        body = target.read_bytes()
        if content_type == "text/html":
            body = inject(body, build_id)
        if content_type.startswith("text/") or content_type.endswith(("xml", "json")):
            content_type += "; charset=utf-8"
        return Response(status, content_type, body)

    def _dev_file(self, name: str) -> Response:
        if name == "state.json":
            body = json.dumps(self.state(), ensure_ascii=False).encode("utf-8")
            return Response(200, "application/json; charset=utf-8", body)
        if name not in DEV_FILES:
            return Response(404, body=b"not found")
        body = resources.files("site_gen").joinpath("devserver", name).read_bytes()
        return Response(200, DEV_FILES[name], body)


class _Handler(BaseHTTPRequestHandler):
    server_version = "site_gen-preview"

    def do_GET(self) -> None:
        self._send(head=False)

    def do_HEAD(self) -> None:
        self._send(head=True)

    def _send(self, head: bool) -> None:
        response = self.server.preview.respond(self.path)  # type: ignore[attr-defined]
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("Cache-Control", "no-store")
        if response.location:
            self.send_header("Location", response.location)
        self.end_headers()
        if not head:
            self.wfile.write(response.body)

    def log_message(self, format: str, *args: object) -> None:
        pass  # one line per request would drown the rebuild messages


def serve(content_dir: Path, templates_dir: Path, host: str, port: int) -> int:
    """Run the preview until Ctrl-C (or SIGTERM); always removes its temporary folder."""

    def log(line: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {line}", flush=True)

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    preview = Preview(content_dir, templates_dir, host, port, log=log).start()
    handlers = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        log(f"Serving the preview at {preview.url} (Ctrl-C to stop)")
        if host not in ("127.0.0.1", "localhost", "::1"):
            log(f"Warning: listening on {host}, other computers on the network can see it")
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        log("Stopping")
    finally:
        # A second Ctrl-C while stopping must not leave the temporary folder behind.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        preview.stop()
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    return 0
