"""Parsed actor files kept between builds, so a rebuild parses only the files that changed.

An entry is reused when the environment that checked it (our code, the vocabularies, where
the content lives) is the same, and its file (and its logo file) have the same size,
modification time and inode as when it was parsed, or else the same bytes: a fresh clone
(as CI makes on every run) or a checkout back and forth dates every file anew. The file's
own signature is taken before it is read, and its logo's before its bytes are compared
with those parsed, so an edit made while it was being parsed is seen by the next build.

The actors are kept without their Markdown (Actor.without_texts), a quarter of their size:
a build reads it only to make an actor's HTML, which is kept too (derived.py); when that is
lost, load.load_texts parses the file again.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from site_gen.cache import ShardedStore, digest
from site_gen.content.model import Actor

Signature = tuple[int, int, int] | None


def signature(path: Path) -> Signature:
    """A file's size, modification time and inode; None if it cannot be read."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ino)


def _logo_signature(path: Path, actor: Actor) -> Signature:
    # actor files live in content/actors/; a logo's path is relative to content/
    return signature(path.parent.parent / actor.logo.source) if actor.logo else None


def _parsed_logo_signature(path: Path, actor: Actor) -> Signature:
    """The logo's signature, if the file still holds the bytes `actor` was parsed with
    (taken before they are compared: a logo saved meanwhile is seen by the next build)."""
    if actor.logo is None:
        return None
    found = _logo_signature(path, actor)
    try:
        same = (path.parent.parent / actor.logo.source).read_bytes() == actor.logo.data
    except OSError:
        same = False
    return found if same else None


def content_digest(text: str, logo: bytes | None) -> str:
    """What an actor is parsed from: the text of its file and the bytes of its logo."""
    return digest((text, logo))


class ActorCache:
    """file name → (signatures, content_digest, Actor without its texts) of the actor
    files parsed by earlier builds."""

    def __init__(self, cache_dir: Path | None, environment: str):
        self.store = ShardedStore(cache_dir, "actors", environment)

    def get(self, path: Path, content: Callable[[Path, Actor], str | None]) -> Actor | None:
        """The actor parsed from `path` by an earlier build, if the file and its logo are
        as they were: the same signatures, or the same `content(path, actor)` (their
        content_digest now, None if they cannot be read)."""
        entry = self.store.get(path.name)
        if entry is None:
            return None
        signatures, parsed, actor = entry
        current = (signature(path), _logo_signature(path, actor))
        if current[0] is None:
            return None
        if current == signatures:
            return actor
        if content(path, actor) != parsed:
            return None
        self.store.put(path.name, (current, parsed, actor))  # the next build only stats it
        return actor

    def put(self, path: Path, actor: Actor, before: Signature, parsed: str) -> None:
        """`actor`, parsed from `path` whose signature was `before` it was read, and
        whose content_digest was `parsed`."""
        signatures = (before, _parsed_logo_signature(path, actor))
        self.store.put(path.name, (signatures, parsed, actor.without_texts()))

    def keep_only(self, names: Iterable[str]) -> None:
        self.store.keep_only(names)

    def save(self) -> None:
        self.store.save()
