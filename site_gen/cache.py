"""What builds keep for the next one in the cache folder (.cache/): digests and stores.

Files are written aside and renamed into place, so a killed build never leaves a half
entry, and a damaged or foreign one is ignored. Deleting the folder only costs time: the
next build makes the same entries again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any


def digest(value: Any) -> str:
    """A digest of a picklable value: equal digests mean equal values.

    Pickle is exact (every field, every character) and runs in C; two equal values may
    still pickle differently when their objects are shared differently, which only costs
    a needless rebuild of what depends on them, never a stale result.
    """
    return hashlib.blake2b(pickle.dumps(value, protocol=5), digest_size=16).hexdigest()


class ShardedStore:
    """Values by string key, kept between builds in a few pickle files (shards).

    For the per-actor products of a build: a rebuild rewrites only the shards whose entries
    changed. Every shard records the `environment` (code, settings…) it was made in; a
    shard from another environment, damaged or foreign, is ignored, never trusted.
    """

    SHARDS = 16
    VERSION = 1

    def __init__(self, cache_dir: Path | None, namespace: str, environment: str):
        self.folder = cache_dir / namespace if cache_dir is not None else None
        self.environment = environment
        self.shards: list[dict[str, Any]] = [{} for _ in range(self.SHARDS)]
        self.changed: set[int] = set()
        if self.folder is None:
            return
        for number in range(self.SHARDS):
            try:
                with open(self.folder / f"{number}.pickle", "rb") as file:
                    saved = pickle.load(file)
                if saved["version"] == self.VERSION and saved["environment"] == environment:
                    self.shards[number] = saved["entries"]
            except Exception:  # missing, damaged or foreign: those entries are made again
                continue

    def _shard(self, key: str) -> int:
        return hashlib.blake2b(key.encode(), digest_size=2).digest()[0] % self.SHARDS

    def get(self, key: str) -> Any:
        return self.shards[self._shard(key)].get(key)

    def put(self, key: str, value: Any) -> None:
        number = self._shard(key)
        self.shards[number][key] = value
        self.changed.add(number)

    def keep_only(self, keys: Iterable[str]) -> None:
        """Forget the entries whose key is not among `keys` (deleted files, old versions)."""
        keys = set(keys)
        for number, shard in enumerate(self.shards):
            gone = [key for key in shard if key not in keys]
            for key in gone:
                del shard[key]
            if gone:
                self.changed.add(number)

    def save(self) -> None:
        if self.folder is None or not self.changed:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for number in sorted(self.changed):
                data = {
                    "version": self.VERSION,
                    "environment": self.environment,
                    "entries": self.shards[number],
                }
                dump_file(self.folder / f"{number}.pickle", data)
        except OSError:
            pass  # a cache that cannot be written only costs time
        self.changed.clear()


def temporary_path(path: Path) -> Path:
    """Where to write the new `path` before renaming it over the old: hidden, and unique to
    this process and thread (the preview builds in two threads, which may both save)."""
    return path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")


def dump_file(path: Path, value: Any) -> None:
    """Pickle `value` into `path` as `replace_file` writes, streamed to the disk: a 10 MB
    pickle is never held in memory at once. Raises OSError."""
    temporary = temporary_path(path)
    try:
        with open(temporary, "wb") as file:
            pickle.dump(value, file, protocol=5)
        os.replace(temporary, path)
    except BaseException:  # not pickled, or not written: no half file left behind
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def replace_file(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file renamed over it: a reader (another
    build) sees the old file or the new one, never half of one. Raises OSError."""
    temporary = temporary_path(path)
    temporary.write_bytes(data)
    os.replace(temporary, path)


class TableStore:
    """Values by string key in one table of an SQLite file, read one at a time.

    For what is too big to hold for every actor at once (their pages' HTML, their export
    records): only what a build needs is read. Every row records the `environment` it was
    made in; a row from another environment is never returned. Without a cache folder the
    values are simply kept in memory. Each process (forked workers too) opens its own
    connection.
    """

    def __init__(self, cache_dir: Path | None, table: str, environment: str):
        self.path = cache_dir / "derived.sqlite" if cache_dir is not None else None
        self.table, self.environment = table, environment
        self.memory: dict[str, Any] = {}
        self._connection: tuple[int, sqlite3.Connection] | None = None
        if self.path is not None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with self._connect() as connection:
                    connection.execute(
                        f"CREATE TABLE IF NOT EXISTS {table} "
                        "(key TEXT PRIMARY KEY, environment TEXT, value BLOB)"
                    )
            except (OSError, sqlite3.Error):
                self.path = None  # a cache that cannot be used only costs time

    def _connect(self) -> sqlite3.Connection:
        if self._connection is None or self._connection[0] != os.getpid():
            connection = sqlite3.connect(self.path, timeout=60)
            connection.execute("PRAGMA journal_mode=WAL")
            # A commit without waiting for the disk: a crash may lose the last entries
            # (made again), never damage the file; a full build commits hundreds of times.
            connection.execute("PRAGMA synchronous=NORMAL")
            self._connection = (os.getpid(), connection)
        return self._connection[1]

    def get(self, key: str) -> Any:
        if self.path is None:
            return self.memory.get(key)
        try:
            row = (
                self._connect()
                .execute(
                    f"SELECT value FROM {self.table} WHERE key = ? AND environment = ?",
                    (key, self.environment),
                )
                .fetchone()
            )
            return pickle.loads(row[0]) if row else None
        except Exception:  # damaged or foreign: made again
            return None

    def get_many(self, keys: list[str]) -> dict[str, Any]:
        """The values of these keys that are known, by key."""
        if self.path is None:
            return {key: self.memory[key] for key in keys if key in self.memory}
        marks = ",".join("?" * len(keys))
        try:
            rows = self._connect().execute(
                f"SELECT key, value FROM {self.table} WHERE environment = ? AND key IN ({marks})",
                (self.environment, *keys),
            )
            return {key: pickle.loads(value) for key, value in rows}
        except Exception:  # damaged or foreign: made again
            return {}

    def keys(self) -> set[str]:
        if self.path is None:
            return set(self.memory)
        try:
            rows = self._connect().execute(
                f"SELECT key FROM {self.table} WHERE environment = ?", (self.environment,)
            )
            return {key for (key,) in rows}
        except sqlite3.Error:
            return set()

    def put_many(self, items: Iterable[tuple[str, Any]]) -> None:
        self.put_pickled((key, pickle.dumps(value, protocol=5)) for key, value in items)

    def put_pickled(self, items: Iterable[tuple[str, bytes]]) -> None:
        """put_many, each value given pickled (protocol 5)."""
        if self.path is None:
            self.memory.update((key, pickle.loads(value)) for key, value in items)
            return
        rows = [(key, self.environment, value) for key, value in items]
        try:
            with self._connect() as connection:
                connection.executemany(
                    f"INSERT OR REPLACE INTO {self.table} VALUES (?, ?, ?)", rows
                )
        except sqlite3.Error:
            self.path = None
            self.memory.update((key, pickle.loads(value)) for key, _, value in rows)

    def forget(self, keys: Iterable[str]) -> None:
        """Forget these rows, and every row made in another environment."""
        gone = [(key,) for key in keys]
        if self.path is None:
            for (key,) in gone:
                self.memory.pop(key, None)
            return
        try:
            with self._connect() as connection:
                connection.execute(
                    f"DELETE FROM {self.table} WHERE environment != ?", (self.environment,)
                )
                connection.executemany(f"DELETE FROM {self.table} WHERE key = ?", gone)
        except sqlite3.Error:
            pass
