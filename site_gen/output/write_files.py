"""Part of the writer (write.py), the only code that writes under the output folder: one
file put in the staged folder, left as it is if the folder holds it already, else hard-linked
from the live site when the file there has its bytes, else written (or renamed there, once
streamed).
"""

from __future__ import annotations

import hashlib
import os
import stat

from site_gen.errors import UsageError
from site_gen.output.manifest import (
    DIGEST_CHARS,
    NEW_FILE,
    READ,
    file_record,
    is_intact,
    unlink_if_there,
)
from site_gen.output.stream import _write_all
from site_gen.output.write_tree import StagedTree
from site_gen.pages import routes


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:DIGEST_CHARS]


def _check(path: str) -> None:
    if not routes.is_safe(path) or path == "" or path.endswith("/"):
        raise UsageError(f"refusing to write {path!r}: outside the output folder")


class StagedFiles(StagedTree):
    """The staged folder's files: whether it holds a file already, and how a new one gets
    there; what the build asks for (add, keep) is in write.StagedSite."""

    def _holds(self, path: str, digest: str) -> bool:
        """Whether the folder holds `digest` at `path` already; if so it is the new site's.
        This one stat per file is what notices a file edited by hand."""
        record = self.files.get(path)
        if record is None or not record.startswith(digest):
            return False
        if not is_intact(f"{self.root}/{path}", record):
            return False
        self.claimed.add(path)
        return True

    def _place(
        self, path: str, digest: str, data: bytes | None = None, streamed: str | None = None
    ) -> bool:
        """A new file at `path`: a hard link to the live site's file when it has `digest`,
        else `data` written, or the file `streamed` renamed there (neither: copied from the
        live site). Whatever was at `path` is unlinked first, never written through: it may
        be a link to a file of the live site."""
        _check(path)
        folder, target = path.rpartition("/")[0], f"{self.root}/{path}"
        self.pending = path
        self._make_folder(folder)
        if path in self.folders:  # a folder of the previous site is now a file
            self._drop_folder(path)
        if self.files.pop(path, None) is not None:
            unlink_if_there(target)
        self.claimed.discard(path)
        self.changed.add(folder)
        live = self.live.get(path)
        record = None
        if live is not None and live.startswith(digest):
            record = self._link(f"{self.live_root}/{path}", live, target)
        if record is None and streamed is not None:
            os.rename(streamed, target)
            record = file_record(digest, os.lstat(target))
        if record is None and data is None:
            data = self._copy_live(path, digest)
            if data is None:
                self.pending = None
                return False
        if record is None:
            record = self._write(target, data, digest)
        self.files[path] = record
        self.claimed.add(path)
        self.written += 1
        self.pending = None
        return True

    @staticmethod
    def _link(source: str, live: str, target: str) -> str | None:
        if not is_intact(source, live):
            # touched since its manifest was written (a restore, a touch): its bytes decide
            try:
                with os.fdopen(os.open(source, READ), "rb") as file:
                    same = _digest(file.read()) == live[:DIGEST_CHARS]
                    info = os.fstat(file.fileno())
            except OSError:
                return None
            if not same or not stat.S_ISREG(info.st_mode):
                return None
            live = f"{live[:DIGEST_CHARS]} {info.st_ino} {info.st_size} {info.st_mtime_ns}"
        try:
            try:
                os.link(source, target, follow_symlinks=False)
            except FileExistsError:  # not in any manifest: somebody else put it there
                os.unlink(target)
                os.link(source, target, follow_symlinks=False)
        except OSError:
            return None  # no hard links here (or the file just went): write the bytes
        return live

    def _copy_live(self, path: str, digest: str) -> bytes | None:
        try:
            with os.fdopen(os.open(f"{self.live_root}/{path}", READ), "rb") as file:
                data = file.read()
        except OSError:
            return None
        return data if _digest(data) == digest else None

    @staticmethod
    def _write(target: str, data: bytes, digest: str) -> str:
        try:
            fd = os.open(target, NEW_FILE, 0o666)
        except FileExistsError:  # not in any manifest: somebody else put it there
            os.unlink(target)
            fd = os.open(target, NEW_FILE, 0o666)
        try:
            _write_all(fd, [data])
            return file_record(digest, os.fstat(fd))
        finally:
            os.close(fd)
