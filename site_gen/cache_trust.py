"""Why what the cache folder holds cannot run code: every entry is sealed with a key kept
outside the repository and the output, and a cache folder tracked by git is refused.

The cache (.cache/) holds pickles and compiled templates, which can run code when loaded;
it may come from a pull request (a committed .cache/) or a restored CI cache. So every
entry carries a MAC (keyed BLAKE2b) over its place and its bytes, made with the key of
this machine's user: `SITE_GEN_CACHE_KEY` if set (CI: from a secret, so that a restored
cache is reused), else the key file in the user's cache folder, made on first use. An
entry whose MAC does not match is never unpickled: it is made again, as a missing one.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import stat
import subprocess
from functools import cache
from pathlib import Path
from typing import BinaryIO

from site_gen.errors import UsageError
from site_gen.i18n import _

KEY_VARIABLE = "SITE_GEN_CACHE_KEY"
MAC_SIZE = 16  # bytes: 128 bits, as a forged entry must be guessed, not searched offline
_KEY_SIZE = 32
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def key_path() -> Path:
    """The key file: in the user's cache folder, never in the repository or the output."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "site_gen" / "cache.key"


def _read_key(path: Path) -> bytes | None:
    fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_mode & 0o077:
            return None  # a key others can read or write is no key
        data = os.read(fd, _KEY_SIZE + 1)
    finally:
        os.close(fd)
    return data if len(data) == _KEY_SIZE else None


def _make_key(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = secrets.token_bytes(_KEY_SIZE)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
    try:
        os.write(fd, key)
    finally:
        os.close(fd)
    return key


@cache
def key() -> bytes:
    """This user's key for the cache. Without a usable key file, one for this process only:
    nothing an earlier build cached is then trusted (it only costs time)."""
    given = os.environ.get(KEY_VARIABLE)
    if given:
        return hashlib.blake2b(given.encode(), digest_size=_KEY_SIZE).digest()
    path = key_path()
    try:
        found = _read_key(path)
    except FileNotFoundError:
        try:
            return _make_key(path)
        except FileExistsError:  # another build made it meanwhile
            found = _read_key(path)
        except OSError:
            found = None
    except OSError:
        found = None
    return found if found is not None else secrets.token_bytes(_KEY_SIZE)


def mac(place: str, data: bytes | memoryview) -> bytes:
    """The MAC of an entry: its place (file or row) and its bytes."""
    hasher = hashlib.blake2b(key=key(), digest_size=MAC_SIZE, person=b"site_gen")
    hasher.update(place.encode("utf-8", "surrogateescape") + b"\0")
    hasher.update(data)
    return hasher.digest()


def seal(place: str, data: bytes) -> bytes:
    """`data` with its MAC in front, to be kept at `place`."""
    return mac(place, data) + data


def unseal(place: str, sealed: bytes) -> memoryview | None:
    """The bytes sealed for `place`; None when the MAC does not match (never trust them)."""
    view = memoryview(sealed)
    data = view[MAC_SIZE:]
    if len(sealed) < MAC_SIZE or not hmac.compare_digest(view[:MAC_SIZE], mac(place, data)):
        return None
    return data


def row_seal(place: str, data: bytes | memoryview) -> bytes:
    """The seal of a row kept apart from its value: the value's digest and the MAC of its
    place and that digest, so that the rows to trust can be listed without their values."""
    value_digest = hashlib.blake2b(data, digest_size=_KEY_SIZE).digest()
    return value_digest + mac(place, value_digest)


def row_seal_is_ours(place: str, seal: bytes) -> bool:
    """Whether a row's seal was made with this user's key, for that place."""
    if len(seal) != _KEY_SIZE + MAC_SIZE:
        return False
    return hmac.compare_digest(seal[_KEY_SIZE:], mac(place, seal[:_KEY_SIZE]))


def row_is_ours(place: str, seal: bytes, data: bytes) -> bool:
    """Whether a row's value is the one its seal was made for, with this user's key."""
    value_digest = hashlib.blake2b(data, digest_size=_KEY_SIZE).digest()
    return row_seal_is_ours(place, seal) and hmac.compare_digest(seal[:_KEY_SIZE], value_digest)


class SealingWriter:
    """A file-like object that writes into `file` after room for the MAC, and hashes what
    it writes, so a large pickle is sealed as it streams: call `close_seal` at the end."""

    def __init__(self, file: BinaryIO, place: str):
        self.file = file
        self.hasher = hashlib.blake2b(key=key(), digest_size=MAC_SIZE, person=b"site_gen")
        self.hasher.update(place.encode("utf-8", "surrogateescape") + b"\0")
        file.write(bytes(MAC_SIZE))

    def write(self, data: bytes) -> int:
        self.hasher.update(data)
        return self.file.write(data)

    def close_seal(self) -> None:
        self.file.seek(0)
        self.file.write(self.hasher.digest())


@cache
def _tracked(folder: str) -> list[str]:
    """The files under `folder` that git tracks ([] outside a repository or without git)."""
    path = Path(folder)
    if not any((parent / ".git").exists() for parent in (path, *path.parents)):
        return []  # no repository: no need to start git
    try:
        found = subprocess.run(
            ["git", "-C", str(path.parent), "ls-files", "-z", "--", path.name],
            capture_output=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return []
    if found.returncode != 0:
        return []
    return [name for name in found.stdout.decode("utf-8", "replace").split("\0") if name]


def check_cache_dir(cache_dir: Path | None) -> None:
    """Refuse a cache folder that git tracks: it came with the repository (a pull request
    may have committed it), not from an earlier build on this machine. And delete the
    links in it (builds make none), which the files and folders made there would follow."""
    if cache_dir is None:
        return
    tracked = _tracked(str(cache_dir.absolute()))
    if tracked:
        raise UsageError(
            _(
                "refusing to use the cache folder {folder}: git tracks {count} file(s) in it "
                "({first}…), so it comes with the repository, not from an earlier build. "
                "Remove it from git: git rm -r --cached {folder}, and keep {name}/ in "
                ".gitignore."
            ).format(folder=cache_dir, count=len(tracked), first=tracked[0], name=cache_dir.name)
        )
    try:
        with os.scandir(cache_dir) as entries:
            links = [entry.path for entry in entries if entry.is_symlink()]
    except OSError:
        links = []
    for link in links:
        with contextlib.suppress(OSError):
            os.unlink(link)
