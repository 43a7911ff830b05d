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
import json
import os
import pickle
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

from .cache import dump_file, replace_file
from .model import Actor
from .views import Card, Page

STATE_VERSION = 7


class NotQuick(Exception):
    """Something a quick rebuild cannot vouch for: the full build runs instead."""


# What a page's inputs hold in place of an actor, of a card made from one, and of the
# planner whose methods make contexts lazily. Only RecipeReader gives them a meaning.
def actor_ref(digest: str) -> Actor:
    raise TypeError("an actor reference is read by RecipeReader only")


def card_ref(digest: str) -> Card:
    raise TypeError("a card reference is read by RecipeReader only")


def planner_ref() -> Any:
    raise TypeError("a planner reference is read by RecipeReader only")


def _references(actors: set[str]) -> dict[type, Any]:
    """A pickler's dispatch table that pickles an actor, or a card made from one, as a
    reference to the actor's digest (the same facts in 32 characters instead of a whole
    profile), noting the digest in `actors`. (A dispatch table, unlike a reducer override,
    costs nothing for the other objects; closures, unlike bound methods, make no reference
    cycle, which would keep every pickler and its buffer while the collector is paused.)"""

    def actor(value: Actor) -> Any:
        if not value.digest:
            return value.__reduce_ex__(5)
        actors.add(value.digest)
        return actor_ref, (value.digest,)

    def card(value: Card) -> Any:
        if not value.digest:
            return value.__reduce_ex__(5)
        actors.add(value.digest)
        return card_ref, (value.digest,)

    return {Actor: actor, Card: card}


@dataclass(frozen=True)
class PageKey:
    """A page's key; for a page that shows actors, also the pickle its key was made from
    (its recipe: the page can be made again from it, see quick.py) and those actors."""

    key: str
    recipe: bytes | None = None
    actors: frozenset[str] = frozenset()


def _inputs(page: Page) -> Any:
    """What a page's key is made from, besides the salt and its route."""
    if page.data is not None:
        return page.data
    lazy = page.lazy if page.chunks is None else page.chunks
    return (page.template, page.title, page.description, page.context, page.deps, lazy)


def page_key(salt: str, page: Page) -> PageKey:
    buffer, actors = io.BytesIO(), set()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.dispatch_table = _references(actors)
    pickler.dump((salt, page.route, _inputs(page)))
    key = hashlib.blake2b(buffer.getbuffer(), digest_size=16).hexdigest()
    if not actors:
        return PageKey(key)
    return PageKey(key, buffer.getvalue(), frozenset(actors))


def _shape(page: Page) -> tuple | None:
    """The page's route and `_inputs`, with each actor, and each tuple of cards, as their
    digests, and the planner's method as its name: all that their pickle holds, when they
    are made of nothing else than texts, None, an empty context and a method of the
    planner on actors (a profile, an actor's JSON); None for any other page."""
    inputs = _inputs(page)
    if type(inputs) is not tuple:
        return None
    shape: list[Any] = [page.route]
    for value in inputs:
        if value is None or type(value) is str:
            shape.append(value)
        elif type(value) is dict and not value:
            shape.append(("{}",))
        elif type(value) is partial and (found := _call_shape(value)) is not None:
            shape.append(found)
        else:
            return None
    return tuple(shape)


def _call_shape(call: partial) -> tuple | None:
    """A planner's method on actors or tuples of cards, as `_shape` holds it."""
    method, owner = call.func, getattr(call.func, "__self__", None)
    # Its attributes as __reduce__ gives them: reading `call.__dict__` would create it, and
    # the partial would then pickle with {} where it had None (another key than the page's).
    attributes = call.__reduce__()[2][3]
    if call.keywords or attributes or owner is None or owner.__reduce__() != (planner_ref, ()):
        return None
    shape: list[Any] = ["call", method.__name__]
    for argument in call.args:
        if type(argument) is Actor and argument.digest:
            shape.append(("actor", argument.digest))
        elif type(argument) is tuple and all(type(c) is Card and c.digest for c in argument):
            shape.append(("cards", *(card.digest for card in argument)))
        else:
            return None
    return tuple(shape)


class KeyMemo:
    """The keys of the pages made from actors alone (see `_shape`), for a process that
    builds again and again (the preview): such a page whose actors, route and title are
    the same as in an earlier build with the same salt has the same pickle, so the same
    key, and is not pickled again (two thirds of a site's pages). Kept without recipes:
    the recipe store has them already."""

    LIMIT = 200_000  # keys; past it, all are forgotten (each edit leaves a few stale ones)

    def __init__(self) -> None:
        self.keys: dict[tuple[str, tuple], PageKey] = {}

    def key(self, salt: str, page: Page) -> PageKey:
        shape = _shape(page)
        if shape is None:
            return page_key(salt, page)
        found = self.keys.get((salt, shape))
        if found is None:
            found = page_key(salt, page)
            if len(self.keys) >= self.LIMIT:
                self.keys.clear()
            self.keys[(salt, shape)] = replace(found, recipe=None)
        return found


class RecipeReader(pickle.Unpickler):
    """Reads a recipe back into the page it was made from, with the actors, cards and
    planner given by the caller in place of the references."""

    def __init__(self, data: bytes, actor: Any, card: Any, planner: Any):
        super().__init__(io.BytesIO(data))
        self.refs = {"actor_ref": actor, "card_ref": card, "planner_ref": lambda: planner}

    def find_class(self, module: str, name: str) -> Any:
        if module == __name__ and name in self.refs:
            return self.refs[name]
        return super().find_class(module, name)

    def page(self) -> tuple[str, Page]:
        """The salt the recipe was made with, and the page."""
        salt, route, (template, title, description, context, deps, lazy) = self.load()
        return salt, Page(route, template, title, description, context, lazy=lazy, deps=deps)


class SiteState:
    """The key, element ids and links of every page of the site on disk, from the build
    that wrote it: `keys`, `ids` and `links` (links.signature, 0 when none) by route, and
    `shows`: by actor digest, the routes of the pages that show that actor. `quick` holds
    what quick.py needs to rebuild after an edit without planning the whole site again
    (a quick_state.QuickState; None: not known)."""

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
        self._shown: dict[str, list[str]] = defaultdict(list)  # `shows`, as set() builds it
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
                self.links = saved["links"]
                self.shows = saved["shows"]
                self.quick = saved["quick"]
        except Exception:  # missing, damaged or foreign: everything is rendered
            self.keys, self.ids, self.links, self.shows, self.quick = {}, {}, {}, {}, None
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
