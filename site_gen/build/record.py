"""The record of the site on disk, from the build that wrote it: each page's key (see
incremental.py) and the ids and links it holds, which pages show which actor, and what a
edit rebuild needs (edit_record.py).

The record (route → key, plus the ids each page holds, for fragment links) belongs to one
output folder and is only trusted while that folder is the one the record describes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from site_gen.cache import dump_file, load_file, replace_file

STATE_VERSION = 7


class SiteState:
    """The key, element ids and links of every page of the site on disk, from the build
    that wrote it: `keys`, `ids` and `links` (links.signature, 0 when none) by route, and
    `shows`: by actor digest, the routes of the pages that show that actor. `quick` holds
    what actor_edits.py needs to rebuild after an edit without planning the whole site
    again (an edit_record.QuickState; None: not known)."""

    def __init__(self, cache_dir: Path | None, output_dir: Path):
        self.path = None
        self.output_dir = str(output_dir.resolve())
        if cache_dir is not None:
            name = hashlib.sha256(self.output_dir.encode()).hexdigest()[:16]
            self.path = cache_dir / "pages" / f"{name}.pickle"
        self.keys: dict[str, str] = {}
        self.ids: dict[str, frozenset[str]] = {}
        self.links: dict[str, int] = {}
        self.shows: dict[str, tuple[str, ...]] = {}
        self.quick: Any = None
        self.addresses: Any = None  # addresses.Addresses: which actor had which address
        self._shown: dict[str, list[str]] = defaultdict(list)  # `shows`, as set() builds it
        self._id_sets: dict[frozenset[str], frozenset[str]] = {}

    def load(self, identity: str) -> SiteState:
        """The pages of the site whose identity is `identity`; none if not known for sure."""
        if self.path is None:
            return self
        try:
            saved = load_file(self.path)
            if saved["version"] == STATE_VERSION and saved["identity"] == identity:
                id_sets = saved["id_sets"]
                self.keys = saved["keys"]
                self.ids = {route: id_sets[n] for route, n in saved["ids"].items()}
                self.links = saved["links"]
                self.shows = saved["shows"]
                self.quick = saved["quick"]
                self.addresses = saved.get("addresses")
        except Exception:  # missing, damaged or foreign: everything is rendered
            self.keys, self.ids, self.links, self.shows, self.quick = {}, {}, {}, {}, None
            self.addresses = None
        return self

    def set(self, route: str, key: str, ids: frozenset[str], links: int = 0) -> None:
        """A page of the new site (`links`: its links.signature)."""
        self.keys[route] = key
        self.ids[route] = self._id_sets.setdefault(ids, ids)  # most pages share their ids
        if links:
            self.links[route] = links
        else:
            self.links.pop(route, None)

    def drop(self, route: str) -> None:
        """A page the site no longer has."""
        del self.keys[route], self.ids[route]
        self.links.pop(route, None)

    def show(self, route: str, actors: frozenset[str]) -> None:
        """The page at `route` shows these actors (by digest)."""
        for actor in actors:
            self._shown[actor].append(route)

    def replace_actor(self, old: str, new: str) -> None:
        """The pages that showed the actor whose digest is `old` now show its new version."""
        if old in self.shows:
            self.shows[new] = self.shows.pop(old)

    def reshow(self, shown: Mapping[str, frozenset[str]]) -> None:
        """Each page of `shown` (by route) now shows these actors (by digest), and no
        others (one pass over `shows`, however many pages changed)."""
        if not shown:
            return
        for actor, routes in list(self.shows.items()):
            kept = tuple(r for r in routes if r not in shown or actor in shown[r])
            if len(kept) != len(routes):
                self.shows[actor] = kept
        for route, actors in shown.items():
            for actor in actors:
                if route not in self.shows.get(actor, ()):
                    self.shows[actor] = (*self.shows.get(actor, ()), route)

    def settle(self) -> SiteState:
        """Once every page is noted: `shows` as the pages noted it (see `show`)."""
        self.shows.update((actor, tuple(routes)) for actor, routes in self._shown.items())
        self._shown.clear()
        return self

    def save(self, identity: str) -> None:
        if self.path is None:
            return
        numbers = {ids: n for n, ids in enumerate(dict.fromkeys(self.ids.values()))}
        self.settle()
        data = {
            "version": STATE_VERSION,
            "identity": identity,
            "keys": self.keys,
            "ids": {route: numbers[ids] for route, ids in self.ids.items()},
            "id_sets": list(numbers),
            "links": self.links,
            "shows": self.shows,
            "quick": self.quick,
            "addresses": self.addresses,
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            dump_file(self.path, data)
            self._prune()
        except OSError:
            pass  # no record: the next build renders everything

    def _prune(self) -> None:
        """Delete the records of output folders that are gone (the preview's temporary
        folders, a renamed output/…), which would otherwise pile up in .cache/pages/: each
        record's output folder is noted in outputs.json beside them."""
        assert self.path is not None
        index = self.path.parent / "outputs.json"
        try:
            outputs = json.loads(index.read_bytes())
            if not isinstance(outputs, dict):
                outputs = {}
        except (OSError, ValueError):
            outputs = {}
        outputs[self.path.name] = self.output_dir
        for name, folder in list(outputs.items()):
            if not isinstance(folder, str) or not os.path.isdir(folder):
                if name.endswith(".pickle") and "/" not in name and "\\" not in name:
                    with contextlib.suppress(OSError):
                        (self.path.parent / name).unlink()
                del outputs[name]
        replace_file(index, json.dumps(outputs, indent=0, sort_keys=True).encode())

    def forget(self) -> None:
        """Before the site changes: a record that may not match it must not survive."""
        if self.path is not None:
            with contextlib.suppress(OSError):
                self.path.unlink()
