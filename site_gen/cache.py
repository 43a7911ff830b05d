"""What builds keep for the next one in the cache folder (.cache/): digests and stores.

Files are written aside and renamed into place, so a killed build never leaves a half
entry, and a damaged or foreign one is ignored. Every entry is sealed (cache_trust.py): one
not made with this user's key is never unpickled. Deleting the folder only costs time: the
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

from site_gen.cache_trust import (
    SealingWriter,
    row_is_ours,
    row_seal,
    row_seal_is_ours,
    seal,
    unseal,
)


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
                saved = load_file(self.folder / f"{number}.pickle")
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


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
NEW_FILE = os.O_RDWR | os.O_CREAT | os.O_EXCL | _NOFOLLOW  # never through a planted link


def _place(path: Path) -> str:
    """Where an entry is kept, as its seal names it: its folder and file name."""
    return f"{path.parent.name}/{path.name}"


def load_bytes(path: Path) -> memoryview:
    """The bytes `dump_bytes` sealed into `path`. Raises OSError when it cannot be read,
    ValueError when its seal does not match (then they must not be used)."""
    with os.fdopen(os.open(path, os.O_RDONLY | _NOFOLLOW), "rb") as file:
        data = unseal(_place(path), file.read())
    if data is None:
        raise ValueError(f"{path}: not made by a build of this user")
    return data


def dump_bytes(path: Path, data: bytes) -> None:
    """Write `data` sealed into `path`, as `replace_file` does. Raises OSError."""
    replace_file(path, seal(_place(path), data))


def load_file(path: Path) -> Any:
    """The value `dump_file` pickled into `path`; raises as `load_bytes` (never unpickled
    when its seal does not match)."""
    return pickle.loads(load_bytes(path))


def dump_file(path: Path, value: Any) -> None:
    """Pickle `value` into `path` as `replace_file` writes, sealed and streamed to the disk:
    a 10 MB pickle is never held in memory at once. Raises OSError."""
    temporary = temporary_path(path)
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()  # left by a killed build of the same process id: never written through
    try:
        with os.fdopen(os.open(temporary, NEW_FILE, 0o600), "w+b") as file:
            writer = SealingWriter(file, _place(path))
            pickle.dump(value, writer, protocol=5)
            writer.close_seal()
        os.replace(temporary, path)
    except BaseException:  # not pickled, or not written: no half file left behind
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def replace_file(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file renamed over it: a reader (another
    build) sees the old file or the new one, never half of one. Raises OSError."""
    temporary = temporary_path(path)
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    try:
        with os.fdopen(os.open(temporary, NEW_FILE, 0o644), "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


class TableStore:
    """Values by string key in one table of an SQLite file, read one at a time.

    For what is too big to hold for every actor at once (their pages' HTML, their export
    records): only what a build needs is read. Every row records the `environment` it was
    made in and its seal (cache_trust.row_seal); a row from another environment, or whose
    seal was not made with this user's key for its value, is never returned. Without a
    cache folder the values are simply kept in memory. Each process (forked workers too)
    opens its own connection.
    """

    COLUMNS = ("key", "environment", "seal", "value")

    def __init__(self, cache_dir: Path | None, table: str, environment: str):
        self.path = cache_dir / "derived.sqlite" if cache_dir is not None else None
        self.table, self.environment = table, environment
        self.memory: dict[str, Any] = {}
        self._connection: tuple[int, sqlite3.Connection] | None = None
        if self.path is not None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with self._connect() as connection:
                    columns = connection.execute(f"PRAGMA table_info({table})").fetchall()
                    if columns and [c[1] for c in columns] != list(self.COLUMNS):
                        connection.execute(f"DROP TABLE {table}")  # made by older code
                    connection.execute(
                        f"CREATE TABLE IF NOT EXISTS {table} "
                        "(key TEXT PRIMARY KEY, environment TEXT, seal BLOB, value BLOB)"
                    )
            except (OSError, sqlite3.Error):
                self.path = None  # a cache that cannot be used only costs time

    def _connect(self) -> sqlite3.Connection:
        if self._connection is None or self._connection[0] != os.getpid():
            # nofollow: a link planted at the file's name is refused, never written through
            uri = f"{self.path.absolute().as_uri()}?nofollow=1"
            connection = sqlite3.connect(uri, timeout=60, uri=True)
            connection.execute("PRAGMA journal_mode=WAL")
            # A commit without waiting for the disk: a crash may lose the last entries
            # (made again), never damage the file; a full build commits hundreds of times.
            connection.execute("PRAGMA synchronous=NORMAL")
            self._connection = (os.getpid(), connection)
        return self._connection[1]

    def __getstate__(self) -> dict[str, Any]:
        """Sent to a worker that inherits nothing, the store opens its own connection."""
        return {**self.__dict__, "_connection": None}

    def get(self, key: str) -> Any:
        if self.path is None:
            return self.memory.get(key)
        try:
            row = (
                self._connect()
                .execute(
                    f"SELECT seal, value FROM {self.table} WHERE key = ? AND environment = ?",
                    (key, self.environment),
                )
                .fetchone()
            )
            return self._value(key, *row) if row else None
        except Exception:  # damaged or foreign: made again
            self.forget_rows([key])
            return None

    def get_many(self, keys: list[str]) -> dict[str, Any]:
        """The values of these keys that are known, by key."""
        if self.path is None:
            return {key: self.memory[key] for key in keys if key in self.memory}
        marks = ",".join("?" * len(keys))
        try:
            rows = self._connect().execute(
                f"SELECT key, seal, value FROM {self.table} "
                f"WHERE environment = ? AND key IN ({marks})",
                (self.environment, *keys),
            )
            found, bad = {}, []
            for key, seal, value in rows:
                try:
                    found[key] = self._value(key, seal, value)
                except Exception:  # damaged or foreign: made again
                    bad.append(key)
            self.forget_rows(bad)
            return found
        except Exception:  # damaged or foreign: made again
            return {}

    def present(self, keys: list[str]) -> set[str]:
        """Which of these keys have a row (its seal is checked when it is read)."""
        if self.path is None:
            return {key for key in keys if key in self.memory}
        found: set[str] = set()
        try:
            for start in range(0, len(keys), 500):
                batch = keys[start : start + 500]
                rows = self._connect().execute(
                    f"SELECT key FROM {self.table} "
                    f"WHERE environment = ? AND key IN ({','.join('?' * len(batch))})",
                    (self.environment, *batch),
                )
                found.update(key for (key,) in rows)
        except sqlite3.Error:
            return set()
        return found

    def _place(self, key: str) -> str:
        return f"{self.table}\0{self.environment}\0{key}"

    def _value(self, key: str, seal: bytes, value: bytes) -> Any:
        """A row's value; raises ValueError if its seal does not match (never unpickled)."""
        if not row_is_ours(self._place(key), seal, value):
            raise ValueError(f"{self.table} {key}: not made by a build of this user")
        return pickle.loads(value)

    def keys(self) -> set[str]:
        if self.path is None:
            return set(self.memory)
        try:
            rows = self._connect().execute(
                f"SELECT key, seal FROM {self.table} WHERE environment = ?", (self.environment,)
            )
            return {key for key, seal in rows if row_seal_is_ours(self._place(key), seal)}
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
        sealed = [(key, env, row_seal(self._place(key), value), value) for key, env, value in rows]
        try:
            with self._connect() as connection:
                connection.executemany(
                    f"INSERT OR REPLACE INTO {self.table} VALUES (?, ?, ?, ?)", sealed
                )
        except sqlite3.Error:
            self.path = None
            self.memory.update((key, pickle.loads(value)) for key, _, value in rows)

    def forget_rows(self, keys: list[str]) -> None:
        """Delete rows found damaged or not ours, so that the next build makes them again."""
        if keys and self.path is not None:
            with contextlib.suppress(sqlite3.Error), self._connect() as connection:
                connection.executemany(
                    f"DELETE FROM {self.table} WHERE key = ?", [(k,) for k in keys]
                )

    def forget(self, keys: Iterable[str], other_environments: bool = True) -> None:
        """Forget these rows, and every row made in another environment (a pass over the
        whole table: an edit rebuild, made in the environment of the last full build,
        which forgot them, skips it)."""
        gone = [(key,) for key in keys]
        if self.path is None:
            for (key,) in gone:
                self.memory.pop(key, None)
            return
        try:
            with self._connect() as connection:
                if other_environments:
                    connection.execute(
                        f"DELETE FROM {self.table} WHERE environment != ?", (self.environment,)
                    )
                connection.executemany(f"DELETE FROM {self.table} WHERE key = ?", gone)
        except sqlite3.Error:
            pass

    def count(self) -> int:
        """How many rows the table holds (of any environment)."""
        if self.path is None:
            return len(self.memory)
        try:
            return self._connect().execute(f"SELECT count(*) FROM {self.table}").fetchone()[0]
        except sqlite3.Error:
            return 0

    def keep_only(self, keys: Iterable[str]) -> None:
        """Forget every row but those of these keys."""
        kept = set(keys)
        if self.path is None:
            self.memory = {key: value for key, value in self.memory.items() if key in kept}
            return
        try:
            with self._connect() as connection:
                connection.execute("CREATE TEMP TABLE IF NOT EXISTS kept (key TEXT PRIMARY KEY)")
                connection.execute("DELETE FROM kept")
                connection.executemany(
                    "INSERT OR IGNORE INTO kept VALUES (?)", ((k,) for k in kept)
                )
                connection.execute(
                    f"DELETE FROM {self.table} WHERE key NOT IN (SELECT key FROM kept)"
                )
                connection.execute("DELETE FROM kept")
        except sqlite3.Error:
            pass
