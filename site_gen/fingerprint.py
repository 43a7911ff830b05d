"""Recognise a build that would change nothing, without reading any content.

A build's inputs are summed up by the size and modification time of every content file
it reads, the bytes of the templates and of our own code, the options and dependency
versions; its
output by the size and modification time of every file it wrote. When both match the record
of the last build, the site on disk is exactly what a new build would write, so the build
can stop there.
Standard library only: this check runs before the heavy modules are even imported.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import threading
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

PACKAGES = (
    "jinja2",
    "pyyaml",
    "cmarkgfm",
    "nh3",
    "python-slugify",
    "markupsafe",
)
RECORD_FILE = "builds.json"
MARKER = ".site-gen-output"  # written last by output/write.py into every site it builds
_CODE = Path(__file__).resolve().parent


def is_leftover(name: str) -> bool:
    """Whether `name` (a file name, or a relative path with / between names) is, or lies in,
    an editor's swap, lock or backup file or a hidden folder (a name starting with "." or
    "#", or ending in ~, as vim and Emacs leave them: .name.swp, .#name, #name#, name~):
    never read, wherever the other files are."""
    if "~" not in name and "#" not in name and name[:1] != "." and "/." not in name:
        return False  # most names, at once (a listing holds thousands)
    return any(
        part.startswith(".") or part.endswith("~") or (part[:1] == part[-1:] == "#")
        for part in name.split("/")
    )


def read_files(listing: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    """The files of a content listing a build reads: all but the editors' leftovers in
    actors/ (swap, lock and backup files come and go while an actor is being edited)."""
    return {
        name: info
        for name, info in listing.items()
        if not (name.startswith("actors/") and is_leftover(name))
    }


def contents(folder: Path) -> str:
    """A hash of every file's relative path and bytes under `folder` (sorted walk). Not of
    their dates: a fresh clone (as CI makes on every run) dates every file anew, and the
    caches made by the same code must still serve. 3 ms for our 40 files."""
    return _bytes_hash(folder, (name for name, _size, _mtime in _walk(folder)))


def _bytes_hash(folder: Path, names: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for name in names:
        try:
            data = (folder / name).read_bytes()
        except OSError:
            continue
        digest.update(f"{name}\0{len(data)}\0".encode("utf-8", "surrogateescape"))
        digest.update(data)
    return digest.hexdigest()


def _hash(files: Iterable[tuple[str, tuple[int, int]]]) -> str:
    digest = hashlib.sha256()
    for name, (size, mtime) in files:
        digest.update(f"{name}\0{size}\0{mtime}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def listing(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under `folder` by relative path: its size and mtime (what _tree hashes)."""
    return {name: (size, mtime) for name, size, mtime in _walk(folder)}


def _walk(folder: Path) -> Iterator[tuple[str, int, int]]:
    """Every file under `folder`, sorted: its relative path, size and mtime.

    os.scandir hands back each entry's type with the listing, so only files are stat'ed:
    about a microsecond and a half per file, which matters at 50,000 files.
    """
    pending = [""]
    while pending:
        relative = pending.pop()
        try:
            with os.scandir(os.path.join(folder, relative)) as listing:
                entries = sorted(listing, key=lambda e: e.name, reverse=True)
        except OSError:
            continue
        for entry in entries:
            name = f"{relative}/{entry.name}" if relative else entry.name
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    pending.append(name)
                if relative == "actors":  # not an actor file, even empty: the build says so
                    yield f"{name}/", 0, 0
                continue
            try:
                info = entry.stat()
            except OSError:
                continue
            yield name, info.st_size, info.st_mtime_ns


def _digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()


def _canonical(name: str) -> str:
    return name.lower().replace("-", "_").replace(".", "_")


def _versions() -> list[str]:
    """The installed versions of what we run on, from the names of their metadata folders
    (e.g. jinja2-3.1.6.dist-info): a listing of the import path, where importlib.metadata
    would take a tenth of a second to import."""
    wanted = {_canonical(package) for package in PACKAGES}
    found = set()
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith((".dist-info", ".egg-info")):
                distribution = name.rpartition(".")[0].partition("-")[0]
                if _canonical(distribution) in wanted:
                    found.add(name)
    return sorted(found)


@cache  # the code a process runs does not change under it
def code() -> str:
    """One hash of our code and the versions of what it runs on."""
    return _digest([contents(_CODE), sys.version, _versions()])


def environment(templates: Path, options: dict) -> str:
    """One hash of what decides how content becomes pages: templates, code, options, versions
    (an editor's leftovers among the templates decide nothing)."""
    return _digest({"templates": _templates(templates), "code": code(), "options": options})


_templates_known: list[tuple[tuple, str]] = []  # the last listing hashed, and its hash


def _templates(folder: Path) -> str:
    """A hash of the templates' names and bytes, not of their dates: every page's key
    starts from it (pipeline.page_salt), and a fresh clone, which dates every file anew,
    must still find its pages kept in the cache (build/page_store.py). 10 ms for our 130
    files (6.7 MB), so it is made again only when their listing changed."""
    files = tuple((n, info) for n, info in listing(folder).items() if not is_leftover(n))
    known = (str(folder), files)
    last = _templates_known[:1]  # another thread (the preview's) may change it meanwhile
    if last and last[0][0] == known:
        return last[0][1]
    made = _bytes_hash(folder, (name for name, _info in files))
    _templates_known[:] = [(known, made)]
    return made


def inputs(
    content: Path, templates: Path, options: dict, files: dict[str, tuple[int, int]] | None = None
) -> str:
    """One hash of everything a build reads and everything that decides how it reads it;
    `files`: listing(content), when the caller has it already."""
    tree = _hash(read_files(listing(content) if files is None else files).items())
    return _digest([tree, environment(templates, options)])


def outputs(output: Path) -> str:
    """The identity of a built site: its folder and the marker written last into it.

    Every build swaps a folder in (the spare, see write.py) after writing a new marker into
    it last, so this changes whenever another build, a deletion or a restore touched the
    site. Hand edits
    of single files inside it are not seen (output/ is generated; don't edit it): the next
    build that has anything to do rewrites them.
    """
    try:
        folder = os.stat(output)
        marker = os.stat(output / MARKER)
    except OSError:
        return "missing"
    return _digest([folder.st_ino, folder.st_dev, marker.st_ino, marker.st_mtime_ns])


class BuildRecord:
    """What the last build of each output folder read and wrote (in the cache folder)."""

    def __init__(self, cache_dir: Path | None):
        self.path = cache_dir / RECORD_FILE if cache_dir else None

    def _load(self) -> dict:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError, AttributeError):
            return {}  # missing or damaged: the build simply runs

    def up_to_date(self, output: Path, input_hash: str) -> dict | None:
        """The summary of the last build if nothing it read or wrote has changed since."""
        if self.path is None or not output.is_dir():
            return None
        entry = self._load().get(str(output.resolve()))
        if (
            isinstance(entry, dict)
            and entry.get("inputs") == input_hash
            and entry.get("outputs") == outputs(output)
        ):
            return entry.get("summary")
        return None

    def remember(self, output: Path, input_hash: str, summary: dict) -> None:
        if self.path is None:
            return
        data = self._load()
        data[str(output.resolve())] = {
            "inputs": input_hash,
            "outputs": outputs(output),
            "summary": summary,
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # unique to this process and thread, as cache.temporary_path (not imported:
            # this module runs before the heavy ones load): the preview builds in two threads
            temporary = self.path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
            if os.path.lexists(temporary):
                os.unlink(temporary)  # never written through: a link planted there is deleted
            new_file = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
            with os.fdopen(os.open(temporary, new_file, 0o644), "w", encoding="utf-8") as file:
                file.write(json.dumps(data, indent=1, sort_keys=True))
            os.replace(temporary, self.path)
        except OSError:
            pass  # no record: the next build just does the work
