"""`serve`: a live preview for editors. Builds the site with the one pipeline into a temporary
folder (never output/), serves it on 127.0.0.1, rebuilds when content/ or templates/ change,
and reloads open pages; while the content is invalid it keeps serving the last good site and
shows the problems over every page.

Its parts: preview_build.py (which build runs after a change), preview_site.py (the site
served, in memory over a folder), preview_watch.py (file events) and preview_http.py (the
answers and the server).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from site_gen import fingerprint
from site_gen.build.edit_pages import Workbench
from site_gen.errors import Problem, UsageError
from site_gen.i18n import _
from site_gen.pages.keys import KeyMemo
from site_gen.preview.http import Answers, PreviewHandler, PreviewServer
from site_gen.preview.rebuilds import Rebuilds
from site_gen.preview.served import ServedSite
from site_gen.preview.watch import Watches


def _base_url(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("", "0.0.0.0") else "::1" if host == "::" else host
    return f"http://[{shown}]:{port}/" if ":" in shown else f"http://{shown}:{port}/"


# One object, one lock, one state; its jobs are mixins, one module each.
class Preview(Rebuilds, Watches, Answers):
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

    def _serve_http(self) -> None:
        self.server.serve_forever(poll_interval=0.1)


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
