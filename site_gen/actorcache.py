"""Parsed actor files kept between builds, so a rebuild parses only the files that changed.

An entry is reused when its file (and its logo file) have the same size, modification time
and inode as when it was parsed, and the environment that checked it (our code, the
vocabularies, where the content lives) is the same.

The actors are kept without their Markdown (Actor.without_texts), a quarter of their size:
a build reads it only to make an actor's HTML, which is kept too (derived.py); when that is
lost, load.load_texts parses the file again.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from .cache import ShardedStore
from .model import Actor


def _signature(path: Path) -> tuple[int, int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ino)


def _signatures(path: Path, actor: Actor) -> tuple:
    logo = actor.logo
    # actor files live in content/actors/; a logo's path is relative to content/
    return (_signature(path), _signature(path.parent.parent / logo.source) if logo else None)


class ActorCache:
    """file name → (signatures, Actor without its texts) of the actor files parsed by
    earlier builds."""

    def __init__(self, cache_dir: Path | None, environment: str):
        self.store = ShardedStore(cache_dir, "actors", environment)

    def get(self, path: Path) -> Actor | None:
        entry = self.store.get(path.name)
        if entry is None:
            return None
        signatures, actor = entry
        current = _signatures(path, actor)
        return actor if current[0] is not None and current == signatures else None

    def put(self, path: Path, actor: Actor) -> None:
        self.store.put(path.name, (_signatures(path, actor), actor.without_texts()))

    def keep_only(self, names: Iterable[str]) -> None:
        self.store.keep_only(names)

    def save(self) -> None:
        self.store.save()
