"""Which pages a rebuild must render: each page's key, compared with the site on disk.

A page's key is a digest of everything its bytes depend on: the build's salt (templates,
our code, dependency versions, settings, vocabularies, client aliases) and the page's own
inputs (its template, title and context, or, for pages built lazily in a worker, the
`deps` the planner declares). Equal keys mean equal bytes, so a page whose key matches
the one recorded for the site on disk is not rendered again: the writer keeps its file.

For a page that shows actors, the pickle its key is made from is also its recipe, which
holds the actors by reference: RecipeReader makes the page again from it. The record of
the site on disk that the keys are compared with is site_state.py's. NotQuick stays here,
low among the imports, where the parts of a quick rebuild that raise it find it.
"""

from __future__ import annotations

import hashlib
import io
import pickle
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from site_gen.content.model import Actor
from site_gen.pages.views import Card, Page


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


def _references(actors: set[str], cards: set[str] | None = None) -> dict[type, Any]:
    """A pickler's dispatch table that pickles an actor, or a card made from one, as a
    reference to the actor's digest (the same facts in 32 characters instead of a whole
    profile), noting the digest in `actors` (a card's in `cards`, if given). (A dispatch
    table, unlike a reducer override, costs nothing for the other objects; closures,
    unlike bound methods, make no reference cycle, which would keep every pickler and its
    buffer while the collector is paused.)"""

    def actor(value: Actor) -> Any:
        if not value.digest:
            return value.__reduce_ex__(5)
        actors.add(value.digest)
        return actor_ref, (value.digest,)

    def card(value: Card) -> Any:
        if not value.digest:
            return value.__reduce_ex__(5)
        (actors if cards is None else cards).add(value.digest)
        return card_ref, (value.digest,)

    return {Actor: actor, Card: card}


@dataclass(frozen=True)
class PageKey:
    """A page's key; for a page that shows actors, also the pickle its key was made from
    (its recipe: the page can be made again from it, see build/edit_pages.py) and those actors."""

    key: str
    recipe: bytes | None = None
    actors: frozenset[str] = frozenset()


def _inputs(page: Page) -> Any:
    """What a page's key is made from, besides the salt and its route."""
    if page.data is not None:
        return page.data
    lazy = page.lazy if page.chunks is None else page.chunks
    return (page.template, page.title, page.description, page.context, page.deps, lazy)


def _pickled(salt: str, page: Page, cards: set[str] | None = None) -> tuple[io.BytesIO, set[str]]:
    """The pickle of the salt, the page's route and its inputs, with the actors and cards
    it holds by reference, and the digests of those actors (of its cards in `cards`, if
    given)."""
    buffer, actors = io.BytesIO(), set()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.dispatch_table = _references(actors, cards)
    pickler.dump((salt, page.route, _inputs(page)))
    return buffer, actors


def page_key(salt: str, page: Page) -> PageKey:
    buffer, actors = _pickled(salt, page)
    key = hashlib.blake2b(buffer.getbuffer(), digest_size=16).hexdigest()
    if not actors:
        return PageKey(key)
    return PageKey(key, buffer.getvalue(), frozenset(actors))


def recipe(page: Page) -> tuple[bytes, frozenset[str], frozenset[str]]:
    """What RecipeReader makes `page` again from (with no salt), the digests of the actors
    it holds, and those of the actors whose cards it holds; not for a page of raw data
    (`Page.data`)."""
    cards: set[str] = set()
    buffer, actors = _pickled("", page, cards)
    return buffer.getvalue(), frozenset(actors), frozenset(cards)


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
