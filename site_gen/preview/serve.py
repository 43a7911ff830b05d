"""`serve`: a live preview for editors. Builds the site with the one pipeline, serves it on
127.0.0.1, rebuilds when content/ or templates/ change, and reloads open pages; while the
content is invalid it keeps serving the last good site and shows the problems over every
page.

Which build runs after a change: an edit of actor files (texts, dates, terms, clients,
names, addresses) is an edit rebuild in memory (build/actor_edits.py): the pages it changes,
the edited actors' search records and exports are made again and served from memory over
the last build's folder, which nothing writes to. A new or deleted actor file is a build of
the whole pipeline made over the site served, in memory: only the pages whose key changed
are rendered and kept. Anything else (a template, the settings, or more changed pages than
memory should hold) is a build into a folder; two folders alternate, so a request being
answered is never disturbed. A site built without its search index (the first, to be shown
sooner) gets it from a background thread, made in memory over it and served without a
reload.

Its parts: served.py (the site served, in memory over a folder), watch.py (file events)
and http.py (the answers and the server).
"""

from __future__ import annotations

import gc
import os
import shutil
import signal
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from site_gen import fingerprint
from site_gen.build.actor_edits import NotQuick, QuickState, edited_actors, quick_edit, record
from site_gen.build.addresses import edit_address_changes
from site_gen.build.edit_pages import Workbench
from site_gen.build.options import BuildReport, build_options
from site_gen.build.pipeline import BuildOptions, build
from site_gen.build.record import SiteState
from site_gen.errors import ContentError, Problem, SiteGenError, UsageError, display_path
from site_gen.formats import render
from site_gen.i18n import _, ngettext
from site_gen.pages.keys import KeyMemo
from site_gen.preview.http import PreviewHandler, PreviewServer, Response, answer, overlay_problems
from site_gen.preview.served import MemoryOverlay, Overflow, ServedSite
from site_gen.preview.watch import Watcher

INDEX_AFTER_SECONDS = 1.0  # the search index is rebuilt once edits pause that long


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
        self.watcher = Watcher((content_dir, templates_dir), self._changed, self.stopping, log)
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
            (PreviewServer,),
            {"address_family": socket.AF_INET6 if ":" in self.host else socket.AF_INET},
        )
        try:
            self.server = server_class((self.host, self.port), PreviewHandler)
        except OSError as error:
            raise UsageError(
                _(
                    "cannot listen on {host}:{port} ({reason}); "
                    "stop the other server or choose another --port"
                ).format(host=self.host, port=self.port, reason=error.strerror)
            ) from None
        self.server.preview = self  # type: ignore[attr-defined]
        self.port = self.server.server_address[1]
        self.url = _base_url(self.host, self.port)
        self.folder = Path(tempfile.mkdtemp(prefix="site-gen-serve-"))
        self.watcher.start_listing()
        try:
            # With no other thread yet, the first build may fork workers: every core.
            self.rebuild(workers=None if threading.active_count() == 1 else 1)
        except BaseException:  # Ctrl-C during the first build
            self.server.server_close()
            shutil.rmtree(self.folder, ignore_errors=True)
            raise
        for target in (self._serve_http, self.watcher.watch, self._index)[
            : 3 if self.search else 2
        ]:
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

    def _serve_http(self) -> None:
        self.server.serve_forever(poll_interval=0.1)

    def _changed(self) -> None:
        with self.lock:
            self.edits += 1
        self.rebuild()

    # -- answers -----------------------------------------------------------------------

    def state(self) -> dict:
        with self.lock:
            return {"build": self.build_id, "problems": overlay_problems(self.problems)}

    def respond(self, raw_path: str) -> Response:
        """What the server answers for a request path (a method, so tests need no socket)."""
        with self.lock:
            served, build_id = self.served, self.build_id
        return answer(raw_path, served, build_id, self.state)

    # -- builds ------------------------------------------------------------------------

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
            made = self._unless_failing(_("Quick rebuild"), self._quick)
            if made is None:
                made = self._unless_failing(
                    _("Build in memory"), lambda: self._over_served(self._worth_in_memory)
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
            message = _("build failed: {reason}").format(reason=error)
            problems = (Problem(display_path(self.content_dir), None, message, code="failed"),)
        else:
            with self.lock:
                self.served = served
                self.generation = self.builds
                self.build_id = f"{self.token}.{self.builds}"
                self.problems = report.warnings
            seconds = time.perf_counter() - started
            if not served.search:
                self.index_wanted.set()
            self.log(
                _("Built {actors} actors in {seconds} s").format(
                    actors=report.actors, seconds=f"{seconds:.2f}"
                )
            )
            # Now that the page is served, read what the next edit's quick rebuild needs.
            served.record_of_site(self._options(served.folder, served.search).cache_dir)
            return True
        with self.lock:
            self.problems = problems
        shown = render(problems, "text", group=True)
        still = ngettext(
            "{count} problem: still serving the last good site",
            "{count} problems: still serving the last good site",
            len(problems),
        )
        self.log(f"{shown}\n" + still.format(count=len(problems)))
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
            self.log(
                _("{what} failed ({reason}): building the site in full").format(
                    what=what, reason=repr(error)
                )
            )
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
        listing = fingerprint.read_files(self.watcher.content)
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
        report = record(state, edit, listing, len(site.paths()))
        content = display_path(self.content_dir)
        moved = edit_address_changes(state, edit.gone, edit.new.values(), content)
        return site, replace(report, warnings=report.warnings + moved)

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
        return fingerprint.read_files(self.watcher.content).get("site.yaml") == quick.listing.get(
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
        overlay = MemoryOverlay(served, state, search)
        try:
            report = build(options, overlay=overlay, memo=self.key_memo)
        except Overflow as error:
            self.log(_("{reason}: building the site in a folder").format(reason=error))
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
            _settle_collector()

    def _not_served(self, kind: str) -> Path:
        with self.lock:
            first = self.folder / f"{kind}-a"
            return (
                self.folder / f"{kind}-b" if self.served and self.served.folder == first else first
            )


def serve(content_dir: Path, templates_dir: Path, host: str, port: int) -> int:
    """Run the preview until Ctrl-C (or SIGTERM); always removes its temporary folder."""

    def log(line: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {line}", flush=True)

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    preview = Preview(content_dir, templates_dir, host, port, log=log).start()
    handlers = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        log(_("Serving the preview at {url} (Ctrl-C to stop)").format(url=preview.url))
        if host not in ("127.0.0.1", "localhost", "::1"):
            log(
                _("Warning: listening on {host}, other computers on the network can see it").format(
                    host=host
                )
            )
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        log(_("Stopping"))
    finally:
        # A second Ctrl-C while stopping must not leave the temporary folder behind.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        preview.stop()
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    return 0


def _settle_collector() -> None:
    """Collect the garbage of the builds before, then freeze what is left (the site served,
    the index the next move starts from: 330,000 objects at 10,000 actors), in a calm
    second (0.2 s). The cycle collector then walks only what later edits make: until now it
    walked everything again every few moves, in the middle of one, for ~0.2 s."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
