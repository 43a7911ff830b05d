"""`serve`: a live preview for editors. Builds the site with the one pipeline into a temporary
folder (never output/), serves it on 127.0.0.1, rebuilds when content/ or templates/ change,
and reloads open pages; while the content is invalid it keeps serving the last good site and
shows the problems over every page.

HTML responses get one external script, /__site_gen/livereload.js (nothing inline, so the
site's strict Content-Security-Policy holds). It polls /__site_gen/state.json: a new `build`
id means "reload", and `problems` are drawn in an overlay styled by /__site_gen/overlay.css.
Polling rather than Server-Sent Events: an open event stream per tab counts against the
browser's six connections per host, and a seventh preview tab would hang.

Changes are watched with the system's file events (watchfiles: inotify, FSEvents…), not by
listing 10,000 files every few milliseconds. An edit of actor texts or dates is rebuilt in
memory by the quick rebuild (quick.py): the pages that show the actor (and for a date, the
feed and the sitemap), its search records and its exports are made again and served from
memory over the last build's folder, which nothing writes to. Any other change of actor
files (a new or deleted actor, its terms, clients, name…) is a build of the whole pipeline
made over the site served, in memory: only the pages whose key changed are rendered and
kept, beside the files quick rebuilds made. Anything else (a template, the settings, or
more changed pages than memory should hold) is a build into a folder. A site built without
its search index (the first, to be shown sooner) gets it from a background thread, made in
memory over it and served without a reload.
"""

from __future__ import annotations

import json
import mimetypes
import os
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlsplit

import watchfiles

from . import fingerprint
from .errors import ContentError, Problem, SiteGenError, UsageError, display_path
from .formats import as_dict
from .incremental import KeyMemo, SiteState
from .links import link_targets
from .manifest import site_files
from .options import BuildReport, build_options
from .pieces import Pieces, cut
from .pipeline import BuildOptions, build
from .quick import (
    NotQuick,
    QuickState,
    Workbench,
    edited_actors,
    quick_edit,
    record,
)

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
SETTLE_MS = 30  # an editor's save may touch a file several times: wait for calm
INDEX_AFTER_SECONDS = 1.0  # the search index is rebuilt once edits pause that long
# A build made in memory over the site served gives up beyond this many bytes of pages
# that changed (a template's worth: every page), and the build goes to a folder.
OVERLAY_LIMIT = 64 * 1024 * 1024


@dataclass(frozen=True)
class Response:
    status: int
    content_type: str = "text/plain; charset=utf-8"
    body: bytes = b""
    location: str = ""


@dataclass
class ServedSite:
    """A site the preview serves: a folder a build wrote, and in memory the files quick
    rebuilds changed since (None: removed; the exports in chunks, joined when asked for).
    `state` is the record of the site for the next quick rebuild, read from the cache at
    the first one; `known`, what links may point to (quick.SiteFiles)."""

    folder: Path
    search: bool  # built with its search index
    changed: dict[str, bytes | Pieces | None] = field(default_factory=dict)
    state: SiteState | None = None
    on_disk: frozenset[str] = frozenset()  # the folder's files, by its manifest
    known: frozenset[str] = frozenset()

    def read(self, path: str) -> bytes | None:
        """The bytes of the file at `path` (relative, inside the folder), None if none."""
        if path in self.changed:
            data = self.changed[path]
            return b"".join(data) if isinstance(data, list) else data
        try:
            return (self.folder / path).read_bytes()
        except OSError:
            return None

    def chunks(self, path: str, lengths: tuple[int, ...]) -> Pieces | None:
        data = self.changed.get(path)
        if isinstance(data, list):
            return data if len(data) == len(lengths) else None
        return cut(self.read(path), lengths)

    def targets(self) -> frozenset[str]:
        return self.known

    def paths(self) -> set[str]:
        """Every file of the site."""
        removed = {path for path, data in self.changed.items() if data is None}
        return (self.on_disk - removed) | (self.changed.keys() - removed)

    def changing(self, files: dict[str, bytes | Pieces | None]) -> ServedSite:
        """This site with these files changed (by path; None: removed)."""
        site = replace(self, changed=self.changed | files)
        if any(data is None for data in files.values()):
            return replace(site, known=frozenset(link_targets(site.paths())))
        added = link_targets(files.keys() - self.known)
        return replace(site, known=self.known | added) if added else site

    def changing_in_full(self, overlay: Overlay) -> ServedSite:
        """This site as the build made over it in `overlay` left it."""
        removed = overlay.removed()
        site = self.changing(overlay.files | dict.fromkeys(removed))
        known = frozenset(link_targets(site.paths())) if removed else site.known
        return replace(site, search=overlay.search, state=overlay.state, known=known)

    def record_of_site(self, cache_dir: Path | None) -> SiteState | None:
        """The record of the site for a quick rebuild (incremental.SiteState); None when the
        folder is not as its build left it."""
        if self.state is None:
            files = site_files(self.folder)
            if files is None:
                return None
            self.on_disk = frozenset(files)
            self.known = frozenset(link_targets(files))
            self.state = SiteState(cache_dir, self.folder).load(fingerprint.outputs(self.folder))
        return self.state


class Overflow(Exception):
    """More changed pages than a build made in memory should hold."""


class Overlay:
    """A build of the pipeline made over a site served (pipeline.Overlay): the files that
    differ from it are kept in memory, the others are the site's own. Nothing is written."""

    def __init__(self, site: ServedSite, state: SiteState, search: bool):
        self.site, self.previous, self.search = site, state, search
        self.present = site.paths()
        self.files: dict[str, bytes | Pieces] = {}
        self.kept: set[str] = set()
        self.size = 0
        self.state: SiteState | None = None

    def read(self, path: str) -> bytes | None:
        return self.site.read(path)

    def chunks(self, path: str, lengths: tuple[int, ...]) -> Pieces | None:
        return self.site.chunks(path, lengths)

    def keep(self, path: str) -> bool:
        if path not in self.present:
            return False
        self.kept.add(path)
        return True

    def add(self, path: str, data: bytes) -> None:
        if path in self.present and self.site.read(path) == data:
            self.kept.add(path)  # the assets and the search index: added by every build
            return
        self.size += len(data)
        if self.size > OVERLAY_LIMIT:
            raise Overflow(f"over {OVERLAY_LIMIT // 2**20} MB of pages changed")
        self.files[path] = data

    def add_chunks(self, path: str, chunks: Iterable[bytes]) -> None:
        self.files[path] = list(chunks)  # the exports: kept in memory by quick rebuilds too

    def made(self, state: SiteState) -> None:
        self.state = state

    def removed(self) -> set[str]:
        """The files of the site that the build did not make."""
        return self.present - self.kept - self.files.keys()


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
        log: Callable[[str], None] = lambda line: None,
        search: bool = True,
    ):
        self.content_dir, self.templates_dir, self.search = content_dir, templates_dir, search
        self.host, self.port, self.log = host, port, log
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.served: ServedSite | None = None  # the last good build
        self.content: dict[str, tuple[int, int]] = {}  # fingerprint.listing of content/
        self.edits = 0  # batches of changes seen
        self.bench: Workbench | None = None  # kept from one quick rebuild to the next
        self.key_memo = KeyMemo()  # page keys, from one build in memory to the next
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
            (_Server,),
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
        # starts) then differs from it and triggers a rebuild.
        self.content = fingerprint.listing(self.content_dir)
        self.seen = self._watched()
        try:
            # With no other thread yet, the first build may fork workers: every core.
            self.rebuild(workers=None if threading.active_count() == 1 else 1)
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

    def _options(self, target: Path, search: bool, workers: int | None = 1) -> BuildOptions:
        # workers=1 once the threads run: no forked render workers. Forking a process that
        # runs threads risks a deadlock, and two builds (quick and with search) may run at
        # once in two threads.
        return BuildOptions(
            self.content_dir, target, self.templates_dir, self.url, workers=workers, search=search
        )

    def rebuild(self, workers: int | None = 1) -> bool:
        """Build the site; on success serve it, else keep the last good site.

        An edit of actor texts is made in memory over the site served (see `_quick`), so
        is any other edit of actor files (see `_over_served`). Other builds alternate
        between two folders, the one served and the other: a request being answered is
        never disturbed, and as each folder keeps its last build, a rebuild renders only
        what changed since then (incremental.py).
        """
        self.builds += 1
        started = time.perf_counter()
        try:
            made = self._unless_failing("Quick rebuild", self._quick)
            if made is None:
                made = self._unless_failing(
                    "Build in memory", lambda: self._over_served(self._worth_in_memory)
                )
            if made is not None:
                served, report = made
            else:
                target = self._not_served("site")
                report = build(self._options(target, search=False, workers=workers))
                served = ServedSite(target, search=False)
        except ContentError as error:
            problems = tuple(error.problems)
        except SiteGenError as error:  # a template error: a developer is editing templates/
            problems = (Problem(display_path(self.templates_dir), None, str(error)),)
        except Exception as error:  # a file vanished mid-save…: report, keep watching
            problems = (Problem(display_path(self.content_dir), None, f"build failed: {error}"),)
        else:
            with self.lock:
                self.served = served
                self.generation = self.builds
                self.build_id = f"{self.token}.{self.builds}"
                self.problems = report.warnings
            seconds = time.perf_counter() - started
            if not served.search:
                self.index_wanted.set()
            self.log(f"Built {report.actors} actors in {seconds:.2f} s")
            # Now that the page is served, read what the next edit's quick rebuild needs.
            served.record_of_site(self._options(served.folder, served.search).cache_dir)
            return True
        with self.lock:
            self.problems = problems
        shown = "\n".join(map(str, problems))
        self.log(f"{shown}\n{len(problems)} problem(s): still serving the last good site")
        return False

    def _unless_failing(
        self, what: str, make: Callable[[], tuple[ServedSite, BuildReport] | None]
    ) -> tuple[ServedSite, BuildReport] | None:
        """make(), or None if it fails other than by a mistake in the content (ContentError,
        raised): the build into a folder is always right, only slower."""
        try:
            return make()
        except ContentError:
            raise
        except Exception as error:
            self.log(f"{what} failed ({error!r}): building the site in full")
            return None

    def _quick(self) -> tuple[ServedSite, BuildReport] | None:
        """The site served with the edited actors' files made again in memory, and its
        report; None when a build of the pipeline must run. Raises ContentError."""
        with self.lock:
            served = self.served
        if served is None:
            return None
        options = self._options(served.folder, search=served.search)
        state = served.record_of_site(options.cache_dir)
        if state is None:
            return None
        listing = fingerprint.read_files(self.content)
        new = edited_actors(options, state, listing)
        if new is None:
            return None
        if self.bench is None or not self.bench.fits(state.quick):
            self.bench = Workbench(options, state.quick)
        try:
            edit = quick_edit(options, state, new, served, self.bench)
        except NotQuick:
            return None
        site = served.changing(edit.files)
        return site, record(state, edit, listing, len(site.paths()))

    def _worth_in_memory(self, served: ServedSite, state: SiteState) -> bool:
        """Whether a build over the site served may change few of its pages: neither the
        templates, code and options nor `site.yaml` (each changes every page) changed
        since its build. Other content files may: OVERLAY_LIMIT stops a build that changes
        too much."""
        options = self._options(served.folder, search=served.search)
        quick = state.quick
        environment = fingerprint.environment(options.templates_dir, build_options(options))
        if not isinstance(quick, QuickState) or quick.environment != environment:
            return False
        return fingerprint.read_files(self.content).get("site.yaml") == quick.listing.get(
            "site.yaml"
        )

    def _over_served(
        self, worth: Callable[[ServedSite, SiteState], bool], search: bool | None = None
    ) -> tuple[ServedSite, BuildReport] | None:
        """The site served with what a build of the pipeline changes in it, made in memory
        (with the search index if `search`, else as the site served); None when a build into
        a folder must run: no record of the site served, or `worth` says so, or too many
        pages changed. Raises ContentError."""
        with self.lock:
            served = self.served
        if served is None:
            return None
        search = served.search if search is None else search
        options = self._options(served.folder, search=search)
        state = served.record_of_site(options.cache_dir)
        if state is None or not worth(served, state):
            return None
        overlay = Overlay(served, state, search)
        try:
            report = build(options, overlay=overlay, memo=self.key_memo)
        except Overflow as error:
            self.log(f"{error}: building the site in a folder")
            return None
        return served.changing_in_full(overlay), report

    def _index(self) -> None:
        """Add the search index to a site served without it, and serve that if nothing
        changed since: made in memory over it, or else a build of the full site.

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
                generation, edits = self.generation, self.edits
            try:
                made = self._over_served(lambda served, state: not served.search, search=True)
                if made is not None:
                    site = made[0]
                else:
                    site = ServedSite(self._not_served("search"), search=True)
                    build(self._options(site.folder, search=True))
            except Exception:  # the quick rebuild reports problems; this one only waits
                continue
            options = self._options(site.folder, search=True)
            # Read now what the next edit's quick rebuild needs, not while an editor waits.
            state = site.record_of_site(options.cache_dir)
            if state is not None and isinstance(state.quick, QuickState):
                bench = Workbench(options, state.quick)
                bench.prepare(options, state.quick)
                self.bench = bench
            with self.lock:
                if self.generation == generation and self.edits == edits:
                    self.served = site

    def _not_served(self, kind: str) -> Path:
        with self.lock:
            first = self.folder / f"{kind}-a"
            return (
                self.folder / f"{kind}-b" if self.served and self.served.folder == first else first
            )

    def _serve_http(self) -> None:
        self.server.serve_forever(poll_interval=0.1)

    def _listings(self) -> tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
        return fingerprint.listing(self.content_dir), fingerprint.listing(self.templates_dir)

    def _watched(self) -> list[dict[str, tuple[int, int]]]:
        """The listings of content/ and templates/ without the editors' leftovers."""
        return [
            {n: v for n, v in found.items() if not fingerprint.is_leftover(n)}
            for found in self._listings()
        ]

    def _watch(self) -> None:
        """Rebuild after each batch of changes (a save often comes as several events).
        Where the system's file events fail (no inotify watch left…), it polls instead."""
        try:
            self._watch_changes(force_polling=None)  # None: watchfiles decides
        except Exception as error:
            if self.stopping.is_set():
                return
            self.log(f"File events failed ({error}): watching by polling instead")
            self._watch_changes(force_polling=True)

    def _watch_changes(self, force_polling: bool | None) -> None:
        watching = False
        for changes in watchfiles.watch(
            self.content_dir,
            self.templates_dir,
            watch_filter=None,  # every event keeps the listing true; leftovers rebuild nothing
            step=SETTLE_MS,
            stop_event=self.stopping,
            rust_timeout=100,
            yield_on_timeout=True,
            raise_interrupt=False,
            force_polling=force_polling,
            poll_delay_ms=100,
        ):
            if self.stopping.is_set():
                break
            if not watching:  # the first yield comes once watching: compare with the start
                watching = True
                self.content = fingerprint.listing(self.content_dir)
                if self._watched() != self.seen:
                    self._changed()
                    continue
            if not changes:
                continue
            for _, path in changes:
                self._note(path)
            if not all(fingerprint.is_leftover(self._relative(path)) for _, path in changes):
                self._changed()

    def _relative(self, path: str) -> str:
        """`path` relative to content/ or templates/, with / between names."""
        for root in (self.content_dir, self.templates_dir):
            if (name := _name_in(root, path)) is not None:
                return name
        return path

    def _changed(self) -> None:
        with self.lock:
            self.edits += 1
        self.rebuild()

    def _note(self, path: str) -> None:
        """Keep the content listing true after an event on `path` (as fingerprint.listing)."""
        name = _name_in(self.content_dir, path)
        if name is None or "__pycache__" in name.split("/"):
            return  # templates/: the build itself looks at them
        try:
            is_folder = os.path.isdir(path) and not os.path.islink(path)
            info = os.stat(path)
        except OSError:  # gone: so is everything that was under it
            self.content.pop(name, None)
            for known in [n for n in self.content if n.startswith(name + "/")]:
                del self.content[known]
            return
        if is_folder:  # a folder moved in or out: list it all again
            self.content = fingerprint.listing(self.content_dir)
        else:
            self.content[name] = (info.st_size, info.st_mtime_ns)

    def state(self) -> dict:
        with self.lock:
            return {"build": self.build_id, "problems": [as_dict(p) for p in self.problems]}

    def respond(self, raw_path: str) -> Response:
        """What the server answers for a request path (a method, so tests need no socket)."""
        path = unquote(urlsplit(raw_path).path)
        if path.startswith(DEV_PREFIX):
            return self._dev_file(path.removeprefix(DEV_PREFIX))
        with self.lock:
            served, build_id = self.served, self.build_id
        if served is None:
            return Response(503, "text/html; charset=utf-8", inject(NO_SITE_YET.encode(), build_id))
        root = served.folder.resolve()
        try:
            target = (root / path.lstrip("/")).resolve()
        except (OSError, ValueError):
            return Response(400, body=b"bad path")
        status, body = 404, None
        if target.is_relative_to(root):  # a folder may be in memory only: no is_dir()
            name = target.relative_to(root).as_posix()
            if name != "." and not path.endswith("/"):
                body = served.read(name)
            if body is None:
                name = "index.html" if name == "." else f"{name}/index.html"
                body = served.read(name)
                if body is not None and not path.endswith("/"):
                    return Response(301, location=path + "/")
            status = 200
        if body is None:
            status, name, body = 404, "404.html", served.read("404.html")
            if body is None:
                return Response(404, body=b"not found")
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
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


def _name_in(root: Path, path: str) -> str | None:
    """`path` relative to the folder `root`, with / between names; None if not inside."""
    relative = os.path.relpath(path, root)
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return None
    return relative.replace(os.sep, "/")


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # a tab closed or reloaded mid-answer: nothing to report
        super().handle_error(request, client_address)  # type: ignore[arg-type]


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
