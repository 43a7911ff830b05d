"""What a tree of the site holds, kept beside it: each file's digest, inode, size and mtime,
each folder's inode and mtime, tied to the tree's identity (see write.py, which trusts a
tree only while its manifest describes it).

On disk, strings separated by NUL (which no file name holds): a header, the identity, the
counts of files and folders, then each path followed by its record. Read by one split, as
plain strings: nothing in it can run code, and a file not of this form is not trusted."""

from __future__ import annotations

import hashlib
import os
import secrets
import stat
from contextlib import suppress
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from site_gen.output.folder import MARKER, spare_path

HEADER = "site_gen manifest 2"
_LEGACY = ("manifest.json", "spare.manifest.json")  # the names of version 1's (JSON)
DIGEST_CHARS = 32  # of a SHA-256 in hex: 128 bits; faster than BLAKE2 where CPUs have SHA
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)  # 0 on Windows
NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW
READ = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | _NOFOLLOW  # a FIFO would block


def manifest_paths(output_dir: Path) -> tuple[Path, Path]:
    """The manifests of the live site and of the spare."""
    name = output_dir.name
    return (
        output_dir.with_name(f".{name}.manifest"),
        output_dir.with_name(f".{name}.spare.manifest"),
    )


def unlink_if_there(path: str | Path) -> None:
    with suppress(FileNotFoundError):
        os.unlink(path)


def file_record(digest: str, info: os.stat_result) -> str:
    """A file's manifest entry: "digest inode size mtime"."""
    return f"{digest} {info.st_ino} {info.st_size} {info.st_mtime_ns}"


def file_token() -> str:
    """What stands for the digest of a file whose bytes were not all hashed (an export
    patched, most of it copied by the kernel): random, and never a digest (which is hex),
    so the file is only ever taken for itself, by its inode, size and mtime."""
    return "~" + secrets.token_hex(DIGEST_CHARS)[: DIGEST_CHARS - 1]


def is_intact(path: str, record: str) -> bool:
    """Whether the file at `path` is still the one `record` describes (a link is not)."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    recorded = record[DIGEST_CHARS + 1 :]
    return (
        stat.S_ISREG(info.st_mode)
        and recorded == f"{info.st_ino} {info.st_size} {info.st_mtime_ns}"
    )


def folder_record(info: os.stat_result) -> str:
    return f"{info.st_ino} {info.st_mtime_ns}"


def tree_identity(tree: Path) -> list[int] | None:
    """Which tree this is: its folder and the marker written last into it (as
    fingerprint.outputs); None if it is not a folder of ours."""
    try:
        folder = os.lstat(tree)
        marker = os.lstat(tree / MARKER)
    except OSError:
        return None
    if not stat.S_ISDIR(folder.st_mode) or not stat.S_ISREG(marker.st_mode):
        return None
    return [folder.st_dev, folder.st_ino, marker.st_ino, marker.st_mtime_ns]


@dataclass
class Manifest:
    """What one tree holds: path → "digest inode size mtime" (the digest: the first 128
    bits of the bytes' SHA-256 in hex, or a file_token), folder → "inode mtime"."""

    identity: list[int] | None
    files: dict[str, str]
    folders: dict[str, str]
    complete: bool = True  # False: some entries are not ours; never saved

    def save(self, path: Path) -> None:
        """Write it atomically (a temporary file renamed over the old one, never followed)."""
        identity = " ".join(map(str, self.identity or ()))  # none: never read back
        head = (HEADER, identity, str(len(self.files)))
        head += (str(len(self.folders)),)
        items = chain(head, *self.files.items(), *self.folders.items())
        data = "\0".join(items).encode("utf-8", "surrogateescape")
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        unlink_if_there(temporary)
        with os.fdopen(os.open(temporary, NEW_FILE, 0o644), "wb") as file:
            file.write(data)
        os.replace(temporary, path)

    @classmethod
    def read(cls, path: Path) -> Manifest | None:
        """The manifest in `path`, or None if it is missing, not a plain file or damaged."""
        try:
            with os.fdopen(os.open(path, READ), "rb") as file:
                if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
                    return None
                parts = file.read().decode("utf-8", "surrogateescape").split("\0")
            if len(parts) < 4 or parts[0] != HEADER:
                return None
            identity = [int(number) for number in parts[1].split(" ")]
            count, folders = int(parts[2]), int(parts[3])
        except (OSError, ValueError):
            return None
        end = 4 + 2 * count
        if len(identity) != 4 or count < 0 or folders < 1 or len(parts) != end + 2 * folders:
            return None
        manifest = cls(
            identity,
            dict(zip(parts[4:end:2], parts[5:end:2], strict=True)),
            dict(zip(parts[end::2], parts[end + 1 :: 2], strict=True)),
        )
        valid = (
            len(manifest.files) == count
            and len(manifest.folders) == folders
            and "" in manifest.folders
        )
        return manifest if valid else None

    def describes(self, tree: Path, folders: bool) -> bool:
        """Whether `tree` is the tree this manifest was written for (and, with `folders`,
        whether every folder still has the inode and mtime recorded: nothing added or
        removed inside, no folder replaced by a link)."""
        if self.identity is None or self.identity != tree_identity(tree):
            return False
        root = os.fspath(tree)
        for folder, record in self.folders.items() if folders else ():
            try:
                info = os.lstat(f"{root}/{folder}" if folder else root)
            except OSError:
                return False
            if not stat.S_ISDIR(info.st_mode) or folder_record(info) != record:
                return False
        return True


def take_manifests(output_dir: Path) -> tuple[Manifest | None, Manifest | None]:
    """The trusted manifests of the live site and of the spare. Each is looked for in both
    files (a build killed between the two swaps leaves them crossed); afterwards only the
    live one is left, under its own name: the spare's is deleted before the spare changes."""
    names = manifest_paths(output_dir)
    found = [(name, Manifest.read(name)) for name in names]

    def find(tree: Path, folders: bool) -> tuple[Path | None, Manifest | None]:
        for name, manifest in found:
            if manifest is not None and manifest.describes(tree, folders):
                return name, manifest
        return None, None

    live_name, live = find(output_dir, folders=False)  # only a source of links: files checked
    _, spare = find(spare_path(output_dir), folders=True)
    for name in names:
        if name != live_name:
            unlink_if_there(name)
    for legacy in _LEGACY:  # what an older site_gen left: its site is learnt again (adopt)
        unlink_if_there(output_dir.with_name(f".{output_dir.name}.{legacy}"))
    if live_name is not None and live_name != names[0]:
        os.replace(live_name, names[0])
    return live, spare


def site_files(output_dir: Path) -> set[str] | None:
    """The files of the site in `output_dir` as its manifest records them; None when no
    manifest describes that folder (see Manifest.describes)."""
    manifest = Manifest.read(manifest_paths(output_dir)[0])
    if manifest is None or not manifest.describes(output_dir, folders=False):
        return None
    return set(manifest.files)


def _read_record(path: str) -> str:
    with os.fdopen(os.open(path, READ), "rb") as file:
        digest = hashlib.file_digest(file, "sha256").hexdigest()[:DIGEST_CHARS]
        return file_record(digest, os.fstat(file.fileno()))


def adopt(output_dir: Path) -> Manifest | None:
    """Learn a site that has no manifest (built once, or by an older site_gen) by reading
    every file. Saved when the site holds nothing but our folders and plain files."""
    identity = tree_identity(output_dir)
    if identity is None:
        return None
    root, files, folders, complete = os.fspath(output_dir), {}, {}, True
    pending = [""]
    while pending:
        folder = pending.pop()
        path = f"{root}/{folder}" if folder else root
        folders[folder] = folder_record(os.lstat(path))
        with os.scandir(path) as listing:
            entries = list(listing)
        complete = complete and bool(entries or not folder)  # we leave no empty folder
        for entry in entries:
            name = f"{folder}/{entry.name}" if folder else entry.name
            if entry.is_dir(follow_symlinks=False):
                pending.append(name)
            elif name == MARKER:
                continue
            elif entry.is_file(follow_symlinks=False):
                try:
                    files[name] = _read_record(entry.path)
                except OSError:
                    complete = False
            else:
                complete = False
    manifest = Manifest(identity, files, folders, complete)
    if complete:
        manifest.save(manifest_paths(output_dir)[0])
    return manifest
