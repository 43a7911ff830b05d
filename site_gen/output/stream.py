"""Part of the writer (write.py), the only code that writes under the output folder: the
bytes of a file given in chunks (an export), written in as few system calls as the system
allows, and its Spans, the pieces left as they were, copied by the kernel from the live site.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass, replace

from site_gen.output.manifest import DIGEST_CHARS, READ, file_record

STREAMED = ".site-gen-streamed.tmp"  # at the root of the folder being built, for a moment


# The exports of 10,000 actors are 20,000 chunks: one system call for a few hundred of them.
BATCH = 256
_WRITEV = getattr(os, "writev", None)  # None on Windows
_COPY_FILE_RANGE = getattr(os, "copy_file_range", None)  # Linux only


def write_all(fd: int, pieces: list[bytes]) -> None:
    """Write these pieces in turn, whole, in as few system calls as the system allows."""
    views = [memoryview(piece).cast("B") for piece in pieces if len(piece)]
    first = 0
    while first < len(views):
        if _WRITEV is None:
            written = os.write(fd, views[first])
        else:
            written = _WRITEV(fd, views[first : first + BATCH])
        while written and first < len(views):  # a short write: on from where it stopped
            size = views[first].nbytes
            if written < size:
                views[first] = views[first][written:]
                break
            written -= size
            first += 1


class NotAsRecorded(Exception):
    """A file of the live site that a Span copies is no longer as its manifest records."""


@dataclass(frozen=True)
class Span:
    """Bytes of a file of the live site, by place: the pieces of an export that an edit
    left as they were. `add_chunks` has the kernel copy them from file to file, so the
    build never reads them (at 10,000 actors, 100 MB read, paged in and written back on
    every edit)."""

    source: str  # the file, in the live site
    record: str  # its manifest entry: copied only while the file is as recorded
    offset: int
    length: int

    def __len__(self) -> int:
        return self.length

    def __bytes__(self) -> bytes:
        """The bytes themselves (to check a few of them)."""
        with os.fdopen(os.open(self.source, READ), "rb") as file:
            data = _read_at(file.fileno(), self.length, self.offset)
        if len(data) != self.length:
            raise NotAsRecorded(f"{self.source} is shorter than recorded")
        return data


def _read_at(fd: int, size: int, offset: int) -> bytes:
    """Up to `size` bytes at `offset` of the file open as `fd` (os.pread where it exists)."""
    if hasattr(os, "pread"):
        return os.pread(fd, size, offset)
    os.lseek(fd, offset, os.SEEK_SET)  # pragma: no cover - Windows
    return os.read(fd, size)  # pragma: no cover


def runs(chunks: Iterable[bytes | Span]) -> Iterator[bytes | Span]:
    """The chunks, with the Spans that follow one another in a file joined into one: one
    copy for the thousands of unchanged records between two edited ones."""
    run: Span | None = None
    length = 0  # of the run so far: a Span is made once per run, not once per chunk
    for chunk in chunks:
        follows = run is not None and isinstance(chunk, Span)
        if follows and (run.source, run.offset + length) == (chunk.source, chunk.offset):
            length += chunk.length
            continue
        if run is not None:
            yield replace(run, length=length)
            run = None
        if isinstance(chunk, Span):
            run, length = chunk, chunk.length
        else:
            yield chunk
    if run is not None:
        yield replace(run, length=length)


def copy_span(target: int, span: Span, sources: dict[str, int]) -> None:
    """Append `span` to the file open as `target`, copied by the kernel where it can."""
    source = sources.get(span.source)
    if source is None:
        source = sources[span.source] = os.open(span.source, READ)
        info = os.fstat(source)
        if not stat.S_ISREG(info.st_mode) or file_record(span.record[:DIGEST_CHARS], info) != (
            span.record
        ):
            raise NotAsRecorded(f"{span.source} changed since the build began")
    offset, end = span.offset, span.offset + span.length
    while offset < end:
        copied = 0
        if _COPY_FILE_RANGE is not None:
            with suppress(OSError):  # not between these files here: read and write instead
                copied = _COPY_FILE_RANGE(source, target, end - offset, offset)
        if not copied:
            data = _read_at(source, min(end - offset, 1 << 20), offset)
            if not data:
                raise NotAsRecorded(f"{span.source} is shorter than recorded")
            write_all(target, [data])
            copied = len(data)
        offset += copied
