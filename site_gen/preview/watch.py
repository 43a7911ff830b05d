"""Watching content/ and templates/ for the preview: a rebuild after each batch of changes.

Changes are watched with the system's file events (watchfiles: inotify, FSEvents…), not by
listing 10,000 files every few milliseconds.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

import watchfiles

from site_gen import fingerprint
from site_gen.i18n import _

SETTLE_MS = 30  # an editor's save may touch a file several times: wait for calm


class Watcher:
    """Watches content/ and templates/: keeps `content` (fingerprint.listing of content/)
    true and calls `changed()` after each batch of changes, until `stopping` is set."""

    def __init__(
        self,
        folders: tuple[Path, Path],
        changed: Callable[[], None],
        stopping: threading.Event,
        log: Callable[[str], None],
    ):
        self.content_dir, self.templates_dir = folders
        self.changed, self.stopping, self.log = changed, stopping, log
        self.content: dict[str, tuple[int, int]] = {}
        self.seen: list[dict[str, tuple[int, int]]] = []

    def start_listing(self) -> None:
        """What the first build reads: a save made while it runs (or before the watcher
        starts) then differs from it and triggers a rebuild."""
        self.content = fingerprint.listing(self.content_dir)
        self.seen = self._watched()

    def _listings(self) -> tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
        return fingerprint.listing(self.content_dir), fingerprint.listing(self.templates_dir)

    def _watched(self) -> list[dict[str, tuple[int, int]]]:
        """The listings of content/ and templates/ without the editors' leftovers."""
        return [
            {n: v for n, v in found.items() if not fingerprint.is_leftover(n)}
            for found in self._listings()
        ]

    def watch(self) -> None:
        """Rebuild after each batch of changes (a save often comes as several events).
        Where the system's file events fail (no inotify watch left…), it polls instead."""
        try:
            self._watch_changes(force_polling=None)  # None: watchfiles decides
        except Exception as error:
            if self.stopping.is_set():
                return
            self.log(
                _("File events failed ({reason}): watching by polling instead").format(reason=error)
            )
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
                    self.changed()
                    continue
            if not changes:
                continue
            for _change, path in changes:
                self._note(path)
            if not all(fingerprint.is_leftover(self._relative(path)) for _change, path in changes):
                self.changed()

    def _relative(self, path: str) -> str:
        """`path` relative to content/ or templates/, with / between names."""
        for root in (self.content_dir, self.templates_dir):
            if (name := _name_in(root, path)) is not None:
                return name
        return path

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


def _name_in(root: Path, path: str) -> str | None:
    """`path` relative to the folder `root`, with / between names; None if not inside."""
    relative = os.path.relpath(path, root)
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return None
    return relative.replace(os.sep, "/")
