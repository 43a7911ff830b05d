"""Which pages a rebuild must render: each page's key, compared with the site on disk.

A page's key is a digest of everything its bytes depend on: the build's salt (templates,
our code, dependency versions, settings, vocabularies, client aliases) and the page's own
inputs (its template, title and context, or, for pages built lazily in a worker, the
`deps` the planner declares). Equal keys mean equal bytes, so a page whose key matches
the one recorded for the site on disk is not rendered again: the writer keeps its file.

The record (route → key, plus the ids each page holds, for fragment links) belongs to one
output folder and is only trusted while that folder is the one the record describes.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import pickle
from pathlib import Path
from typing import Any

from .model import Actor
from .views import Card, Page

STATE_VERSION = 2


def _as_digest(obj: Actor | Card) -> Any:
    return (str, (obj.digest,)) if obj.digest else obj.__reduce_ex__(5)


class _KeyPickler(pickle.Pickler):
    """Pickles an actor, or a card made from one, as the actor's digest: the same facts
    in 32 characters instead of a whole profile. (A dispatch table, unlike a reducer
    override, costs nothing for the other objects.)"""

    dispatch_table = {Actor: _as_digest, Card: _as_digest}


def _key(value: Any) -> str:
    buffer = io.BytesIO()
    _KeyPickler(buffer, protocol=5).dump(value)
    return hashlib.blake2b(buffer.getbuffer(), digest_size=16).hexdigest()


def page_key(salt: str, page: Page) -> str:
    if page.data is not None:
        inputs: Any = page.data
    elif page.lazy is not None or page.chunks is not None:
        inputs = (page.template, page.title, page.description, page.context, page.deps)
    else:
        inputs = (page.template, page.title, page.description, page.context)
    return _key((salt, page.route, inputs))


class SiteState:
    """The key and element ids of every page of the site on disk, from the build that
    wrote it: `keys` and `ids` by route."""

    def __init__(self, cache_dir: Path | None, output_dir: Path):
        self.path = None
        if cache_dir is not None:
            name = hashlib.sha256(str(output_dir.resolve()).encode()).hexdigest()[:16]
            self.path = cache_dir / "pages" / f"{name}.pickle"
        self.keys: dict[str, str] = {}
        self.ids: dict[str, frozenset[str]] = {}
        self._id_sets: dict[frozenset[str], frozenset[str]] = {}

    def load(self, identity: str) -> SiteState:
        """The pages of the site whose identity is `identity`; none if not known for sure."""
        if self.path is None:
            return self
        try:
            with open(self.path, "rb") as file:
                saved = pickle.load(file)
            if saved["version"] == STATE_VERSION and saved["identity"] == identity:
                id_sets = saved["id_sets"]
                self.keys = saved["keys"]
                self.ids = {route: id_sets[n] for route, n in saved["ids"].items()}
        except Exception:  # missing, damaged or foreign: everything is rendered
            self.keys, self.ids = {}, {}
        return self

    def set(self, route: str, key: str, ids: frozenset[str]) -> None:
        self.keys[route] = key
        self.ids[route] = self._id_sets.setdefault(ids, ids)  # most pages share their ids

    def save(self, identity: str) -> None:
        if self.path is None:
            return
        numbers = {ids: n for n, ids in enumerate(dict.fromkeys(self.ids.values()))}
        data = {
            "version": STATE_VERSION,
            "identity": identity,
            "keys": self.keys,
            "ids": {route: numbers[ids] for route, ids in self.ids.items()},
            "id_sets": list(numbers),
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_suffix(f".{os.getpid()}.tmp")
            with open(temporary, "wb") as file:
                pickle.dump(data, file, protocol=5)
            os.replace(temporary, self.path)
        except OSError:
            pass  # no record: the next build renders everything

    def forget(self) -> None:
        """Before the site changes: a record that may not match it must not survive."""
        if self.path is not None:
            with contextlib.suppress(OSError):
                self.path.unlink()
